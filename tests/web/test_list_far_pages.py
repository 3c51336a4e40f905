"""A far page of a list (an OFFSET) is read in two steps — the page's keys, then those rows with their
joins (doudi.web.lists.page_rows, for the warning list of a county with 100,000 warnings, issue 13) —
and gives exactly the rows, in the order, that one query gives."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import HUINING_VILLAGE, OTHER_HUINING_VILLAGE

pytestmark = pytest.mark.django_db


def test_far_pages_equal_one_query_with_the_joins_loaded(make_household, django_assert_num_queries):
    from django.core.paginator import Paginator

    from doudi.registry.models import Membership
    from doudi.web.lists import page_rows

    for i in range(7):
        make_household(HUINING_VILLAGE if i % 2 else OTHER_HUINING_VILLAGE, "rural",
                       [(f"成员{i}", "self", dt.date(1960 + i, 1, 1), "M" if i % 3 else "F", {})])
    # an order on a joined field with ties, broken by the key
    rows = Membership.objects.select_related("household", "person").order_by("household__region_code", "-id")
    for k in range(1, 8):
        want = [m.pk for m in rows[k:k + 3]]
        with django_assert_num_queries(2 if k < 7 else 1):  # past the end: the keys' query only
            got = page_rows(rows[k:k + 3])
            names = [m.person.name for m in got] + [m.household.region_code for m in got]  # joins loaded
        assert [m.pk for m in got] == want and len(names) == 2 * len(want)
    page = Paginator(rows, 3).get_page(3)
    assert [m.pk for m in page_rows(page)] == [m.pk for m in rows[6:9]]
    first, want = Paginator(rows, 3).get_page(1), [m.pk for m in rows[:3]]
    with django_assert_num_queries(1):  # the first page: one query
        assert [m.pk for m in page_rows(first)] == want
