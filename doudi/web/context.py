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


def _worklist_urls() -> set[str]:
    """The pages 工作台 stands for: the start page and the worklists it redirects to."""
    urls = {"/"}
    for name in ("worklist", "cases:worklist"):
        try:
            urls.add(reverse(name))
        except NoReverseMatch:
            pass
    return urls


def _mark_active(nav: list[dict], path: str) -> None:
    """One entry is current: 工作台 on a worklist page, else the entry whose URL is the longest prefix of the path
    (so that /cases/worklist/ is not 低保案件's /cases/)."""
    home = reverse("home")
    if path in _worklist_urls():
        for item in nav:
            item["active"] = item["url"] == home
        return
    best = max((item for item in nav if item["url"] != "/" and path.startswith(item["url"])),
               key=lambda item: len(item["url"]), default=None)
    if best is not None:
        best["active"] = True


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
        nav.append({"label": label, "url": url, "active": False})
    _mark_active(nav, request.path)
    if user.is_staff:
        nav.append({"label": "系统管理", "url": reverse("admin:index"), "active": request.path.startswith("/admin/")})
    roles = [f"{Role(r).label}（{a}）" for r, a in access.roles_of(user)]
    return {"nav": nav, "user_roles": roles}
