"""特困 is decided per person (TK-4): two 特困 persons of one household each get their own benefit
with their own amount, and what happens to one (a death, a review, a change of standard) is his.

Figures (Huining urban, 620422 tekun.yaml and dibao.yaml, placeholders): 低保 standard 700.00;
TK-1 basic-living standard per person 700.00 × 1.3 = 910.00; TK-2 care standard by self-care
tier (NAT-TK-SELFCARE: 1–3 tasks unable = partial, 4–6 = none): partial 350.00, none 700.00.

The household: 王大爷 (born 1950) and his sister 王大娘 (born 1953), both over 60 (no ability to
work, NAT-TK-ABILITY), no income (NAT-TK-INCOME: 0.00 below the 低保 standard), no supporter
elsewhere (legal_supporters none) and each unable to support the other since each is 特困
himself (NAT-TK-SUPPORTER, Art.8). Both are covered:
    王大爷, 1 task unable (partial):  910.00 + 350.00 = 1260.00 a month
    王大娘, 5 tasks unable (none):    910.00 + 700.00 = 1610.00 a month
    the household's sum (TK-1):       1260.00 + 1610.00 = 2870.00
"""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.benefits import services as b
from doudi.benefits.models import Benefit, Review, Status
from doudi.registry import services as registry
from doudi.support import services as s
from doudi.support.models import Decision

from ..conftest import HUINING_VILLAGE

D = dt.date
FIVE = ["bathing", "dressing", "walking", "toileting", "eating"]


@pytest.fixture
def siblings(make_household):
    return make_household(HUINING_VILLAGE, "urban", [
        ("王大爷", "self", D(1950, 5, 6), "M", {}),
        ("王大娘", "sibling", D(1953, 9, 1), "F", {}),
    ], facts={"legal_supporters": "none"})


def _member(household, name):
    return household.memberships.get(person__name=name).person


@pytest.fixture
def both(siblings, walk):
    """Both approved: 王大爷 on 2026-03-11, 王大娘 on 2026-03-25; each supported from April."""
    brother, sister = _member(siblings, "王大爷"), _member(siblings, "王大娘")
    first = walk(siblings, person=brother, unable=("bathing",))
    second = walk(siblings, person=sister, unable=FIVE, start=D(2026, 3, 16))
    return first, second


def _benefit_of(person) -> Benefit:
    return Benefit.objects.get(program="tekun", person=person)


def test_two_tekun_persons_of_one_household_each_get_their_own_benefit(both, siblings):
    first, second = both
    assert first.state == "approved" and second.state == "approved"
    brother, sister = _benefit_of(first.person), _benefit_of(second.person)
    # 910.00 + 350.00 = 1260.00 and 910.00 + 700.00 = 1610.00, each from April 2026
    assert (brother.amount_fen, brother.status, brother.start_month) == (126000, Status.ACTIVE, D(2026, 4, 1))
    assert (sister.amount_fen, sister.status, sister.start_month) == (161000, Status.ACTIVE, D(2026, 4, 1))
    assert brother.household_id == sister.household_id == siblings.pk
    # the decisions carry the person's own amount; the household's sum is the policy core's 2870.00
    d = Decision.objects.get(case=second, kind="approved")
    assert d.amount_fen == 161000 and d.assessment["programs"]["tekun"]["amount"] == "2870.00"
    lines = {x["name"]: x["amount"] for x in d.assessment["person_lines"]["tekun"]}
    assert lines == {"王大爷": "1260.00", "王大娘": "1610.00"}
    start = sister.changes.get(kind="start")
    assert "910.00" in start.reasons and "700.00" in start.reasons and "2870.00" in start.reasons
    assert "待遇已建立" in second.events.get(action="approve").figures["benefit"]


def test_a_second_benefit_for_the_same_person_refuses_the_approval_and_writes_nothing(
        siblings, walk, huining_approver):
    sister = _member(siblings, "王大娘")
    case = walk(siblings, person=sister, unable=FIVE, to="at_county")
    check = case.spot_checks.last()
    if check.selected:
        s.record_spot_check(huining_approver, case.pk, visited_on=D(2026, 3, 10), findings="属实", consistent=True,
                            on=D(2026, 3, 10))
    # a live 特困 benefit of hers already exists (e.g. entered before the case): one per person
    b.start_benefit(None, household=siblings, person=sister, program="tekun", amount_fen=161000,
                    start_month=D(2026, 3, 1), on=D(2026, 2, 20))
    with pytest.raises(s.ProcedureError) as e:
        s.approve(huining_approver, case.pk, opinion="同意", on=D(2026, 3, 11))
    assert e.value.field == "person" and "待遇未能建立，不能批准" in e.value.message and "王大娘" in e.value.message
    case.refresh_from_db()
    assert case.state == "at_county" and case.support_from is None  # the approval is undone as a whole
    assert not Decision.objects.filter(case=case, kind="approved").exists()
    assert not case.necessities.exists() and Benefit.objects.filter(person=sister).count() == 1


