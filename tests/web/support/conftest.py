"""Fixtures of the 特困 tests: a Huining urban elder living alone, and a case walked to a state."""

from __future__ import annotations

import datetime as dt

import pytest

from ..conftest import HUINING_VILLAGE

D = dt.date
START = D(2026, 3, 2)  # a Monday clear of holidays


@pytest.fixture
def elder_household(make_household):
    """会宁 urban, one member aged 75 in 2026, no income, no supporter: 特困 by NAT-TK-COND."""
    return make_household(HUINING_VILLAGE, "urban", [("王老汉", "self", D(1951, 4, 2), "M", {})])


@pytest.fixture
def walk(cast):
    """walk(household, to=..., unable=[...], mode=..., person=...) → a case (of `person`, by default the
    first member) taken through the steps up to `to`."""
    from doudi.support import services as s

    def run(household, to: str = "approved", unable=("bathing", "dressing"), mode: str = "dispersed",
            start: dt.date = START, person=None):
        cw, cw2, rev, app = (cast["huining_caseworker"], cast["huining_caseworker_2"], cast["huining_reviewer"],
                             cast["huining_approver"])
        person = person or household.memberships.first().person
        case = s.submit(cw, household_id=household.pk, person_id=person.pk, on=start)
        if to == "submitted":
            return case
        s.accept(cw, case.pk, on=start)
        if to == "accepted":
            return _fresh(case)
        s.investigate(cw, case.pk, visited_on=start, findings="独居,无劳动能力,无收入", mode=mode, unable=list(unable),
                      investigators=[cw2.pk], on=start)
        if to == "investigated":
            return _fresh(case)
        s.propose(rev, case.pk, recommend=True, opinion="符合特困人员条件", on=start)
        if to == "in_notice":
            return _fresh(case)
        s.close_notice(rev, case.pk, on=start + dt.timedelta(days=7))
        case = _fresh(case)
        if to == "at_county":
            return case
        check = case.spot_checks.last()
        if check.selected:
            s.record_spot_check(app, case.pk, visited_on=start + dt.timedelta(days=8), findings="抽查属实",
                                consistent=True, on=start + dt.timedelta(days=8))
        s.approve(app, case.pk, opinion="同意", on=start + dt.timedelta(days=9))
        return _fresh(case)

    return run


def _fresh(case):
    case.refresh_from_db()
    return case
