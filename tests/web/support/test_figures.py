"""The figures before the decision for 特困 (issue 9): the township before its proposal and the county
before its decision see the policy core's decision on the person as he stands now (eligible, his own
amount TK-1 + TK-2, the trace with rule ids), the difference from the amount proposed at 初审 after a
change of facts, and the placeholder parameters the amount rests on, whose confirmation the approval
needs.

Figures worked by hand from the rule text and doudi/policy/data/620422 (Huining, urban household):
TK-1 basic-living standard = 低保 standard × tekun.basic_ratio = 700.00 × 1.3 = 910.00 (dibao.yaml
dibao.standard.urban 700.00, tekun.yaml basic_ratio 1.3); TK-2 care standard by tier
(NAT-TK-SELFCARE: 1–3 of 6 tasks unable = partly lost, 350.00; 4–6 = wholly lost, 700.00).
"""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.support import services as s
from doudi.support.models import SelfCareAssessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(monkeypatch):
    """Every parameter of the case taken as published (not placeholder), whatever the data says."""
    real = s.assess_case

    def plain(case, on, unable_count=None):
        doc, result, params = real(case, on, unable_count)
        return doc, result, [{**p, "placeholder": False} for p in params]

    monkeypatch.setattr(s, "assess_case", plain)


def test_the_township_sees_the_person_s_figures_before_proposing(elder_household, walk, client_for,
                                                                  huining_reviewer, published):
    case = walk(elder_household, to="investigated")  # bathing and dressing unable: 2 of 6, partly lost
    html = client_for(huining_reviewer).get(f"/support/cases/{case.pk}/").content.decode()
    # 910.00 + 350.00 = 1260.00 (TK-1 + TK-2, by hand above)
    assert 'id="current-figures"' in html
    assert "王老汉本人符合特困人员条件，每月供养金 1260.00 元" in html
    assert "TK-1" in html and "TK-2" in html  # the line and the trace with rule ids
    assert 'id="figures-placeholder"' not in html and 'id="figures-difference"' not in html


def test_after_a_change_of_facts_the_county_sees_the_difference_from_the_proposal(elder_household, walk, client_for,
                                                                                  huining_approver, published):
    case = walk(elder_household, to="at_county")
    html = client_for(huining_approver).get(f"/support/cases/{case.pk}/").content.decode()
    assert "与初审时拟定每月供养金 1260.00 元一致" in html
    # reassessed: 5 of 6 tasks unable, wholly lost: 910.00 + 700.00 = 1610.00, +350.00 on the proposal
    SelfCareAssessment.objects.create(case=case, reason="change", assessed_on=dt.date.today(), unable_count=5,
                                      unable=["bathing", "dressing", "eating", "toileting", "walking"], tier="none")
    html = client_for(huining_approver).get(f"/support/cases/{case.pk}/").content.decode()
    assert "每月供养金 1610.00 元" in html and 'id="figures-difference"' in html
    assert "初审时拟定每月供养金 1260.00 元" in html and "相差 +350.00 元" in html


def test_a_placeholder_amount_is_named_and_the_approval_needs_the_confirmation(elder_household, walk, client_for,
                                                                              huining_approver):
    # Huining's urban 低保 standard and the care standards are placeholders in the data (620422/*.yaml)
    case = walk(elder_household, to="at_county")
    check = case.spot_checks.last()
    if check.selected:
        s.record_spot_check(huining_approver, case.pk, visited_on=dt.date.today(), findings="抽查属实",
                            consistent=True)
    case.refresh_from_db()
    c = client_for(huining_approver)
    html = c.get(f"/support/cases/{case.pk}/").content.decode()
    # TK-1 rests on the urban 低保 standard, TK-2 on the care standard of his tier (partly lost)
    assert 'id="figures-placeholder"' in html and "占位参数「城市低保标准」" in html
    assert "「照料护理标准（部分丧失生活自理能力）」" in html
    assert 'name="confirm_placeholder"' in html
    r = c.post(f"/support/cases/{case.pk}/steps/approve/", {"version": case.version, "opinion": "同意"},
               HTTP_HX_REQUEST="true")
    assert r.status_code == 400 and "须勾选确认后才能批准" in r.content.decode()
    case.refresh_from_db()
    assert case.state == "at_county"
    r = c.post(f"/support/cases/{case.pk}/steps/approve/", {"version": case.version, "opinion": "同意",
                                                            "confirm_placeholder": "on"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.state == "approved"
    confirmed = case.events.get(action="approve").figures["confirmed_placeholders"]
    assert confirmed[0].startswith("城市低保标准") and confirmed[1] == "照料护理标准（部分丧失生活自理能力）"
    assert len(confirmed) == 2  # the ratio 1.3 is published (tekun.yaml), not a placeholder
    notice = c.get(f"/support/cases/{case.pk}/documents/decision/").content.decode()
    assert "占位" not in notice and 'id="current-figures"' not in c.get(f"/support/cases/{case.pk}/").content.decode()
