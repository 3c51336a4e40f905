"""The one worklist (/cases/worklist/) shows a user only what that user can act on: four eyes keep
a case's approval off the worklist of whoever investigated it, and off the first approver's of a
relative's case; a benefit review is on the worklist of the county that decides it."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.cases.views import worklist_items

from .conftest import DAY

pytestmark = pytest.mark.django_db


def _on_worklist(user, case) -> bool:
    return any(case.number in i["title"] for i in worklist_items(user, DAY))


def _after_any_spot_check(case, approver):
    from doudi.cases import services as s

    check = case.spot_checks.order_by("-drawn_at").first()
    if check and check.selected:
        s.record_spot_check(approver, case.pk, visited_on=DAY, findings="属实", consistent=True, on=DAY)


def test_whoever_investigated_does_not_find_the_approval_on_his_worklist(walk, huining_household, huining_caseworker_2,
                                                                          huining_approver):
    from doudi.accounts import access
    from doudi.accounts.models import RoleAssignment

    case = walk(huining_household, "at_county")
    _after_any_spot_check(case, huining_approver)
    # the second investigator also holds the county approver's role (one person, two posts)
    RoleAssignment.objects.create(user=huining_caseworker_2, role="county_approver", area="620422")
    access.forget(huining_caseworker_2)
    assert _on_worklist(huining_approver, case)
    assert not _on_worklist(huining_caseworker_2, case)


def test_the_first_approver_of_a_relatives_case_waits_for_the_second(walk, huining_household, huining_approver,
                                                                     huining_approver_2):
    from doudi.cases import services as s

    case = walk(huining_household, "at_county", kin=True)
    s.record_spot_check(huining_approver, case.pk, visited_on=DAY, findings="属实", consistent=True, on=DAY)
    assert _on_worklist(huining_approver, case) and _on_worklist(huining_approver_2, case)
    s.approve(huining_approver, case.pk, on=DAY + dt.timedelta(days=12))
    assert not _on_worklist(huining_approver, case)
    assert _on_worklist(huining_approver_2, case)


def test_roles_that_take_no_step_have_an_empty_worklist(walk, huining_household, huining_village_assistant,
                                                        supervisor, auditor):
    walk(huining_household, "at_county")
    for user in (huining_village_assistant, supervisor, auditor):
        assert worklist_items(user, DAY) == [], user.username
