"""Template context: the navigation, built from each app's optional ``nav`` module.

An app adds entries by defining ``doudi/<app>/nav.py`` with
``NAV = [("标签", "url-name", "action or None"), ...]``; an entry shows when the URL resolves
and the user may take the action somewhere.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from doudi.accounts import access
from doudi.accounts.roles import Role

WEB_NAV = [("工作台", "home", None)]


def _entries() -> list[tuple[str, str, str | None]]:
    out = list(WEB_NAV)
    for app in settings.DOUDI_APPS:
        try:
            if find_spec(f"{app}.nav") is None:
                continue
        except (ImportError, ValueError):
            continue
        out.extend(getattr(import_module(f"{app}.nav"), "NAV", []))
    return out


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": [], "user_roles": []}
    nav = []
    for label, url_name, action in _entries():
        if action and not access.can(user, action):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        if any(item["url"] == url for item in nav):  # one entry per page (an app may list it for two actions)
            continue
        nav.append({"label": label, "url": url, "active": request.path == url or
                    (url != "/" and request.path.startswith(url))})
    if user.is_staff:
        nav.append({"label": "系统管理", "url": reverse("admin:index"), "active": request.path.startswith("/admin/")})
    roles = [f"{Role(r).label}（{a}）" for r, a in access.roles_of(user)]
    return {"nav": nav, "user_roles": roles}
