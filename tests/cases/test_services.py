"""The 低保 procedure through its services: roles, areas, four eyes, kin, spot checks, decisions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from doudi.cases import services as s
from doudi.cases.models import Case, CaseEvent
from doudi.cases.procedure import ProcedureError, State

from .conftest import DAY

pytestmark = pytest.mark.django_db


def test_a_case_walks_from_the_window_to_the_first_payment_month(walk, huining_household, huining_approver):
    case = walk(huining_household, "at_county")
    assert case.state == State.AT_COUNTY
    check = case.spot_checks.get()
    # the first case of the county this year: ceil(0.30 × 1) = 1 must be drawn (PR-3)
    assert check.selected
    s.record_spot_check(huining_approver, case.pk, visited_on=DAY + dt.timedelta(days=11), findings="属实",
                        consistent=True, on=DAY + dt.timedelta(days=11))
    decision = s.approve(huining_approver, case.pk, on=dt.date(2026, 11, 16))
    case.refresh_from_db()
    assert case.state == State.APPROVED
    # NAT-DB-PAY: approved in November 2026, paid from December 2026
    assert decision.payment_start == dt.date(2026, 12, 1)
    assert decision.assessment["programs"]["dibao"]["eligible"] is True
    assert any(p["name"] == "dibao.standard.urban" for p in decision.parameters)
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == ["submit", "accept", "investigate", "request_verification", "record_verification",
                       "propose", "close_notice", "record_spot_check", "approve"]


def test_the_approved_amount_is_the_gap_to_the_standard_worked_by_hand(walk, huining_household, huining_approver):
    # Huining urban standard 700.00 (placeholder, 620422/dibao.yaml); 3 members; wages 600.00 counted.
    # DB-2: 700.00 × 3 − 600.00 = 1500.00 yuan a month
    case = walk(huining_household, "at_county")
    s.record_spot_check(huining_approver, case.pk, visited_on=DAY, findings="属实", consistent=True, on=DAY)
    decision = s.approve(huining_approver, case.pk, on=DAY + dt.timedelta(days=12))
    assert decision.amount_fen == 150000
    assert decision.household_size == 3


def test_village_assistant_cannot_accept_or_approve(walk, huining_household, huining_village_assistant):
    case = walk(huining_household, "submitted")
    with pytest.raises(PermissionDenied):
        s.accept(huining_village_assistant, case.pk, on=DAY)
    case = Case.objects.get(pk=case.pk)
    assert case.state == State.SUBMITTED
    with pytest.raises(PermissionDenied):
        s.submit_application(huining_village_assistant, huining_household.pk, on=DAY)


def test_village_assistant_cannot_approve(walk, huining_household, huining_village_assistant):
    case = walk(huining_household, "at_county")
    with pytest.raises(PermissionDenied):
        s.approve(huining_village_assistant, case.pk, on=DAY + dt.timedelta(days=12))


def test_village_assistant_can_report_a_person_in_difficulty(huining_village_assistant):
    req = s.register_request(huining_village_assistant, region="620422100201", applicant_name="赵大爷",
                             program="dibao", description="独居老人,无收入")
    assert req.source == "village_report"
    assert req.first_asked == huining_village_assistant


def test_whoever_investigated_cannot_approve(walk, huining_household, huining_caseworker, huining_approver):
    from doudi.accounts.models import RoleAssignment

    # the caseworker who investigated also holds the county approver role
    RoleAssignment.objects.create(user=huining_caseworker, role="county_approver", area="620422")
    case = walk(huining_household, "at_county")
    s.record_spot_check(huining_approver, case.pk, visited_on=DAY, findings="属实", consistent=True, on=DAY)
    with pytest.raises(PermissionDenied, match="入户调查"):
        s.approve(huining_caseworker, case.pk, on=DAY + dt.timedelta(days=12))


def test_whoever_reviewed_cannot_approve(walk, huining_household, huining_reviewer, huining_approver):
    from doudi.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=huining_reviewer, role="county_approver", area="620422")
    case = walk(huining_household, "at_county")
    s.record_spot_check(huining_approver, case.pk, visited_on=DAY, findings="属实", consistent=True, on=DAY)
    with pytest.raises(PermissionDenied, match="审核"):
        s.approve(huining_reviewer, case.pk, on=DAY + dt.timedelta(days=12))


def test_a_baotou_user_cannot_act_on_a_huining_case(walk, huining_household, baotou_caseworker, baotou_approver):
    case = walk(huining_household, "submitted")
    with pytest.raises(Http404):
        s.accept(baotou_caseworker, case.pk, on=DAY)
    assert list(s.visible_cases(baotou_caseworker)) == []
    with pytest.raises(Http404):
        s.access_case(baotou_approver, case.pk)


def test_a_caseworker_of_another_township_cannot_act(walk, huining_household, other_town_caseworker):
    case = walk(huining_household, "submitted")
    with pytest.raises(Http404):
        s.accept(other_town_caseworker, case.pk, on=DAY)


def test_a_drawn_case_cannot_be_approved_before_its_spot_check(walk, huining_household, huining_approver):
    case = walk(huining_household, "at_county")
    assert case.spot_checks.get().selected
    with pytest.raises(ProcedureError) as e:
        s.approve(huining_approver, case.pk, on=DAY + dt.timedelta(days=12))
    assert e.value.field == "spot_check"


def test_at_least_thirty_percent_of_cases_reaching_the_county_are_drawn(walk, make_household):
    from doudi.cases.models import SpotCheck

    for _ in range(7):
        walk(make_household(), "at_county")
    drawn = SpotCheck.objects.filter(selected=True).count()
    # PR-3: at least ceil(0.30 × 7) = 3 of 7
    assert drawn >= 3


def test_investigation_needs_two_investigators_and_the_signed_form(walk, huining_household, huining_caseworker):
    case = walk(huining_household, "accepted")
    with pytest.raises(ProcedureError) as e:
        s.investigate(huining_caseworker, case.pk, investigators=[huining_caseworker.pk], visited_on=DAY,
                      findings="x", signed_by_investigators=True, signed_by_family=True, authorisation=True, on=DAY)
    assert e.value.field == "investigators"


def test_investigation_records_the_applicants_authorisation(walk, huining_household, huining_caseworker,
                                                            huining_caseworker_2):
    case = walk(huining_household, "accepted")
    with pytest.raises(ProcedureError) as e:
        s.investigate(huining_caseworker, case.pk, investigators=[huining_caseworker.pk, huining_caseworker_2.pk],
                      visited_on=DAY, findings="x", signed_by_investigators=True, signed_by_family=True,
                      authorisation=False, on=DAY)
    assert e.value.field == "authorisation"


def test_missing_materials_are_listed_once(walk, huining_household, huining_caseworker):
    case = walk(huining_household, "submitted")
    s.ask_for_materials(huining_caseworker, case.pk, materials=["户口簿", "收入证明"], on=DAY)
    s.resubmit(huining_caseworker, case.pk, on=DAY)
    with pytest.raises(ProcedureError, match="一次性告知"):
        s.ask_for_materials(huining_caseworker, case.pk, materials=["银行流水"], on=DAY)


def test_an_objection_leads_to_an_appraisal_and_a_new_notice(walk, huining_household, huining_caseworker,
                                                            huining_reviewer):
    case = walk(huining_household, "in_notice")
    s.record_objection(huining_caseworker, case.pk, content="邻居反映其有经营收入", on=DAY + dt.timedelta(days=5))
    s.close_notice(huining_caseworker, case.pk, on=DAY + dt.timedelta(days=10))
    case.refresh_from_db()
    assert case.state == State.OBJECTED
    with pytest.raises(ProcedureError):  # cannot be proposed again before re-investigation or appraisal
        s.propose(huining_reviewer, case.pk, recommend=True, opinion="x", on=DAY + dt.timedelta(days=10))
    s.hold_appraisal(huining_reviewer, case.pk, held_on=DAY + dt.timedelta(days=11), participants=9,
                     result="经评议,经营已停止,收入属实", on=DAY + dt.timedelta(days=11))
    s.propose(huining_reviewer, case.pk, recommend=True, opinion="评议后维持", on=DAY + dt.timedelta(days=11))
    case.refresh_from_db()
    assert case.state == State.IN_NOTICE and case.notices.count() == 2


def test_the_notice_cannot_be_closed_before_seven_days(walk, huining_household, huining_caseworker):
    case = walk(huining_household, "in_notice")  # proposed on DAY + 3
    with pytest.raises(ProcedureError, match="公示期未满"):
        s.close_notice(huining_caseworker, case.pk, on=DAY + dt.timedelta(days=9))


def test_a_refusal_is_notified_in_writing_within_three_working_days(walk, huining_household, huining_approver,
                                                                    huining_caseworker):
    case = walk(huining_household, "at_county")
    # refused on Friday 2026-11-13: 3 working days → Mon 16, Tue 17, Wed 18
    decision = s.refuse(huining_approver, case.pk, reasons="家庭存款超过规定", on=dt.date(2026, 11, 13))
    assert decision.notice_due_on == dt.date(2026, 11, 18)
    case.refresh_from_db()
    assert case.state == State.REFUSED and case.due_on == dt.date(2026, 11, 18)
    s.notify_refusal(huining_caseworker, case.pk, notified_on=dt.date(2026, 11, 16), on=dt.date(2026, 11, 16))
    case.refresh_from_db()
    assert case.state == State.REFUSAL_NOTIFIED


def test_a_relatives_application_needs_a_county_visit_and_two_approvers(walk, huining_household, huining_approver,
                                                                         huining_approver_2):
    case = walk(huining_household, "at_county", kin=True)
    check = case.spot_checks.get()
    assert check.selected and "NAT-DB-KIN" in check.reason
    s.record_spot_check(huining_approver, case.pk, visited_on=DAY, findings="属实", consistent=True, on=DAY)
    s.approve(huining_approver, case.pk, on=DAY + dt.timedelta(days=12))
    case.refresh_from_db()
    assert case.state == State.FIRST_APPROVED
    with pytest.raises(PermissionDenied, match="另一名"):
        s.approve(huining_approver, case.pk, on=DAY + dt.timedelta(days=12))
    decision = s.approve(huining_approver_2, case.pk, on=DAY + dt.timedelta(days=12))
    assert decision.first_approver == huining_approver and decision.second_approver == huining_approver_2


def test_a_staff_members_relative_is_flagged_without_being_told(huining_household, huining_caseworker):
    from doudi.registry.models import Kinship, Person

    staff_person = Person.objects.create(id_number="620422198001010035", name="王经办")
    huining_caseworker.id_number = staff_person.id_number
    huining_caseworker.save()
    head = huining_household.head
    Kinship.objects.create(person=head, relative=staff_person, kind="sibling")
    case = s.submit_application(huining_caseworker, huining_household.pk, on=DAY)
    assert case.kin and "王经办" in case.kin_note


def test_a_step_taken_twice_takes_effect_once(walk, huining_household, huining_caseworker):
    case = walk(huining_household, "submitted")
    s.accept(huining_caseworker, case.pk, version=case.version, on=DAY)
    with pytest.raises(ProcedureError):
        s.accept(huining_caseworker, case.pk, version=case.version, on=DAY)
    assert case.events.filter(action="accept").count() == 1


def test_a_stale_form_is_refused(walk, huining_household, huining_caseworker):
    case = walk(huining_household, "submitted")
    with pytest.raises(ProcedureError) as e:
        s.accept(huining_caseworker, case.pk, version=case.version + 5, on=DAY)
    assert e.value.field == "version"


def test_a_later_change_never_rewrites_an_old_decision(walk, huining_household, huining_approver):
    case = walk(huining_household, "at_county")
    s.record_spot_check(huining_approver, case.pk, visited_on=DAY, findings="属实", consistent=True, on=DAY)
    decision = s.approve(huining_approver, case.pk, on=DAY + dt.timedelta(days=12))
    stored = dict(decision.assessment)
    head = huining_household.head
    head.facts = {"monthly_income": {"wages": 1500}}
    head.save()
    decision.refresh_from_db()
    assert decision.assessment == stored and decision.amount_fen == 150000


def test_every_step_writes_an_audit_entry(walk, huining_household):
    from doudi.accounts.models import AuditEntry

    case = walk(huining_household, "verified")
    steps = AuditEntry.objects.filter(object_type="cases.Case", object_id=str(case.pk)).values_list("action", flat=True)
    assert {"case.submit", "case.accept", "case.investigate", "case.request_verification",
            "case.record_verification"} <= set(steps)


def test_a_request_is_transferred_with_a_reply_deadline_and_first_asked_stays_responsible(
        huining_caseworker, huining_liaison):
    req = s.register_request(huining_caseworker, region="620422100201", applicant_name="孙某", program="employment",
                             description="失业,求职困难")
    # Friday 2026-11-06 + 5 working days (placeholder) = Friday 2026-11-13
    t = s.transfer_request(huining_caseworker, req.pk, department="human_resources", on=dt.date(2026, 11, 6))
    assert t.reply_due == dt.date(2026, 11, 13)
    req.refresh_from_db()
    assert req.responsible == huining_caseworker and req.first_asked == huining_caseworker
    s.answer_transfer(huining_liaison, t.pk, answer="已登记失业并推荐岗位")
    req.refresh_from_db()
    assert req.status == "answered"


def test_a_dibao_request_routed_at_the_window_opens_a_case(huining_caseworker, huining_household):
    req = s.register_request(huining_caseworker, region="", household_id=huining_household.pk,
                             applicant_name="张建国", program="dibao")
    s.route_request(huining_caseworker, req.pk, on=DAY)
    req.refresh_from_db()
    assert req.case.state == State.SUBMITTED


def test_village_assistant_can_help_an_applicant_prepare(walk, huining_household, huining_village_assistant,
                                                         huining_reviewer):
    case = walk(huining_household, "submitted")
    h = s.record_help(huining_village_assistant, case_id=case.pk, note="帮助填写申请表,收集户口簿复印件")
    assert h.case == case and h.by == huining_village_assistant
    with pytest.raises(PermissionDenied):  # a reviewer has no case.report
        s.record_help(huining_reviewer, case_id=case.pk, note="x")


def test_a_spot_check_that_contradicts_the_proposal_blocks_the_approval(walk, huining_household, huining_approver):
    case = walk(huining_household, "at_county")
    s.record_spot_check(huining_approver, case.pk, visited_on=DAY, findings="家中新购轿车一辆", consistent=False,
                        on=DAY)
    with pytest.raises(ProcedureError, match="不一致"):
        s.approve(huining_approver, case.pk, on=DAY + dt.timedelta(days=12))
    s.refuse(huining_approver, case.pk, reasons="抽查发现家庭拥有机动车辆", on=DAY + dt.timedelta(days=12))


def test_after_an_objection_the_township_may_investigate_again(walk, huining_household, huining_caseworker,
                                                               huining_caseworker_2, huining_reviewer):
    case = walk(huining_household, "in_notice")
    s.record_objection(huining_caseworker, case.pk, content="反映其有未申报存款", on=DAY + dt.timedelta(days=4))
    s.close_notice(huining_caseworker, case.pk, on=DAY + dt.timedelta(days=10))
    s.reinvestigate(huining_reviewer, case.pk, reason="核实存款情况", on=DAY + dt.timedelta(days=10))
    case.refresh_from_db()
    # back to a home visit, due 3 working days later: Thu 12 Nov 2026 + 3 → Tue 17 Nov
    assert case.state == State.ACCEPTED and case.due_on == dt.date(2026, 11, 17)
    s.investigate(huining_caseworker, case.pk, investigators=[huining_caseworker.pk, huining_caseworker_2.pk],
                  visited_on=DAY + dt.timedelta(days=11), findings="存款 3000 元,已如实申报",
                  signed_by_investigators=True, signed_by_family=True, authorisation=True,
                  on=DAY + dt.timedelta(days=11))
    assert case.investigations.count() == 2
