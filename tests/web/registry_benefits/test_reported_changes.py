"""Registry changes that matter to a live benefit are reported to doudi.benefits (issue 5).

The Huining household of tests/web/conftest.py: 张建国 (head, wages 600 yuan a month), 李秀英
(spouse), 张小明 (child at school), urban, village 620422100201. Its 低保 benefit starts 2026-01.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from doudi.benefits.models import ReportedChange, Review
from doudi.registry import services
from doudi.registry.facts import update_facts

D = dt.date


@pytest.fixture
def start(db):
    """start(household, amount_fen=150000, month=2026-01-01, program="dibao") -> Benefit (by the system)."""
    from doudi.benefits.services import start_benefit
    from doudi.registry.documents import household_document

    def make(household, amount_fen: int = 150000, month: dt.date = dt.date(2026, 1, 1), program: str = "dibao", **kw):
        on = month - dt.timedelta(days=5)
        return start_benefit(None, household=household, program=program, amount_fen=amount_fen, start_month=month,
                             household_document=household_document(household, on), on=on, **kw)

    return make


@pytest.fixture
def benefit(start, huining_household):
    return start(huining_household)


def _membership(household, relation):
    return household.memberships.get(end__isnull=True, relation=relation)


def test_a_death_recorded_in_the_registry_is_reviewed_within_three_months(benefit, huining_caseworker):
    wife = _membership(benefit.household, "spouse")
    m = services.end_membership(huining_caseworker, wife, D(2026, 3, 31), "病故", reason="death", on=D(2026, 4, 2))
    assert (m.end, m.end_reason) == (D(2026, 3, 31), "death")
    review = Review.objects.get(benefit=benefit)
    # died 2026-03-31; 3 months later is 2026-06-31, which June lacks → its last day, 2026-06-30
    assert (review.trigger, review.due_on) == ("death", D(2026, 6, 30))
    report = review.report
    assert (report.kind, report.person_id, report.occurred_on) == ("death", wife.person_id, D(2026, 3, 31))
    assert report.member_facts == {"lives_together": False}
    assert report.reported_by == huining_caseworker and "李秀英" in report.description


def test_a_move_recorded_in_the_registry_is_reviewed_within_ten_working_days_across_the_spring_festival(
        benefit, huining_caseworker):
    son = _membership(benefit.household, "child")
    services.end_membership(huining_caseworker, son, D(2026, 2, 10), "外出就学", reason="moved", on=D(2026, 2, 13))
    review = Review.objects.get(benefit=benefit)
    # Recorded Fri 2026-02-13: Sat 14 worked (1); 15–23 Spring Festival off; 24 (2), 25 (3), 26 (4),
    # 27 (5), Sat 28 worked (6), Mar 2 (7), 3 (8), 4 (9), 5 (10)
    assert (review.trigger, review.due_on) == ("reported", D(2026, 3, 5))
    assert (review.report.kind, review.report.person_id) == ("moved", son.person_id)


def test_a_household_without_a_live_benefit_gets_no_review(huining_household, huining_caseworker):
    services.end_membership(huining_caseworker, _membership(huining_household, "spouse"), D(2026, 3, 31),
                            reason="death", on=D(2026, 4, 2))
    assert not ReportedChange.objects.exists() and not Review.objects.exists()


def test_a_stopped_benefit_gets_no_review(benefit, huining_caseworker):
    from doudi.benefits.models import Benefit, Status

    Benefit.objects.filter(pk=benefit.pk).update(status=Status.STOPPED)
    services.end_membership(huining_caseworker, _membership(benefit.household, "spouse"), D(2026, 3, 31),
                            reason="death", on=D(2026, 4, 2))
    assert not Review.objects.exists()


def test_another_towns_caseworker_can_neither_end_the_membership_nor_start_a_review(benefit,
                                                                                   other_town_caseworker):
    wife = _membership(benefit.household, "spouse")
    with pytest.raises(PermissionDenied):
        services.end_membership(other_town_caseworker, wife, D(2026, 3, 31), reason="death", on=D(2026, 4, 2))
    wife.refresh_from_db()
    assert wife.end is None and not Review.objects.exists()


def test_a_village_assistant_cannot_record_a_death_in_the_registry(benefit, huining_village_assistant):
    with pytest.raises(PermissionDenied):
        services.end_membership(huining_village_assistant, _membership(benefit.household, "spouse"),
                                D(2026, 3, 31), reason="death", on=D(2026, 4, 2))
    assert not Review.objects.exists()


def test_an_unknown_end_reason_is_refused_naming_the_field(benefit, huining_caseworker):
    with pytest.raises(ValidationError) as e:
        services.end_membership(huining_caseworker, _membership(benefit.household, "spouse"), D(2026, 3, 31),
                                reason="divorce", on=D(2026, 4, 2))
    assert "end_reason" in e.value.message_dict and not Review.objects.exists()


def test_a_death_dated_after_today_is_refused(benefit, huining_caseworker):
    with pytest.raises(ValidationError) as e:
        services.end_membership(huining_caseworker, _membership(benefit.household, "spouse"), D(2026, 4, 3),
                                reason="death", on=D(2026, 4, 2))
    assert "end" in e.value.message_dict


def test_a_member_added_is_reported_for_review(benefit, huining_caseworker):
    from ..conftest import make_id_number

    services.add_member(huining_caseworker, benefit.household, id_number=make_id_number("620422", D(1950, 1, 1)),
                        name="张老汉", relation="parent", start=D(2026, 2, 10), on=D(2026, 2, 13))
    review = Review.objects.get(benefit=benefit)
    # as for the move: 10 working days from Fri 2026-02-13 across the Spring Festival → 2026-03-05
    assert (review.trigger, review.due_on, review.report.kind) == ("reported", D(2026, 3, 5), "other")
    assert "张老汉" in review.report.description


def test_a_member_finding_work_recorded_in_the_facts_is_reported(benefit, huining_caseworker):
    hh = benefit.household
    hh.refresh_from_db()
    wife = _membership(hh, "spouse").person
    update_facts(huining_caseworker, hh, hh.version, dict(hh.facts),
                 {wife.pk: {"monthly_income": {"wages": "800.00"}}}, on=D(2026, 2, 13))
    report = ReportedChange.objects.get(benefit=benefit)
    assert (report.kind, report.person_id) == ("found_work", wife.pk)
    assert report.member_facts == {"monthly_income": {"wages": "800.00"}}
    assert report.reviews.get().due_on == D(2026, 3, 5)  # 10 working days from 2026-02-13, as above


def test_a_serious_illness_recorded_in_the_facts_is_reported_as_illness(benefit, huining_caseworker):
    hh = benefit.household
    head = _membership(hh, "self").person
    update_facts(huining_caseworker, hh, hh.version, dict(hh.facts),
                 {head.pk: {**head.facts, "serious_illness": True}}, on=D(2026, 2, 13))
    assert ReportedChange.objects.get(benefit=benefit).kind == "illness"


def test_facts_that_do_not_matter_to_the_benefit_start_no_review(benefit, huining_caseworker):
    hh = benefit.household
    son = _membership(hh, "child").person
    update_facts(huining_caseworker, hh, hh.version, dict(hh.facts),
                 {son.pk: {"school": {"stage": "senior"}}}, on=D(2026, 2, 13))
    assert not Review.objects.exists()


def test_the_member_end_page_records_a_death_with_its_reason_and_starts_a_review(benefit, huining_caseworker,
                                                                                 client_for):
    from django.utils import timezone

    wife = _membership(benefit.household, "spouse")
    today = timezone.localdate()
    url = f"/registry/households/{benefit.household.pk}/members/{wife.pk}/end/"
    c = client_for(huining_caseworker)
    assert "终止原因" in c.get(url).content.decode()
    resp = c.post(url, {"end": today.isoformat(), "end_reason": "death", "note": "病故"})
    assert resp.status_code == 302
    wife.refresh_from_db()
    assert (wife.end, wife.end_reason) == (today, "death")
    review = Review.objects.get(benefit=benefit)
    assert review.trigger == "death" and review.report.person_id == wife.person_id
    page = c.get(f"/registry/households/{benefit.household.pk}/").content.decode()
    assert "死亡" in page


def test_the_member_end_page_names_a_missing_reason(benefit, huining_caseworker, client_for):
    wife = _membership(benefit.household, "spouse")
    resp = client_for(huining_caseworker).post(
        f"/registry/households/{benefit.household.pk}/members/{wife.pk}/end/", {"end": "2026-03-31"})
    assert resp.status_code == 400 and "终止原因" in resp.content.decode()
    assert not Review.objects.exists()


def test_the_api_records_a_move_and_starts_a_review(benefit, huining_caseworker, client_for):
    son = _membership(benefit.household, "child")
    resp = client_for(huining_caseworker).post(
        f"/api/v1/households/{benefit.household.pk}/members/end/",
        {"member": son.pk, "end": "2026-02-10", "end_reason": "moved", "note": "外出就学"},
        content_type="application/json")
    assert resp.status_code == 200, resp.content
    assert resp.json()["end_reason"] == "moved"
    assert Review.objects.get(benefit=benefit).report.kind == "moved"


def test_the_api_refuses_an_end_from_another_town(benefit, other_town_caseworker, client_for):
    son = _membership(benefit.household, "child")
    resp = client_for(other_town_caseworker).post(
        f"/api/v1/households/{benefit.household.pk}/members/end/",
        {"member": son.pk, "end": "2026-02-10", "end_reason": "moved"}, content_type="application/json")
    assert resp.status_code == 404 and not Review.objects.exists()


def test_the_registry_imports_benefits_only_lazily():
    import ast
    from pathlib import Path

    import doudi.registry

    for path in Path(doudi.registry.__file__).parent.glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:  # module level only
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.startswith("doudi.benefits") for n in names), path.name
