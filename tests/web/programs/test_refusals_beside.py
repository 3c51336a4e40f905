"""A refused action of the programs' pages comes back beside the form or button that caused it, on its
row, with what was typed kept (doudi.procedure.views.attempt_button), never as a message on the next
page: 疾病应急救助's decision, the price subsidy's computation, the rescue's 长期滞留, a partner's
answer to a referral, a house's completion year."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.programs import medical, partners, prices, rescue

D = dt.date
pytestmark = pytest.mark.django_db


def _row(html: str, marker: str) -> str:
    """The table row holding `marker`."""
    at = html.index(marker)
    return html[html.rindex("<tr", 0, at):html.index("</tr>", at)]


def test_an_emergency_decision_by_a_role_that_may_not_decide_is_refused_on_its_row(client_for, huining_caseworker):
    c = medical.open_emergency(huining_caseworker, region="620422100", hospital="会宁县人民医院", patient="无名氏",
                               identified=False, admitted_on=D(2026, 3, 1), cost="3000.00", ground="unidentified")
    r = client_for(huining_caseworker).post(f"/programs/medical/emergency/{c.pk}/decide/", {"approved": "1"})
    row = _row(r.content.decode(), "无名氏")
    assert r.status_code == 403 and 'role="alert"' in row
    c.refresh_from_db()
    assert c.state == "open"


def test_a_month_computed_twice_is_refused_beside_its_button(client_for, administrator, make_household):
    from doudi.benefits import services as benefits

    hh = make_household(members=[("孔低保", "self", D(1970, 1, 1), "M", {})])  # Huining urban, no income: 低保
    benefits.start_benefit(None, household=hh, program="dibao", amount_fen=70000, start_month=D(2026, 1, 1))
    idx = prices.enter_index(administrator, province="62", month=D(2026, 3, 1), cpi_yoy="4.00",
                             published_on=D(2026, 4, 1))  # 4.00% ≥ the 3.5% trigger (NAT-PL): one line
    page = client_for(administrator)
    assert page.post(f"/programs/prices/{idx.pk}/compute/").status_code == 302
    again = page.post(f"/programs/prices/{idx.pk}/compute/")  # from a page opened before: refused on its row
    row = _row(again.content.decode(), "2026年03月的价格临时补贴已计算")
    assert again.status_code == 400 and 'role="alert"' in row


def test_a_long_stay_from_a_stale_page_is_refused_beside_the_button(client_for, huining_caseworker):
    case = rescue.intake(huining_caseworker, region="620422100", name="男，约60岁", estimated_age=60, sex="M",
                         found_how="patrol", found_on=D(2026, 3, 1))
    version = case.version
    rescue.mark_long_stay(huining_caseworker, case.pk)  # from another window meanwhile
    r = client_for(huining_caseworker).post(f"/programs/rescue/{case.pk}/", {"form": "long_stay", "version": version})
    body = r.content.decode()
    assert r.status_code in (400, 409) and 'role="alert"' in body and "长期滞留" in body


def test_a_referral_answer_without_its_text_comes_back_on_its_row(client_for, huining_caseworker, huining_liaison,
                                                                 huining_household):
    p = huining_household.memberships.get(relation="self").person
    ref = partners.refer(huining_caseworker, household_id=huining_household.pk, person_id=p.pk, kind="housing",
                         note="人均住房不足15平方米")
    r = client_for(huining_liaison).post(f"/programs/referrals/{ref.pk}/answer/",
                                         {"version": ref.version, "accepted": "1", "answer": ""})
    row = _row(r.content.decode(), f'/programs/referrals/{ref.pk}/answer/')
    assert r.status_code == 400 and "errorlist" in row
    ref.refresh_from_db()
    assert ref.answered_on is None


def test_a_bad_completion_year_is_refused_on_the_house_row_with_the_year_typed_kept(client_for, huining_caseworker,
                                                                                   make_household):
    hh = make_household(residence="rural")
    h = partners.list_house(huining_caseworker, household_id=hh.pk, group="dibao", grade="D", on=D(2026, 3, 2))
    r = client_for(huining_caseworker).post("/programs/houses/", {"pk": h.pk, "year": "20x6"})
    row = _row(r.content.decode(), f'name="pk" value="{h.pk}"')
    assert r.status_code == 400 and "完成年度应为四位数字的年份" in row and 'value="20x6"' in row
    h.refresh_from_db()
    assert h.year_done is None
    assert client_for(huining_caseworker).post("/programs/houses/", {"pk": h.pk, "year": "2026"}).status_code == 302
    h.refresh_from_db()
    assert h.year_done == 2026
