"""The REST API under /api/v1/: same services, same area and role rules, errors naming the field."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.cases import services as s
from doudi.cases.procedure import State

from .conftest import DAY

pytestmark = pytest.mark.django_db


def test_a_caseworker_registers_and_accepts_an_application_through_the_api(huining_caseworker, huining_household,
                                                                            client_for):
    c = client_for(huining_caseworker)
    r = c.post("/api/v1/cases/", {"household_id": huining_household.pk}, content_type="application/json")
    assert r.status_code == 201, r.content
    case = r.json()
    r = c.post(f"/api/v1/cases/{case['id']}/steps/accept/", {"version": case["version"]},
               content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == State.ACCEPTED
    assert [e["action"] for e in r.json()["events"]] == ["submit", "accept"]


def test_the_api_names_the_field_of_bad_input(walk, huining_household, huining_caseworker, client_for):
    case = walk(huining_household, "accepted")
    r = client_for(huining_caseworker).post(f"/api/v1/cases/{case.pk}/steps/investigate/", {
        "investigators": [huining_caseworker.pk], "visited_on": "2026-13-01", "findings": ""},
        content_type="application/json")
    assert r.status_code == 400
    body = r.json()
    assert "visited_on" in body and "findings" in body


def test_a_baotou_user_cannot_list_or_act_on_huining_cases_through_the_api(walk, huining_household,
                                                                            baotou_approver, client_for):
    case = walk(huining_household, "at_county")
    c = client_for(baotou_approver)
    assert c.get("/api/v1/cases/").json()["results"] == []
    assert c.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert c.post(f"/api/v1/cases/{case.pk}/steps/approve/", {}, content_type="application/json").status_code == 404


def test_the_api_refuses_the_approval_of_whoever_investigated(walk, huining_household, huining_caseworker,
                                                              huining_approver, client_for):
    from doudi.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=huining_caseworker, role="county_approver", area="620422")
    case = walk(huining_household, "at_county")
    s.record_spot_check(huining_approver, case.pk, visited_on=DAY, findings="属实", consistent=True, on=DAY)
    r = client_for(huining_caseworker).post(f"/api/v1/cases/{case.pk}/steps/approve/", {},
                                            content_type="application/json")
    assert r.status_code == 403


def test_the_decision_is_served_as_stored(walk, huining_household, huining_approver, client_for):
    case = walk(huining_household, "at_county")
    s.record_spot_check(huining_approver, case.pk, visited_on=DAY, findings="属实", consistent=True, on=DAY)
    s.approve(huining_approver, case.pk, on=DAY + dt.timedelta(days=12))
    d = client_for(huining_approver).get(f"/api/v1/cases/{case.pk}/").json()["decision"]
    assert d["amount"] == "1500.00" and d["payment_start"] == "2026-12-01"
    assert d["assessment"]["programs"]["dibao"]["trace"]


def test_an_anonymous_caller_gets_nothing(client):
    assert client.get("/api/v1/cases/").status_code in (401, 403)


def test_the_openapi_document_lists_the_case_endpoints(huining_caseworker, client_for):
    r = client_for(huining_caseworker).get("/api/schema/")
    assert r.status_code == 200
    assert b"/api/v1/cases/{id}/steps/{step}/" in r.content
