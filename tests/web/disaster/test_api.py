"""The disaster-relief REST API: the same services and forms as the pages (errors name the field,
in Chinese), the four steps, area isolation."""

from __future__ import annotations

import pytest

from doudi.disaster.models import Grant

from ..conftest import HUINING_TOWN

pytestmark = pytest.mark.django_db


def test_report_apply_and_the_four_steps_through_the_api(client_for, huining_caseworker, huining_village_assistant,
                                                        huining_reviewer, huining_approver, huining_household):
    c = client_for(huining_caseworker)
    r = c.post("/api/v1/disaster-events/", {"region": "1", "kind": "flood", "stage": "emergency",
                                            "occurred_at": "2026-03-02T08:00", "description": "山洪"},
               content_type="application/json")
    assert r.status_code == 400 and "受灾区域" in r.json()["region"][0]
    r = c.post("/api/v1/disaster-events/", {"region": HUINING_TOWN, "kind": "flood", "stage": "emergency",
                                            "occurred_at": "2026-03-02T08:00:00", "description": "山洪"},
               content_type="application/json")
    assert r.status_code == 201, r.content
    event = r.json()["id"]
    r = c.post("/api/v1/disaster-grants/", {"event_id": event, "household_id": huining_household.pk,
                                            "losses": "房屋倒塌", "house_collapsed": True}, content_type="application/json")
    assert r.status_code == 201 and r.json()["priority"] == 1
    pk = r.json()["id"]
    r = c.post(f"/api/v1/disaster-grants/{pk}/steps/appraise/", {"appraisal": "同意"}, content_type="application/json")
    assert r.status_code == 400 and "不能再办理下一环节" in str(r.json())  # four eyes: not its own appraisal
    for user, step, data, state in ((huining_village_assistant, "appraise", {"appraisal": "同意"}, "appraised"),
                                    (huining_reviewer, "review", {"opinion": "属实"}, "reviewed"),
                                    (huining_approver, "approve", {"amount": "800"}, "approved")):
        r = client_for(user).post(f"/api/v1/disaster-grants/{pk}/steps/{step}/", data, content_type="application/json")
        assert r.status_code == 200 and r.json()["state"] == state, r.content
    assert Grant.objects.get().amount_fen == 80000
    r = client_for(huining_approver).post(f"/api/v1/disaster-grants/{pk}/steps/approve/", {},
                                          content_type="application/json")
    assert r.status_code == 400


def test_the_api_keeps_to_the_users_areas(client_for, flood, walk, huining_household, baotou_caseworker):
    g = walk(flood(), huining_household, to="applied")
    c = client_for(baotou_caseworker)
    body = c.get("/api/v1/disaster-grants/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert rows == []
    assert c.get(f"/api/v1/disaster-grants/{g.pk}/").status_code == 404
    body = c.get("/api/v1/disaster-events/").json()
    assert (body["results"] if isinstance(body, dict) else body) == []
