"""No answer shows a full ID number that was not asked for, and no read of a person's file goes
unaudited (security.md, issue 16 items 1 and 6).

The demo database (`doudi demo`'s populate) is crawled as every demo user: every page reachable
by links from the home page and the worklist, and every GET endpoint of the OpenAPI document
(details filled with the ids the lists give). A full ID number of a registered person or user
may appear only in the answer to an explicit reveal, which writes an audit entry of kind
``reveal_id``; nowhere else, for any role — those with ``person.full_id`` see masked numbers
until they ask. And every API detail, and every page of one object (``…/N/``, ``…/N/edit/``,
``…/N/facts/``), that shows a registered person's name writes an audit entry.
"""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urldefrag, urlparse

import pytest

from doudi.accounts.masking import full_ids_in, mask_ids, mask_text

pytestmark = pytest.mark.django_db

TEXT_TYPES = ("text/html", "application/json", "text/csv", "text/plain", "application/xml")
SKIP = ("/logout/", "/static/", "/password/", "/admin/logout/", "/admin/password_change/", "/api/docs/")
PER_PATTERN = 2       # pages of one URL pattern (digits replaced) per user
PAGES_PER_USER = 120  # a bound on the crawl of one user
HREF = re.compile(r"""(?:href|hx-get)=["']([^"'#]+)["']""")


def _pattern(url: str) -> str:
    p = urlparse(url)
    keys = sorted(k.split("=")[0] for k in p.query.split("&") if k)
    return re.sub(r"\d+", "N", p.path) + "?" + "&".join(keys)


def _valid_number() -> str:
    from doudi.policy.identity import check_character

    first17 = "62042219750308001"
    return first17 + check_character(first17)


def test_masking_keeps_other_numbers_and_masks_ids_in_keys_values_and_text():
    n = _valid_number()
    data = {"person_lines": {n: [{"id_number": n, "note": f"身份证号 {n} 已登记"}]}, "bank": "6222020200112233445",
            "count": 3}
    out = mask_ids(data)
    assert n not in str(out) and f"{n[:6]}********{n[-4:]}" in str(out)
    assert out["bank"] == "6222020200112233445" and out["count"] == 3
    assert mask_text("1" * 18) == "1" * 18  # not a valid ID number


DETAIL_PAGE = re.compile(r"/\d+/(?:edit/|facts/)?$")


def _json_strings(data) -> set[str]:
    if isinstance(data, str):
        return {data}
    if isinstance(data, dict):
        return set().union(*(_json_strings(v) for v in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(_json_strings(v) for v in data)) if data else set()
    return set()


def _crawl(client, user, api_paths: dict, known: set[str], violations: list[str], names: set[str] = frozenset(),
           unaudited: list[str] | None = None) -> int:
    from doudi.accounts.models import AuditEntry, AuditKind

    seen_patterns: dict[str, int] = defaultdict(int)
    queue = ["/", "/worklist/"]
    lists = [p for p, ops in api_paths.items() if "get" in ops and "{" not in p]
    details = {p: ops for p, ops in api_paths.items() if "get" in ops and p.count("{") == 1 and p.endswith("}/")}
    queue += lists
    visited: set[str] = set()
    n = 0
    while queue and n < PAGES_PER_USER:
        url = urldefrag(queue.pop(0))[0]
        if url in visited or any(url.startswith(s) for s in SKIP) or not url.startswith("/"):
            continue
        pat = _pattern(url)
        if seen_patterns[pat] >= PER_PATTERN:
            continue
        visited.add(url)
        seen_patterns[pat] += 1
        before = AuditEntry.objects.filter(user=user, kind=AuditKind.REVEAL_ID).count()
        entries = AuditEntry.objects.filter(user=user).count()
        r = client.get(url)
        n += 1
        ctype = r.get("Content-Type", "")
        if r.status_code != 200 or not ctype.startswith(TEXT_TYPES) or getattr(r, "streaming", False):
            continue
        text = r.content.decode("utf-8", "replace")
        shown = [x for x in full_ids_in(text) if x in known]
        if shown:
            revealed = AuditEntry.objects.filter(user=user, kind=AuditKind.REVEAL_ID).count() > before
            if not revealed:
                violations.append(f"{user.username}: GET {url} shows {len(shown)} full ID number(s), e.g. {shown[0][:6]}…")
        if unaudited is not None:
            path = url.split("?")[0]
            if ctype.startswith("application/json") and path.startswith("/api/v1/") and DETAIL_PAGE.search(path):
                named = bool(_json_strings(r.json()) & names)
            elif ctype.startswith("text/html") and DETAIL_PAGE.search(path):
                named = any(n in text for n in names)
            else:
                named = False
            if named and AuditEntry.objects.filter(user=user).count() == entries:
                unaudited.append(f"{user.username}: GET {url}")
        if ctype.startswith("text/html"):
            for href in HREF.findall(text):
                href = href.replace("&amp;", "&")
                if href.startswith("/") and href not in visited:
                    queue.append(href)
        elif ctype.startswith("application/json") and url.startswith("/api/v1/"):
            body = r.json()
            rows = body.get("results", body) if isinstance(body, dict) else body
            ids = [row["id"] for row in rows if isinstance(row, dict) and "id" in row][:PER_PATTERN] \
                if isinstance(rows, list) else []
            for path in details:
                if path.rsplit("{", 1)[0] == url.split("?")[0]:
                    queue += [re.sub(r"[{][^}]+[}]", str(i), path) for i in ids]
    return n


def test_no_answer_of_any_demo_role_shows_an_unrevealed_id_number_or_reads_a_file_unaudited(calendar):
    from django.test import Client

    from doudi.accounts.models import User
    from doudi.registry.models import Person
    from doudi.web import demo

    demo.populate()
    known = set(Person.objects.values_list("id_number", flat=True)) | {
        x for x in User.objects.values_list("id_number", flat=True) if x}
    assert len(known) > 300
    names = {n for n in Person.objects.values_list("name", flat=True) if len(n) >= 3}
    violations: list[str] = []
    unaudited: list[str] = []
    total = 0
    admin = Client()
    admin.force_login(User.objects.get(username="jingban"))
    api_paths = admin.get("/api/schema/", {"format": "json"}).json()["paths"]
    for du in demo.USERS:
        user = User.objects.get(username=du.username)
        c = Client()
        c.force_login(user)
        total += _crawl(c, user, api_paths, known, violations, names, unaudited)
    assert total > 500
    assert not violations, "\n".join(violations[:40])
    assert not unaudited, "reads of a person's file not audited:\n" + "\n".join(unaudited[:60])
