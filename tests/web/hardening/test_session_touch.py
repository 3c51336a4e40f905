"""Pages under load (issue 16): a page does not write the session row on every request; the idle
timeout (SESSION_COOKIE_AGE after the last request, to within DOUDI_SESSION_TOUCH_SECONDS earlier)
still holds, because a request moves the expiry forward once the last move is a minute old."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from doudi.web.sessions import KEY

pytestmark = pytest.mark.django_db


def _session_writes(client, path: str) -> int:
    with CaptureQueriesContext(connection) as q:
        assert client.get(path).status_code == 200
    return sum(1 for x in q.captured_queries if "django_session" in x["sql"]
               and x["sql"].lstrip().upper().startswith(("UPDATE", "INSERT")))


def _row(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_pages_within_a_minute_write_no_session_row(client_for, huining_caseworker):
    c = client_for(huining_caseworker)
    households = reverse("registry:household_list")
    _session_writes(c, households)  # the first page after the login stamps the session
    assert [_session_writes(c, households) for _ in range(3)] == [0, 0, 0]


def test_a_page_a_minute_later_moves_the_expiry_forward(client_for, huining_caseworker):
    c = client_for(huining_caseworker)
    households = reverse("registry:household_list")
    _session_writes(c, households)
    s = c.session
    s[KEY] = int(timezone.now().timestamp()) - settings.DOUDI_SESSION_TOUCH_SECONDS  # last moved a minute ago
    s.save()
    row = _row(c)
    old = timezone.now() + dt.timedelta(seconds=60)  # any earlier expiry: set it back to show the move
    Session.objects.filter(pk=row.pk).update(expire_date=old)
    assert _session_writes(c, households) == 1
    new = _row(c).expire_date
    # the new expiry is the idle limit after this request (give or take the request's own seconds)
    assert abs((new - timezone.now()).total_seconds() - settings.SESSION_COOKIE_AGE) < 30
    assert _session_writes(c, households) == 0


def test_an_idle_session_still_ends(client_for, huining_caseworker):
    c = client_for(huining_caseworker)
    households = reverse("registry:household_list")
    _session_writes(c, households)
    Session.objects.filter(pk=_row(c).pk).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    r = c.get(households)
    assert r.status_code == 302 and "/login" in r["Location"]
