"""TA-3's bounds and the township's ceiling on every amount typed (issue 9, item 3).

Wuhai (wuhai-2014 九.13, 乌海政发〔2014〕73号): 200–30000 yuan per household per grant
(`temporary.grant.min/max`); an amount typed outside is refused at once, the message naming the bound
and its source. Huining sets no TA-3 bound; its township ceiling `temporary.township_ceiling` is
1000.00 (a placeholder): above it the case goes to the county (NAT-TA-FIRST) — the case page says
so, the township's reviewer is refused with the ceiling named and does not find the decision on
the worklist, the county approver does.
"""

from __future__ import annotations

import pytest

from doudi.relief import services as s
from doudi.relief.procedure import ProcedureError

from .conftest import DAY

pytestmark = pytest.mark.django_db


def _urgent(user, household, amount, **kw):
    return s.help_first(user, household_id=household.pk, kind="fire", description="住房失火",
                        simplified_check="现场查看属实", amount=amount, reasoning="一事一议", on=DAY, **kw)


def test_an_urgent_amount_above_wuhai_s_largest_grant_is_refused_naming_the_bound_and_its_source(
        wuhai_caseworker, wuhai_household):
    with pytest.raises(ProcedureError) as e:
        _urgent(wuhai_caseworker, wuhai_household, "30000.01")
    msg = e.value.message
    assert e.value.field == "amount"
    assert "30000.01" in msg and "临时救助单次最高额 30000.00 元" in msg and "TA-3" in msg
    assert "乌海政发〔2014〕73号" in msg
    with pytest.raises(ProcedureError) as e:
        _urgent(wuhai_caseworker, wuhai_household, "199.99")
    assert "临时救助单次最低额 200.00 元" in e.value.message
    assert _urgent(wuhai_caseworker, wuhai_household, "30000").decided_amount_fen == 3_000_000  # the bound itself


def test_the_urgent_form_shows_the_bound_beside_the_amount_and_keeps_what_was_typed(
        wuhai_caseworker, wuhai_household, client_for):
    r = client_for(wuhai_caseworker).post("/relief/cases/urgent/", {
        "household_id": wuhai_household.pk, "kind": "fire", "description": "住房失火，家具烧毁",
        "simplified_check": "现场查看属实", "amount": "99999999", "reasoning": "一事一议"})
    html = r.content.decode()
    assert r.status_code == 400
    assert "临时救助单次最高额 30000.00 元" in html and "住房失火，家具烧毁" in html
    from doudi.relief.models import ReliefCase

    assert not ReliefCase.objects.exists()


def test_a_case_by_case_amount_typed_at_the_home_visit_is_bounded_too(wuhai_caseworker, wuhai_household):
    case = s.submit(wuhai_caseworker, household_id=wuhai_household.pk, description="房屋倒塌", kind="other_major",
                    on=DAY)
    s.accept(wuhai_caseworker, case.pk, on=DAY)
    with pytest.raises(ProcedureError) as e:  # refused before anything else is checked or written
        s.investigate(wuhai_caseworker, case.pk, visited_on=DAY, findings="属实", amount="40000", reasoning="一事一议",
                      signed_by_family=True, authorisation=True, on=DAY)
    assert e.value.field == "amount" and "30000.00" in e.value.message and "TA-3" in e.value.message


def test_above_huining_s_ceiling_the_case_goes_to_the_county(urgent, huining_reviewer, huining_approver, client_for):
    case = urgent(amount="99999999")  # Huining sets no TA-3 bound: registered, but not for the township
    why = s.over_ceiling(case, DAY)
    assert "乡镇审批临时救助限额 1000.00 元" in why and "须报县级审批" in why and "民发〔2018〕23号" in why
    page = client_for(huining_reviewer).get(f"/relief/cases/{case.pk}/").content.decode()
    assert 'id="county-needed"' in page and "须报县级审批" in page
    titles = [i["title"] for i in s.worklist_items(huining_reviewer, DAY)]
    assert not any(case.number in t for t in titles)  # the township does not decide it
    assert any(case.number in i["title"] for i in s.worklist_items(huining_approver, DAY))
    r = client_for(huining_reviewer).post(f"/relief/cases/{case.pk}/steps/approve/", {"version": case.version},
                                          HTTP_HX_REQUEST="true")
    assert r.status_code == 403 and "乡镇审批临时救助限额 1000.00 元" in r.content.decode()
    assert "须报县级审批" in r.content.decode()


def test_within_the_ceiling_the_case_page_says_nothing_of_the_county(urgent, huining_reviewer, client_for):
    case = urgent(amount="800")
    assert s.over_ceiling(case, DAY) == ""
    assert 'id="county-needed"' not in client_for(huining_reviewer).get(f"/relief/cases/{case.pk}/").content.decode()
