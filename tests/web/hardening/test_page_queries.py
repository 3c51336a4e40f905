"""Pages under load (issue 16): a list or worklist page reads its rows in a fixed number of
queries, whatever the number of rows (no query per row). Each page is asked with a few rows, then
with four times as many; the query counts must be the same."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..conftest import HUINING_VILLAGE

pytestmark = pytest.mark.django_db

PAGES = ["/cases/worklist/", "/registry/households/", "/cases/", "/registry/kin-requests/",
         "/benefits/list/", "/support/cases/", "/relief/cases/", "/monitoring/warnings/", "/payments/accounts/",
         "/monitoring/register/"]


def _add(make_household, n: int, start: int, states=("submitted", "at_county")) -> None:
    from doudi.cases.models import Case
    from doudi.monitoring.models import RegisterEntry

    for k in range(start, start + n):
        hh = make_household(HUINING_VILLAGE, "urban", [(f"测试{k:03d}", "self", dt.date(1970, 1, 1 + k % 28), "M", {})])
        Case.objects.create(number=f"DB620422T{k:06d}", household=hh, region=HUINING_VILLAGE,
                            applicant_name=hh.head.name, state=states[k % len(states)],
                            submitted_on=dt.date(2024, 1, 1), due_on=dt.date(2024, 1, 1) + dt.timedelta(days=k))
        RegisterEntry.objects.create(household=hh, region=HUINING_VILLAGE, category="edge", way="rule",
                                     entered_on=dt.date(2024, 1, 1))  # 低收入人口: its head on the list


def _queries(client, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as q:
        r = client.get(path)
    return r.status_code, len(q.captured_queries)


def test_no_page_reads_a_query_per_row(client_for, make_household, huining_caseworker, huining_approver):
    users = {"caseworker": client_for(huining_caseworker), "approver": client_for(huining_approver)}
    _add(make_household, 3, 0)
    for c in users.values():  # the first page after the login writes the session's expiry (doudi.web.sessions)
        c.get("/registry/households/")
    few = {(u, p): _queries(c, p) for u, c in users.items() for p in PAGES}
    _add(make_household, 9, 3)
    many = {(u, p): _queries(c, p) for u, c in users.items() for p in PAGES}
    grown = {k: (few[k], many[k]) for k in few if few[k][0] == 200 and few[k] != many[k]}
    assert not grown, grown
    assert few[("caseworker", "/cases/worklist/")][0] == 200 and few[("approver", "/cases/worklist/")][0] == 200


def test_the_worklist_shows_the_cases_whose_time_limits_come_first_and_no_more(make_household, huining_caseworker):
    from doudi.cases import views
    from doudi.cases.views import worklist_items

    _add(make_household, 8, 0, states=("submitted",))
    old = views.WORKLIST_CASES
    views.WORKLIST_CASES = 3
    try:
        everything = worklist_items(huining_caseworker, dt.date(2024, 1, 1))
    finally:
        views.WORKLIST_CASES = old
    items = [i for i in everything if i["title"].startswith("DB")]
    assert [i["title"][:15] for i in items] == ["DB620422T000000", "DB620422T000001", "DB620422T000002"]
    # the cut is said, with the way to the rest: 8 cases, 3 shown
    more = [i for i in everything if i["title"].startswith("另有低保案件待办")]
    assert len(more) == 1 and "只列期限最早的 3 件" in more[0]["title"] and more[0]["url"] == "/cases/"


def test_the_worklist_says_nothing_of_a_cut_when_every_case_is_shown(make_household, huining_caseworker):
    from doudi.cases import views
    from doudi.cases.views import worklist_items

    _add(make_household, 3, 0, states=("submitted",))
    old = views.WORKLIST_CASES
    views.WORKLIST_CASES = 3
    try:
        items = worklist_items(huining_caseworker, dt.date(2024, 1, 1))
    finally:
        views.WORKLIST_CASES = old
    assert len([i for i in items if i["title"].startswith("DB")]) == 3
    assert not [i for i in items if i["title"].startswith("另有低保案件待办")]


def test_the_village_filter_offers_the_villages_of_the_users_rows(make_household, huining_caseworker,
                                                                   huining_approver, baotou_caseworker):
    """On PostgreSQL read by a loose scan of the region index; the same villages as the rows' own."""
    from doudi.cases.lists import CASES
    from doudi.registry.lists import HOUSEHOLDS
    from doudi.web import lists

    from ..conftest import BAOTOU_VILLAGE, OTHER_HUINING_VILLAGE

    _add(make_household, 3, 0)
    for region in (OTHER_HUINING_VILLAGE, BAOTOU_VILLAGE, "620422100202"):
        make_household(region, "urban", [(f"村{region[-3:]}", "self", dt.date(1960, 1, 1), "F", {})])
    for user in (huining_caseworker, huining_approver, baotou_caseworker):
        for spec in (HOUSEHOLDS, CASES):
            rows = spec.rows(user)
            want = sorted(set(rows.values_list(spec.region_field, flat=True)))
            assert [c for c, _name in lists.villages(user, spec, rows)] == want, (user.username, spec.key)
