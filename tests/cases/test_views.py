"""The pages: worklist, case page, step forms (plain POST and htmx), documents and PDF, area rules."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.cases import services as s
from doudi.cases.procedure import State

from .conftest import DAY

pytestmark = pytest.mark.django_db


def test_the_worklist_shows_the_next_step_and_marks_overdue_cases(walk, huining_household, huining_caseworker,
                                                                  client_for):
    case = walk(huining_household, "accepted")  # investigation due 2026-11-05, long past "today"
    r = client_for(huining_caseworker).get("/cases/worklist/")
    html = r.content.decode()
    assert r.status_code == 200
    assert case.number in html and "入户调查" in html
    assert 'class="overdue"' in html


def test_the_case_page_shows_the_timeline(walk, huining_household, huining_reviewer, client_for):
    case = walk(huining_household, "verified")
    html = client_for(huining_reviewer).get(f"/cases/{case.pk}/").content.decode()
    assert "办理记录" in html and "受理" in html and "入户调查" in html
    assert 'data-step="propose"' in html


def test_a_step_form_posts_and_moves_the_case(walk, huining_household, huining_caseworker, client_for):
    case = walk(huining_household, "submitted")
    r = client_for(huining_caseworker).post(f"/cases/{case.pk}/steps/accept/", {"version": case.version})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.state == State.ACCEPTED


def test_a_step_by_htmx_returns_the_case_panel(walk, huining_household, huining_caseworker, client_for):
    case = walk(huining_household, "submitted")
    r = client_for(huining_caseworker).post(f"/cases/{case.pk}/steps/accept/", {"version": case.version},
                                            HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert r.content.decode().startswith('<section id="case">')


def test_a_bad_form_names_the_field_in_chinese_and_keeps_what_was_typed(walk, huining_household,
                                                                        huining_caseworker, client_for):
    case = walk(huining_household, "accepted")
    r = client_for(huining_caseworker).post(f"/cases/{case.pk}/steps/investigate/", {
        "version": case.version, "investigators": [huining_caseworker.pk], "visited_on": "2026-11-03",
        "findings": "家中仅有一台旧电视", "signed_by_investigators": "on", "signed_by_family": "on",
        "authorisation": "on"})
    html = r.content.decode()
    assert r.status_code == 400
    assert "至少2名调查人员" in html and "家中仅有一台旧电视" in html


def test_a_baotou_user_cannot_see_a_huining_case(walk, huining_household, baotou_approver, client_for):
    case = walk(huining_household, "submitted")
    c = client_for(baotou_approver)
    assert c.get(f"/cases/{case.pk}/").status_code == 404
    assert c.post(f"/cases/{case.pk}/steps/accept/", {}).status_code == 404
    assert case.number not in c.get("/cases/").content.decode()


def test_a_village_assistant_cannot_accept_through_the_page(walk, huining_household, huining_village_assistant,
                                                            client_for):
    case = walk(huining_household, "submitted")
    r = client_for(huining_village_assistant).post(f"/cases/{case.pk}/steps/accept/", {"version": case.version})
    assert r.status_code == 403
    case.refresh_from_db()
    assert case.state == State.SUBMITTED


def test_a_refused_step_comes_back_as_the_panel_with_the_refusal_and_its_status(
        walk, huining_household, huining_village_assistant, huining_caseworker, client_for):
    """One mechanism (doudi.procedure.views.attempt): 403 a role refused, 409 the case changed meanwhile;
    the panel (htmx) or the step page comes back with the refusal in Chinese beside the form."""
    case = walk(huining_household, "submitted")
    r = client_for(huining_village_assistant).post(f"/cases/{case.pk}/steps/accept/", {"version": case.version},
                                                   HTTP_HX_REQUEST="true")
    assert r.status_code == 403
    assert r.content.decode().startswith('<section id="case">') and "您的角色不能对本案件进行「受理」" in r.content.decode()
    c = client_for(huining_caseworker)
    r = c.post(f"/cases/{case.pk}/steps/accept/", {"version": case.version - 1, "kin_note": "表兄"},
               HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 409 and "案件已被他人办理或更新" in html and 'value="表兄"' in html
    r = c.post(f"/cases/{case.pk}/steps/accept/", {"version": case.version - 1})  # without JavaScript: the step page
    assert r.status_code == 409 and "案件已被他人办理或更新" in r.content.decode()
    case.refresh_from_db()
    assert case.state == State.SUBMITTED


def _approved(walk, household, approver):
    case = walk(household, "at_county")
    s.record_spot_check(approver, case.pk, visited_on=DAY, findings="属实", consistent=True, on=DAY)
    s.approve(approver, case.pk, on=DAY + dt.timedelta(days=12))
    return case


def test_the_decision_notice_gives_the_amount_in_capital_numerals_and_the_trace(walk, huining_household,
                                                                                huining_approver, client_for):
    case = _approved(walk, huining_household, huining_approver)
    html = client_for(huining_approver).get(f"/cases/{case.pk}/documents/decision/").content.decode()
    # 1500.00 yuan → 壹仟伍佰元整; paid from December 2026 (approved 2026-11-14)
    assert "1500.00 元" in html and "壹仟伍佰元整" in html
    assert "2026年12月" in html
    assert "700.00 × 3 − 600.00 = 1500.00" in html  # the DB-2 sentence of the policy core


def test_the_decision_notice_prints_as_pdf(walk, huining_household, huining_approver, client_for):
    case = _approved(walk, huining_household, huining_approver)
    r = client_for(huining_approver).get(f"/cases/{case.pk}/documents/decision/?format=pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_the_public_notice_list_shows_name_size_and_amount_only(walk, huining_household, huining_approver,
                                                                client_for):
    _approved(walk, huining_household, huining_approver)
    html = client_for(huining_approver).get("/cases/notices/?area=620422100201").content.decode()
    head = huining_household.head
    assert head.name in html and "1500.00" in html
    assert head.id_number not in html and head.id_number[:6] + "*" not in html
    assert huining_household.address not in html


def test_the_refusal_notice_gives_the_reasons_in_writing(walk, huining_household, huining_approver, client_for):
    case = walk(huining_household, "at_county")
    s.refuse(huining_approver, case.pk, reasons="家庭存款超过当地规定", on=dt.date(2026, 11, 13))
    c = client_for(huining_approver)
    html = c.get(f"/cases/{case.pk}/documents/refusal/").content.decode()
    assert "不予批准" in html and "家庭存款超过当地规定" in html and "行政复议" in html
    assert c.get(f"/cases/{case.pk}/documents/decision/").status_code == 404
    assert c.get(f"/cases/{case.pk}/documents/refusal/?format=pdf").content.startswith(b"%PDF")


def test_the_application_and_investigation_forms_print(walk, huining_household, huining_caseworker, client_for):
    case = walk(huining_household, "investigated")
    c = client_for(huining_caseworker)
    app = c.get(f"/cases/{case.pk}/documents/application/").content.decode()
    assert "张建国" in app and huining_household.head.id_number not in app  # masked ID number
    inv = c.get(f"/cases/{case.pk}/documents/investigation/").content.decode()
    assert "王经办" in inv and "钱经办" in inv and "核对授权书：已签署" in inv


def test_a_village_assistant_sees_the_case_of_its_village_but_no_step(walk, huining_household,
                                                                     huining_village_assistant, client_for):
    case = walk(huining_household, "submitted")
    html = client_for(huining_village_assistant).get(f"/cases/{case.pk}/").content.decode()
    assert case.number in html and "data-step=" not in html


def test_the_worklist_is_sorted_by_deadline(walk, make_household, huining_caseworker, client_for):
    later = walk(make_household(), "accepted", day=dt.date(2026, 11, 9))   # investigation due 2026-11-12
    sooner = walk(make_household(), "accepted", day=dt.date(2026, 11, 2))  # investigation due 2026-11-05
    html = client_for(huining_caseworker).get("/cases/worklist/").content.decode()
    assert html.index(sooner.number) < html.index(later.number)


def test_a_transfer_is_answered_on_the_request_page(huining_caseworker, huining_liaison, client_for):
    req = s.register_request(huining_caseworker, region="620422100201", applicant_name="孙某", program="medical")
    c = client_for(huining_caseworker)
    r = c.post(f"/cases/window/{req.pk}/transfer/", {"department": "medical_security", "note": "住院费用高"})
    assert r.status_code == 302
    t = req.transfers.get()
    # the liaison of 人社 does not see a transfer to 医疗保障 (security.md)
    assert "转办医疗保障" not in client_for(huining_liaison).get("/cases/worklist/").content.decode()
    assert "转办医疗保障" in c.get("/cases/worklist/").content.decode()
    r = c.post(f"/cases/transfers/{t.pk}/answer/", {"answer": "已按医疗救助办理"})
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.status == "answered"


def test_a_liaison_answers_the_transfers_of_its_own_department_only(huining_caseworker, huining_liaison,
                                                                   client_for):
    req = s.register_request(huining_caseworker, region="620422100201", applicant_name="钱某", program="employment")
    mine = s.transfer_request(huining_caseworker, req.pk, department="human_resources")
    other_req = s.register_request(huining_caseworker, region="620422100201", applicant_name="周某",
                                   program="education")
    other = s.transfer_request(huining_caseworker, other_req.pk, department="education")
    c = client_for(huining_liaison)
    assert "转办人力资源和社会保障" in c.get("/cases/worklist/").content.decode()
    assert c.get(f"/cases/window/{req.pk}/").status_code == 200
    assert c.get(f"/cases/window/{other_req.pk}/").status_code == 404
    assert c.post(f"/cases/transfers/{other.pk}/answer/", {"answer": "x"}).status_code == 404
    assert c.post(f"/cases/transfers/{mine.pk}/answer/", {"answer": "已安排公益性岗位"}).status_code == 302


def test_a_bad_region_code_is_refused_with_the_field_named(huining_caseworker, client_for):
    r = client_for(huining_caseworker).post("/cases/window/new/", {"applicant_name": "刘某", "region": "62042X",
                                                                  "program": "temporary"})
    html = r.content.decode()
    assert r.status_code == 400 and "区划代码应为" in html and "刘某" in html



def test_a_step_form_on_the_case_page_starts_with_today_as_yyyy_mm_dd(walk, huining_household, huining_caseworker,
                                                                     client_for):
    case = walk(huining_household, "accepted")
    # one format setting (doudi/web/formats): a date input takes only YYYY-MM-DD
    html = client_for(huining_caseworker).get(f"/cases/{case.pk}/").content.decode()
    assert f'name="visited_on" value="{dt.date.today().isoformat()}"' in html


def test_the_success_message_appears_once(walk, huining_household, huining_caseworker, client_for):
    """issue 9: the page's own message list shows it; the panel's list only when the panel comes alone (htmx)."""
    case = walk(huining_household, "submitted")
    c = client_for(huining_caseworker)
    page = c.post(f"/cases/{case.pk}/steps/accept/", {"version": case.version}, follow=True).content.decode()
    assert page.count(">已受理</li>") == 1
    case.refresh_from_db()
    part = c.post(f"/cases/{case.pk}/steps/withdraw/", {"version": case.version, "reason": "申请人撤回"},
                  HTTP_HX_REQUEST="true").content.decode()
    assert part.count(">已撤回申请</li>") == 1


def test_the_worklist_highlights_its_own_entry_and_shows_states_in_the_state_column(
        walk, huining_household, huining_approver, client_for):
    """issue 9: on the worklist 工作台 is current (not 低保案件); a review's state is a state, its deadline's
    basis stays in the 时限依据 column."""
    import re

    from doudi.benefits.models import Review

    case = walk(huining_household, "at_county")
    html = client_for(huining_approver).get("/cases/worklist/").content.decode()
    assert re.findall(r'<a href="([^"]*)" aria-current="page">([^<]*)</a>', html) == [("/", "工作台")]
    assert case.number in html
    html = client_for(huining_approver).get("/cases/").content.decode()
    assert [t for _u, t in re.findall(r'<a href="([^"]*)" aria-current="page">([^<]*)</a>', html)] == ["低保案件"]
    from doudi.benefits.worklist import items

    for item in items(huining_approver):
        assert item["state"] in dict(Review.State.choices).values()


def test_help_on_a_case_is_recorded_and_a_refusal_comes_back_beside_its_form(walk, huining_household,
                                                                               huining_village_assistant,
                                                                               huining_reviewer, client_for):
    """协助记录 (PR-2: a village assistant may report and help): an empty note is refused beside the
    form (400); a reviewer, who may not record help, gets the case page again with the refusal beside
    the form and the note typed kept (403); a note from the assistant is recorded."""
    from doudi.cases.models import HelpRecord

    case = walk(huining_household, "submitted")
    assistant = client_for(huining_village_assistant)
    empty = assistant.post(f"/cases/{case.pk}/help/", {"note": ""})
    form = empty.content.decode()
    form = form[form.index('id="help-form"'):]
    assert empty.status_code == 400 and "errorlist" in form[:form.index("</form>")]
    refused = client_for(huining_reviewer).post(f"/cases/{case.pk}/help/", {"note": "帮助填写申请表"})
    form = refused.content.decode()
    form = form[form.index('id="help-form"'):form.index('id="help-form"') + 2000]
    assert refused.status_code == 403 and "您的角色不能登记协助" in form and "帮助填写申请表" in form
    assert HelpRecord.objects.count() == 0
    done = assistant.post(f"/cases/{case.pk}/help/", {"note": "陪同申请人到乡镇窗口"})
    assert done.status_code == 302 and HelpRecord.objects.get().note == "陪同申请人到乡镇窗口"
