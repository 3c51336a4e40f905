"""The figures before the decision (issue 9, item 5).

The reviewer and the approver see on the case page, before they act, the policy core's decision on
the household as it stands now (eligible, amount, the trace with rule ids) and, after a change of
facts, the difference from the amount proposed at review. A decision whose amount rests on a
placeholder parameter says so on the case page (never on the citizen's notice) and the approver
must tick a confirmation; without it the approval is refused beside the form.

The placeholder mark is set by the test (the standard's entry is marked placeholder) so that the
test does not depend on which published standards the data holds.
"""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.cases import services as s

pytestmark = pytest.mark.django_db


@pytest.fixture
def standard_is_placeholder(monkeypatch):
    """The case's 低保 standard marked placeholder in what assess_case returns."""
    real = s.assess_case

    def marked(case, on):
        doc, result, params = real(case, on)
        for p in params:
            if p["name"] == f"dibao.standard.{case.household.residence}":
                p["placeholder"] = True
        return doc, result, params

    monkeypatch.setattr(s, "assess_case", marked)


@pytest.fixture
def standard_is_published(monkeypatch):
    real = s.assess_case

    def plain(case, on):
        doc, result, params = real(case, on)
        return doc, result, [{**p, "placeholder": False} for p in params]

    monkeypatch.setattr(s, "assess_case", plain)


def test_the_reviewer_sees_the_policy_core_s_decision_before_proposing(walk, huining_household, huining_reviewer,
                                                                      client_for, standard_is_published):
    case = walk(huining_household, "verified")
    html = client_for(huining_reviewer).get(f"/cases/{case.pk}/").content.decode()
    # 张建国's household (tests/web/conftest): 700.00 × 3 − 600.00 = 1500.00 (DB-3, by hand from the rule)
    assert 'id="current-figures"' in html and "符合低保条件，月保障金 1500.00 元" in html
    assert "DB-" in html  # the trace with its rule ids
    assert 'id="figures-placeholder"' not in html


def test_after_a_change_of_facts_the_approver_sees_the_difference_from_the_proposal(
        walk, huining_household, huining_approver, client_for, standard_is_published):
    from doudi.registry.models import Person

    case = walk(huining_household, "at_county")
    head = huining_household.head
    Person.objects.filter(pk=head.pk).update(facts={**head.facts, "monthly_income": {"wages": 900}})
    html = client_for(huining_approver).get(f"/cases/{case.pk}/").content.decode()
    # 700.00 × 3 − 900.00 = 1200.00, proposed at review 1500.00: −300.00
    assert "月保障金 1200.00 元" in html and 'id="figures-difference"' in html
    assert "审核时拟定月保障金 1500.00 元" in html and "相差 -300.00 元" in html


def test_a_placeholder_standard_is_named_on_the_case_page_and_the_approval_needs_the_confirmation(
        walk, huining_household, huining_approver, client_for, standard_is_placeholder):
    case = walk(huining_household, "at_county")
    s.record_spot_check(huining_approver, case.pk, visited_on=dt.date.today(), findings="属实", consistent=True)
    case.refresh_from_db()
    c = client_for(huining_approver)
    html = c.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="figures-placeholder"' in html and "占位参数「城市低保标准」（" in html
    assert 'name="confirm_placeholder"' in html
    r = c.post(f"/cases/{case.pk}/steps/approve/", {"version": case.version, "opinion": "同意"},
               HTTP_HX_REQUEST="true")
    assert r.status_code == 400 and "须勾选确认后才能批准" in r.content.decode()
    case.refresh_from_db()
    assert case.state == "at_county"
    r = c.post(f"/cases/{case.pk}/steps/approve/", {"version": case.version, "opinion": "同意",
                                                    "confirm_placeholder": "on"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.state == "approved"
    event = case.events.get(action="approve")
    assert event.figures["confirmed_placeholders"][0].startswith("城市低保标准")
    notice = c.get(f"/cases/{case.pk}/documents/decision/").content.decode()
    assert "占位" not in notice  # the citizen's notice never says so
