"""Fixtures of the programs' tests (doudi.programs)."""

from __future__ import annotations

import datetime as dt

import pytest

D = dt.date
DAY = D(2026, 3, 2)  # a Monday clear of holidays


@pytest.fixture
def child_household(make_household):
    """A grandmother （wages 3000 a month: not 低保） and her grandson born 2015-05-10, in Huining's village."""
    return make_household(members=[
        ("王奶奶", "self", D(1960, 4, 1), "F", {"monthly_income": {"wages": 3000}}),
        ("王小宝", "other", D(2015, 5, 10), "M", {}),
    ])


@pytest.fixture
def child(child_household):
    return child_household.memberships.get(person__name="王小宝").person


@pytest.fixture
def defacto_file(huining_caseworker, child):
    """The grandson's file: father imprisoned for 24 months, mother out of contact for 8 (NAT-CH-DEFACTO)."""
    from doudi.programs import children

    return children.open_file(huining_caseworker, person_id=child.pk, category="defacto", guardian_name="王奶奶",
                              guardian_relation="祖母", situation="随祖母生活", father_status="imprisoned",
                              father_months=24, mother_status="lost_contact", mother_months=8, on=DAY)
