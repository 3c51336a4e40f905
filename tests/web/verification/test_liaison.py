"""The department liaison: its own department's data sets only, and never a household's file —
every page of every app and every API endpoint, as that role."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from doudi.cases import services as cases
from doudi.verification import monthly, services
from web.conftest import make_id_number

from .conftest import DAY, PDF

pytestmark = pytest.mark.django_db

FILL = {"action": "request_verification", "kind": "application", "act": "clear", "step": "accept"}


def _patterns(resolvers=None, prefix=""):
    for p in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _urls(pks: list[int]):
    """Every page's URL with its parameters filled (each integer parameter with each of `pks`)."""
    seen = set()
    for raw in _patterns():
        path = raw.replace("^", "").replace("$", "")
        if path.startswith(("admin/", "static", "api/schema", "api/docs")) or "(?P<format>" in path:
            continue
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: f"<{m.group(1)}>", path)
        names = re.findall(r"<(?:\w+:)?(\w+)>", path)
        for v in pks if any(n not in FILL for n in names) else [None]:
            url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m, v=v: FILL.get(m.group(1), str(v)), path)
            if url not in seen:
                seen.add(url)
                yield url


@pytest.fixture
def world(investigated, huining_household, huining_caseworker, huining_verifier, upload, calendar):
    """A case with a verification request and a report, a benefit with a finding, department data of two departments."""
    from doudi.benefits.services import start_benefit
    from doudi.registry.documents import household_document

    head = huining_household.head
    assert upload("pension", ["身份证号", "姓名", "养老金类别", "起始月份", "月领取金额"],
                  [[head.id_number, head.name, "职工基本养老金", "2026-09", "1800"]]).ok
    assert upload("death", ["身份证号", "姓名", "出生日期", "区划代码", "死亡日期"],
                  [[make_id_number(), "公安甲", "", "", "2026-10-01"]]).ok
    case = investigated(huining_household)
    cases.request_verification(huining_caseworker, case.pk, authorisation=(PDF, "授权书.pdf"), on=DAY)
    req = case.verification_requests.get()
    services.run(huining_verifier, req.pk, on=DAY)
    b = start_benefit(None, household=huining_household, program="dibao", amount_fen=150000,
                      start_month=dt.date(2026, 1, 1), household_document=household_document(huining_household, DAY),
                      on=dt.date(2025, 12, 1))
    monthly.run_check(huining_verifier, "620422", on=DAY)
    from doudi.verification.models import Finding

    finding = Finding.objects.first()
    assert finding is not None
    return {"household": huining_household, "case": case, "request": req, "benefit": b, "finding": finding}


def test_no_page_or_api_shows_a_household_to_the_liaison(world, huining_liaison, client_for):
    hh = world["household"]
    head = hh.head
    secrets = [head.name, head.masked_id, head.id_number, hh.number, world["case"].number]
    pks = sorted({o.pk for o in world.values()} | {head.pk})
    c = client_for(huining_liaison)
    shown = []
    checked = 0
    for url in _urls(pks):
        checked += 1
        r = c.get(url)
        if r.status_code != 200:
            assert r.status_code in (302, 400, 403, 404, 405), f"GET {url} answered {r.status_code}"
            continue
        text = r.content.decode(errors="replace")
        leaked = [s for s in secrets if s and s in text]
        assert not leaked, f"GET {url} shows {leaked} to the liaison"
        shown.append(url)
    # what the liaison does see: its work pages and its own department's data
    assert "/verification/datasets/" in shown and "/api/v1/datasets/" in shown, shown
    assert checked > 100  # every page and endpoint of every app, with the objects' ids


def test_every_api_action_refuses_the_liaison(world, huining_liaison, client_for):
    c = client_for(huining_liaison)
    for url in (f"/api/v1/verification-requests/{world['request'].pk}/start/",
                f"/api/v1/verification-requests/{world['request'].pk}/run/",
                f"/api/v1/verification-requests/{world['request'].pk}/issue/",
                f"/api/v1/verification-requests/{world['request'].pk}/object/",
                f"/api/v1/findings/{world['finding'].pk}/clear/", f"/api/v1/findings/{world['finding'].pk}/review/",
                f"/api/v1/findings/{world['finding'].pk}/confirm/", "/api/v1/check-runs/"):
        r = c.post(url, {"reason": "x", "objection": "x", "county": "620422"}, content_type="application/json")
        assert r.status_code in (403, 404), f"POST {url} answered {r.status_code}"
    world["request"].refresh_from_db()
    assert world["request"].state == "started"


def test_the_liaison_sees_its_own_departments_data_sets_only(world, huining_liaison, client_for):
    c = client_for(huining_liaison)
    page = c.get("/verification/datasets/").content.decode()
    assert "人社·养老金领取" in page and "公安·死亡登记" not in page
    api = c.get("/api/v1/datasets/").json()
    assert [d["kind"] for d in api["results"]] == ["pension"]
    assert [s["kind"] for s in c.get("/api/v1/snapshots/").json()["results"]] == ["pension"]


def test_the_liaison_uploads_through_the_page_and_the_api(world, huining_liaison, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import csv_bytes

    c = client_for(huining_liaison)
    data = csv_bytes(["身份证号", "姓名", "起始月份", "月领取金额"], [[make_id_number(), "失业甲", "2026-10", "1500"]])
    r = c.post("/verification/datasets/upload/", {"kind": "unemployment", "area": "620422",
                                                  "extracted_on": DAY.isoformat(),
                                                  "file": SimpleUploadedFile("u.csv", data)})
    assert r.status_code == 302
    bad = csv_bytes(["身份证号", "姓名", "起始月份", "月领取金额"], [["123", "失业乙", "2026-10", "x"]])
    r = c.post("/api/v1/snapshots/", {"kind": "unemployment", "area": "620422",
                                       "extracted_on": (DAY + dt.timedelta(days=1)).isoformat(),
                                       "file": SimpleUploadedFile("u.csv", bad)})
    assert r.status_code == 400
    assert {(p["row"], p["column"]) for p in r.json()["problems"]} == {(2, "身份证号"), (2, "月领取金额")}
    # another department's kind is not even offered, and refused when posted
    r = c.post("/verification/datasets/upload/", {"kind": "death", "area": "620422", "extracted_on": DAY.isoformat(),
                                                  "file": SimpleUploadedFile("d.csv", data)})
    assert r.status_code == 400 and "公安·死亡登记" not in r.content.decode()
