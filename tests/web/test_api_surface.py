"""Every endpoint of the OpenAPI document — of every app — needs a login and answers only for the user's areas.

The paths come from /api/schema/, so an endpoint added by any app is checked without editing this file.
"""

import re

import pytest
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db


def _paths(client) -> dict:
    r = client.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    return r.json()["paths"]


def _fill(path: str, op: dict | None = None) -> str | None:
    """The path with its parameters filled (enum values where the schema gives them, else 1);
    None when no URL resolves (a parameter with a pattern this cannot guess)."""
    enums = {p["name"]: (p.get("schema", {}).get("enum") or [None])[0]
             for p in (op or {}).get("parameters", []) if p.get("in") == "path"}
    url = re.sub(r"[{]([^}]+)[}]", lambda m: str(enums.get(m.group(1)) or 1), path)
    try:
        resolve(url)
    except Resolver404:
        return None
    return url


def test_the_schema_lists_the_registry_endpoints(client_for, huining_caseworker):
    paths = _paths(client_for(huining_caseworker))
    assert "/api/v1/households/" in paths and "/api/v1/households/{id}/" in paths


def test_every_endpoint_refuses_an_anonymous_request(client, client_for, huining_caseworker):
    paths = _paths(client_for(huining_caseworker))
    for path, ops in paths.items():
        for method in ops:
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            url = _fill(path, ops[method])
            if url is None:
                continue
            r = client.get(url) if method == "get" else getattr(client, method)(url, content_type="application/json")
            assert r.status_code in (401, 403), f"{method.upper()} {path} answered {r.status_code} without login"


def test_no_list_endpoint_shows_a_huining_household_to_a_baotou_user(client_for, baotou_caseworker,
                                                                      huining_caseworker, huining_household):
    from doudi.accounts import audit
    from doudi.accounts.models import AuditKind

    audit.record(huining_caseworker, AuditKind.READ, huining_household, reason="会宁查阅")
    head = huining_household.head
    c = client_for(baotou_caseworker)
    for path, ops in _paths(c).items():
        if "get" not in ops or "{" in path:
            continue
        r = c.get(path)
        if r.status_code != 200:
            continue
        text = r.content.decode()
        for secret in (head.name, head.masked_id, head.id_number, huining_household.region_code):
            assert secret not in text, f"GET {path} shows {secret} to a Baotou user"
