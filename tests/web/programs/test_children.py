"""Children (CH-1…CH-4, NAT-CH-ORPHAN, NAT-CH-DEFACTO) through the services.

Huining: no children's standard of its own, so the national placeholder dispersed orphan standard
1257.20 yuan a month (doudi/policy/data/national/children.yaml) applies; de-facto-unsupported
children are covered from the 2019 national rule. Expected figures below are worked by hand from
the rule text.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from doudi.programs import children as s
from doudi.programs import procedure as proc
from doudi.programs.procedure import ProcedureError

from .conftest import DAY

D = dt.date
pytestmark = pytest.mark.django_db


# --- the rules in words (plain Python) --------------------------------------------------------------------

def test_nat_ch_defacto_both_parents_unable_or_one_gone_and_the_other_unable():
    P = proc.Parent
    assert proc.defacto_holds(P("imprisoned", 24), P("lost_contact", 8))[0]        # both unable, 6+ months
    assert proc.defacto_holds(P("dead"), P("severe_disabled"))[0]                 # one dead, other severely disabled
    assert not proc.defacto_holds(P("imprisoned", 5), P("lost_contact", 8))[0]    # 5 months < 6
    assert "未满 6 个月" in proc.defacto_holds(P("imprisoned", 5), P("lost_contact", 8))[1]
    assert not proc.defacto_holds(P("normal"), P("seriously_ill"))[0]             # one parent cares for the child
    assert not proc.defacto_holds(P("dead"), P("missing"))[0]                     # both gone: an orphan instead
    assert proc.orphan_holds(P("dead"), P("missing"))[0]                          # NAT-CH-ORPHAN


# --- the file (CH-2) ---------------------------------------------------------------------------------------

def test_one_file_per_child(huining_caseworker, defacto_file, child):
    with pytest.raises(ProcedureError) as e:
        s.open_file(huining_caseworker, person_id=child.pk, category="orphan")
    assert "一人一档" in e.value.message


def test_file_updates_are_kept_with_before_and_after(huining_caseworker, defacto_file):
    f = s.update_file(huining_caseworker, defacto_file.pk, version=defacto_file.version, father_status="normal",
                      note="父亲刑满释放", on=DAY)
    last = f.changes.last()
    assert {"field": "father_status", "before": "imprisoned", "after": "normal"} in last.changes
    assert last.note == "父亲刑满释放" and f.version == 1


# --- the procedure: 15 + 15 working days, four eyes, no public notice -------------------------------------------

def test_the_procedure_has_no_public_notice_step():
    # NAT-CH-DEFACTO: no public notice (privacy)
    assert not any("公示" in name for name in proc.ACTION_NAMES.values())
    assert not any("公示" in name for name in proc.STATE_NAMES.values())


def test_township_has_15_working_days_and_the_county_15_more(huining_caseworker, huining_reviewer, defacto_file):
    case = s.submit(huining_caseworker, file_id=defacto_file.pk, kind="defacto", on=DAY)
    # 2026-03-02 (Mon) + 15 working days, no holiday in March: 3–6 (4), 9–13 (9), 16–20 (14), 23 (15)
    assert case.state == "submitted" and case.due_on == D(2026, 3, 23) and case.due_kind == "township_check"
    s.township_check(huining_reviewer, case.pk, findings="入户查验，父亲服刑、母亲失联属实", on=D(2026, 3, 10))
    case.refresh_from_db()
    # 2026-03-10 (Tue) + 15: 11–13 (3), 16–20 (8), 23–27 (13), 30 (14), 31 (15)
    assert case.state == "checked" and case.due_on == D(2026, 3, 31) and case.due_kind == "county_decision"


def test_county_decides_the_allowance_and_it_becomes_a_benefit(huining_caseworker, huining_reviewer,
                                                               huining_approver, defacto_file):
    from doudi.benefits.models import Benefit

    case = s.submit(huining_caseworker, file_id=defacto_file.pk, kind="defacto", on=DAY)
    s.township_check(huining_reviewer, case.pk, findings="属实", on=DAY)
    d = s.approve(huining_approver, case.pk, opinion="同意", on=D(2026, 3, 12))
    # NAT-CH-DEFACTO: the orphan standard; the child gets no 低保 (grandmother's 3000 > 700 standard),
    # no 特困 and no disability subsidy, so nothing to top up: 1257.20 − 0 = 1257.20 yuan a month.
    assert d.amount_fen == 125720 and d.start_month == D(2026, 4, 1)
    b = Benefit.objects.get(program="children")
    assert b.person_id == defacto_file.person_id and b.amount_fen == 125720 and b.start_month == D(2026, 4, 1)
    assert "NAT-CH-DEFACTO" in d.case.events.last().figures["rules"]
    assert any(p["name"] == "children.orphan_standard.dispersed" for p in d.parameters)


def test_four_eyes_the_registrar_and_the_checker_do_not_decide(huining_caseworker, huining_reviewer, cast,
                                                               defacto_file):
    case = s.submit(huining_caseworker, file_id=defacto_file.pk, kind="defacto", on=DAY)
    with pytest.raises(PermissionDenied):  # a caseworker has no review permission at all
        s.township_check(huining_caseworker, case.pk, findings="属实", on=DAY)
    s.township_check(huining_reviewer, case.pk, findings="属实", on=DAY)
    case.refresh_from_db()
    case.checked_by = cast["huining_approver"]  # as if the approver had checked it
    case.save()
    with pytest.raises(PermissionDenied) as e:
        s.approve(cast["huining_approver"], case.pk, on=DAY)
    assert "查验" in str(e.value)


def test_township_check_refuses_when_the_parents_do_not_qualify(huining_caseworker, huining_reviewer, defacto_file):
    s.update_file(huining_caseworker, defacto_file.pk, mother_status="normal", on=DAY)
    case = s.submit(huining_caseworker, file_id=defacto_file.pk, kind="defacto", on=DAY)
    with pytest.raises(ProcedureError) as e:
        s.township_check(huining_reviewer, case.pk, findings="母亲在家", on=DAY)
    assert "NAT-CH-DEFACTO" in e.value.message
    s.refuse(huining_reviewer, case.pk, reasons="母亲正常履行抚养义务", on=DAY)
    case.refresh_from_db()
    assert case.state == "refused" and case.decision.approved is False


def test_another_township_sees_nothing(other_town_caseworker, huining_caseworker, defacto_file):
    case = s.submit(huining_caseworker, file_id=defacto_file.pk, kind="defacto", on=DAY)
    with pytest.raises(Http404):
        s.access_case(other_town_caseworker, case.pk)
    assert not s.visible_files(other_town_caseworker).exists()


# --- the end （退出） by the scheduled check -------------------------------------------------------------------------

def _approved(cw, rv, ap, f):
    case = s.submit(cw, file_id=f.pk, kind="defacto", on=DAY)
    s.township_check(rv, case.pk, findings="属实", on=DAY)
    return s.approve(ap, case.pk, on=DAY)


def test_the_allowance_ends_when_the_parents_situation_changes(huining_caseworker, huining_reviewer,
                                                               huining_approver, defacto_file):
    from doudi.benefits.models import Benefit

    _approved(huining_caseworker, huining_reviewer, huining_approver, defacto_file)
    assert s.check_allowances(D(2026, 5, 6)) == []  # nothing changed
    s.update_file(huining_caseworker, defacto_file.pk, father_status="normal", note="父亲刑满释放", on=D(2026, 5, 6))
    ended = s.check_allowances(D(2026, 5, 7))
    b = Benefit.objects.get(program="children")
    # CH-2: no longer qualifying → ends from the next month (June 2026)
    assert [e[0] for e in ended] == [b.pk] and b.status == "ended" and b.end_month == D(2026, 6, 1)
    assert "CH-2" in b.changes.last().reasons


def test_the_allowance_ends_the_month_after_the_eighteenth_birthday(huining_caseworker, huining_reviewer,
                                                                    huining_approver, defacto_file):
    from doudi.benefits.models import Benefit

    _approved(huining_caseworker, huining_reviewer, huining_approver, defacto_file)
    assert s.check_allowances(D(2033, 5, 9)) == []   # born 2015-05-10: still 17
    s.check_allowances(D(2033, 5, 10))                # 18 today (NAT-CH-ORPHAN: under 18)
    b = Benefit.objects.get(program="children")
    assert b.status == "ended" and b.end_month == D(2033, 6, 1)


# --- CH-4: the four-level register ----------------------------------------------------------------------------------

def test_ch4_register_counts_by_city_county_township_village(huining_approver, other_town_caseworker,
                                                             defacto_file):
    for level, code in (("city", "6204"), ("county", "620422"), ("township", "620422100"),
                        ("village", "620422100201")):
        rows = s.register(huining_approver, level)
        assert [(r["code"], r["total"], r["defacto"]) for r in rows] == [(code, 1, 1)]
    assert s.register(other_town_caseworker, "village") == []  # another township's register is empty
    with pytest.raises(ProcedureError):
        s.register(huining_approver, "province")


def test_the_daily_job_is_scheduled_and_runs_the_check(huining_caseworker, huining_reviewer, huining_approver,
                                                       defacto_file):
    from django_q.models import Schedule

    from doudi.programs.jobs import FUNC, daily

    assert Schedule.objects.filter(func=FUNC, schedule_type="D").exists()
    _approved(huining_caseworker, huining_reviewer, huining_approver, defacto_file)
    assert daily("2033-05-10") == {"children_allowances_ended": 1}  # the 18th birthday


def test_the_next_step_is_on_the_one_worklist_of_its_user_only(client_for, huining_caseworker, huining_reviewer,
                                                               huining_approver, defacto_file):
    case = s.submit(huining_caseworker, file_id=defacto_file.pk, kind="defacto", on=DAY)
    assert case.number in client_for(huining_reviewer).get("/", follow=True).content.decode()      # the township's check
    assert case.number not in client_for(huining_approver).get("/", follow=True).content.decode()  # not yet the county's
    s.township_check(huining_reviewer, case.pk, findings="属实", on=DAY)
    assert case.number in client_for(huining_approver).get("/", follow=True).content.decode()
