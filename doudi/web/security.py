"""Response headers of every page (issue 16 item 6): a Content-Security-Policy, and
``Cache-Control: no-store`` on every answer to a logged-in user (every such page or API answer
may carry personal data, so no browser or proxy keeps a copy). HSTS is Django's own
(SECURE_HSTS_SECONDS, set in settings when DOUDI_HTTPS is on); a logging filter keeps 4xx
answers (403 PermissionDenied above all) out of the log as tracebacks.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.cache import add_never_cache_headers

# Scripts only from the application's own files (htmx, doudi.js, echarts); inline styles are allowed
# (a few templates and htmx's indicator use them), nothing may frame the pages.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):  # noqa: ANN001
        self.get_response = get_response

    def __call__(self, request):  # noqa: ANN001, ANN204
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", getattr(settings, "DOUDI_CSP", CSP))
        response.headers.setdefault("Referrer-Policy", "same-origin")
        user = getattr(request, "user", None)
        static = request.path.startswith(settings.STATIC_URL or "/static/")
        if not static and user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response


class No4xxTraceback(logging.Filter):
    """Keep the one-line warning of a 4xx answer but drop its traceback (a refusal is not an error)."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= int(status) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
