"""The figures before the decision for temporary assistance (issue 9): before the township or the
county approves, the case page shows the policy core's decision on the case as it stands now
(eligible, the grant, the trace with rule ids), the difference from the grant proposed at the
investigation after a change of facts, and the placeholder parameter a TA-1 grant rests on, whose
confirmation the approval needs.

Figures worked by hand from TA-1 (rules.md: local urban 低保 standard × people helped × months, months
capped at 6) and doudi/policy/data/620422/dibao.yaml (Huining dibao.standard.urban 700.00, marked
placeholder there).
"""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.relief import services as s
from doudi.relief.models import ReliefCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(monkeypatch):
    """Every parameter of the case taken as published (not placeholder), whatever the data says."""
    real = s.assess_case

    def plain(case, on):
        doc, result, params = real(case, on)
        return doc, result, [{**p, "placeholder": False} for p in params]

    monkeypatch.setattr(s, "assess_case", plain)


def _investigated(cw, cw2, household, people=3, months=2):
    case = s.submit(cw, household_id=household.pk, description="子女就医自付费用高,生活困难")
    s.accept(cw, case.pk)
    s.investigate(cw, case.pk, visited_on=dt.date.today(), findings="医疗支出超出家庭承受能力", people=people,
                  months=months, signed_by_family=True, authorisation=True, investigators=[cw2.pk])
    case.refresh_from_db()
    return case


def test_the_approver_sees_the_grant_before_deciding(huining_caseworker, huining_caseworker_2, huining_household,
                                                      huining_approver, client_for, published):
    case = _investigated(huining_caseworker, huining_caseworker_2, huining_household)
    html = client_for(huining_approver).get(f"/relief/cases/{case.pk}/").content.decode()
    # 700.00 × 3 people × 2 months = 4200.00 (TA-1, by hand)
    assert 'id="current-figures"' in html and "符合临时救助条件，救助金 4200.00 元" in html
    assert "TA-1" in html
    assert "与调查时拟定救助金 4200.00 元一致" in html and 'id="figures-placeholder"' not in html


def test_after_a_change_of_facts_the_difference_from_the_grant_proposed(huining_caseworker, huining_caseworker_2,
                                                                       huining_household, huining_approver,
                                                                       client_for, published):
    case = _investigated(huining_caseworker, huining_caseworker_2, huining_household)
    ReliefCase.objects.filter(pk=case.pk).update(people=4)  # one more person in hardship
    html = client_for(huining_approver).get(f"/relief/cases/{case.pk}/").content.decode()
    # 700.00 × 4 × 2 = 5600.00 against 4200.00 proposed: +1400.00
    assert "救助金 5600.00 元" in html and 'id="figures-difference"' in html
    assert "调查时拟定救助金 4200.00 元" in html and "相差 +1400.00 元" in html


def test_a_case_by_case_grant_rests_on_no_standard(urgent, huining_approver, client_for):
    case = urgent(amount="3000", on=dt.date.today())
    html = client_for(huining_approver).get(f"/relief/cases/{case.pk}/").content.decode()
    assert "救助金 3000.00 元" in html and "与先行救助登记时核定救助金 3000.00 元一致" in html
    assert 'id="figures-placeholder"' not in html and 'name="confirm_placeholder"' not in html


def test_a_placeholder_standard_is_named_and_the_approval_needs_the_confirmation(
        huining_caseworker, huining_caseworker_2, huining_household, huining_approver, client_for):
    case = _investigated(huining_caseworker, huining_caseworker_2, huining_household)
    c = client_for(huining_approver)
    html = c.get(f"/relief/cases/{case.pk}/").content.decode()
    assert 'id="figures-placeholder"' in html and "占位参数「城市低保标准」（" in html
    assert 'name="confirm_placeholder"' in html
    r = c.post(f"/relief/cases/{case.pk}/steps/approve/", {"version": case.version, "opinion": "同意"},
               HTTP_HX_REQUEST="true")
    assert r.status_code == 400 and "须勾选确认后才能批准" in r.content.decode()
    case.refresh_from_db()
    assert case.state == "investigated"
    r = c.post(f"/relief/cases/{case.pk}/steps/approve/", {"version": case.version, "opinion": "同意",
                                                           "confirm_placeholder": "on"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.state == "paying"
    assert case.events.get(action="approve").figures["confirmed_placeholders"] == ["城市低保标准"]
    notice = c.get(f"/relief/cases/{case.pk}/documents/decision/").content.decode()
    assert "占位" not in notice and 'id="current-figures"' not in c.get(f"/relief/cases/{case.pk}/").content.decode()
