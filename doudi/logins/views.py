"""The login throttle's answers: the client's address, and the page shown to a locked-out login."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.shortcuts import render


def client_ip(request) -> str:
    """The address a login attempt is counted against (django-axes' AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, unless it is one of the reverse proxies in DOUDI_TRUSTED_PROXIES: then the
    right-most address of X-Forwarded-For that is not a trusted proxy (the one the proxy saw)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = set(getattr(settings, "DOUDI_TRUSTED_PROXIES", ()) or ())
    if remote not in trusted:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for addr in reversed(forwarded):
        if addr in trusted:
            continue
        try:
            return str(ipaddress.ip_address(addr))
        except ValueError:
            break
    return remote


def locked_out(request, original_response=None, credentials=None):
    """The login page again, with the reason, status 429 (too many failed logins)."""
    minutes = int(getattr(settings, "DOUDI_LOGIN_LOCK_MINUTES", 30))
    return render(request, "logins/locked.html", {"minutes": minutes}, status=429)
