"""The idle timeout without a session write on every page (issue 16, pages under load).

Sessions end after ``SESSION_COOKIE_AGE`` idle seconds. Django's ``SESSION_SAVE_EVERY_REQUEST``
would keep that exact by writing the session row (an UPDATE and a COMMIT) on every request; under
load that write is a large part of a list page's time. Instead, a request of a logged-in session
moves the expiry forward only when the last move is at least ``DOUDI_SESSION_TOUCH_SECONDS`` (60)
old. A session therefore ends between ``SESSION_COOKIE_AGE`` minus that interval and
``SESSION_COOKIE_AGE`` after the last request: never later than the idle limit, at most a minute
earlier. Any request that changes the session (a login, a message) saves it as before.
"""

from __future__ import annotations

import time

from django.conf import settings

KEY = "_doudi_touched"


class SessionTouchMiddleware:
    """After SessionMiddleware: marks the session modified (so that SessionMiddleware saves it with a
    new expiry) when it holds something and was last saved by this middleware long enough ago."""

    def __init__(self, get_response):  # noqa: ANN001
        self.get_response = get_response
        self.every = int(getattr(settings, "DOUDI_SESSION_TOUCH_SECONDS", 60))

    def __call__(self, request):  # noqa: ANN001, ANN204
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or session.is_empty():
            return response  # saved anyway, or nothing to keep alive
        now = int(time.time())
        try:
            touched = int(session.get(KEY, 0))
        except (TypeError, ValueError):
            touched = 0
        if now - touched >= self.every:
            session[KEY] = now
        return response