def test_the_death_of_one_ends_his_benefit_and_not_the_others(both, siblings, huining_caseworker, huining_approver):
    first, second = both
    died = first.household.memberships.get(person=first.person)
    registry.end_membership(huining_caseworker, died, D(2026, 6, 3), "病故", reason="death", on=D(2026, 6, 5))
    # the registry reports the death to both live benefits of the household, each gets its review
    assert Review.objects.filter(benefit__household=siblings, trigger="death").count() == 2
    s.propose_termination(huining_caseworker, first.pk, ground="death", facts="本人病故", on=D(2026, 6, 5))
    s.terminate(huining_approver, first.pk, opinion="同意终止", on=D(2026, 6, 12))
    brother, sister = _benefit_of(first.person), _benefit_of(second.person)
    assert (brother.status, brother.end_month) == (Status.ENDED, D(2026, 7, 1))
    assert brother.reviews.get().state == "done"  # closed by the termination
    assert (sister.status, sister.amount_fen) == (Status.ACTIVE, 161000)
    # her review: she alone now, still 910.00 + 700.00 = 1610.00 — her own line, unchanged
    review = b.decide_review(huining_approver, sister.reviews.get(state="open").pk, reasons="", on=D(2026, 6, 15))
    assert (review.outcome, review.amount_after_fen) == ("continue", 161000)
    assert _benefit_of(second.person).status == Status.ACTIVE


def test_a_review_keeps_each_persons_own_amount_not_the_households_sum(both, huining_caseworker,
                                                                       huining_approver):
    first, _ = both
    benefit = _benefit_of(first.person)
    report = b.report_change(huining_caseworker, benefit.pk, kind="other", occurred_on=D(2026, 8, 1),
                             description="年度走访", on=D(2026, 8, 3))
    review = b.decide_review(huining_approver, report.reviews.get().pk, reasons="", on=D(2026, 8, 5))
    # 1260.00 (his line), not the household's 2870.00
    assert (review.outcome, review.amount_after_fen) == ("continue", 126000)
    assert "王大爷：基本生活标准 910.00 元 + 照料护理标准 350.00 元 = 1260.00 元/月" in review.reasons


def test_a_reassessed_tier_changes_only_that_persons_benefit(both, huining_caseworker):
    first, second = both
    s.report_change(huining_caseworker, first.pk, note="中风", reported_on=D(2026, 5, 6), on=D(2026, 5, 6))
    s.reassess(huining_caseworker, first.pk, unable=FIVE, on=D(2026, 5, 12))
    # 王大爷 now wholly lost: 910.00 + 700.00 = 1610.00 from June; 王大娘 untouched at 1610.00
    brother, sister = _benefit_of(first.person), _benefit_of(second.person)
    assert brother.amount_fen == 161000 and brother.changes.count() == 2
    assert sister.amount_fen == 161000 and sister.changes.count() == 1


def test_a_change_of_standard_recomputes_each_persons_line(both, huining_approver_2):
    first, second = both
    change = b.start_standard_change(huining_approver_2, region="620422", residence="urban", new_standard="750",
                                     effective_from=D(2026, 7, 1), consumption_growth="5", source="会民发")
    # TK-1 750.00 × 1.3 = 975.00 each: 975.00 + 350.00 = 1325.00; 975.00 + 700.00 = 1675.00
    brother = change.lines.get(benefit=_benefit_of(first.person))
    sister = change.lines.get(benefit=_benefit_of(second.person))
    assert (brother.kind, brother.amount_before_fen, brother.amount_after_fen) == ("gain", 126000, 132500)
    assert (sister.kind, sister.amount_before_fen, sister.amount_after_fen) == ("gain", 161000, 167500)
    assert brother.detail.startswith("王大爷：") and sister.detail.startswith("王大娘：")


def test_a_tekun_benefit_names_its_person(siblings):
    with pytest.raises(b.BenefitError) as e:
        b.start_benefit(None, household=siblings, program="tekun", amount_fen=126000, start_month=D(2026, 4, 1),
                        on=D(2026, 3, 20))
    assert e.value.field == "person"
    with pytest.raises(b.BenefitError) as e:
        b.start_benefit(None, household=siblings, program="dibao", amount_fen=126000, start_month=D(2026, 4, 1),
                        person=_member(siblings, "王大爷"), on=D(2026, 3, 20))
    assert e.value.field == "person"


def test_the_benefit_page_and_the_api_show_the_person(both, client_for, huining_approver):
    first, _ = both
    benefit = _benefit_of(first.person)
    c = client_for(huining_approver)
    html = c.get(f"/benefits/{benefit.pk}/").content.decode()
    assert "供养对象" in html and "王大爷" in html
    data = c.get(f"/api/v1/benefits/{benefit.pk}/").json()
    assert data["person"] == first.person_id and data["person_name"] == "王大爷"


def test_the_case_page_and_the_decision_notice_show_the_persons_own_line(both, client_for, huining_approver):
    _, second = both
    c = client_for(huining_approver)
    line = "王大娘：基本生活标准 910.00 元 + 照料护理标准 700.00 元 = 1610.00 元/月"
    page = c.get(f"/support/cases/{second.pk}/").content.decode()
    assert line in page and "全户特困供养金合计 2870.00 元，按人分别发放" in page
    notice = c.get(f"/support/cases/{second.pk}/documents/decision/").content.decode()
    # the notice to the person: the same line in full-width punctuation (a Chinese sentence)
    assert "1610.00" in notice and line.replace(":", "：") in notice
