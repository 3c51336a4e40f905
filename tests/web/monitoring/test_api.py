"""The monitoring REST API (/api/v1/warnings/, /api/v1/low-income/) per role: area scoping like the
pages (outside the user's areas 404), masked ID numbers, every read of one warning or register
entry audited, the task's steps (assign, visit, link, application, close) with refusals naming the
field in Chinese, and the village assistant who sees only his village and his own reports."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.web.monitoring.conftest import DAY, alerts, member, scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def warned(worker, upload):
    """MW-MEDICAL on the worker household (Huining village 620422100201): 刘芳's 20,000.00 out of pocket
    is above half of the yearly 36,000.00 (tests/web/monitoring/test_scan.py)."""
    p = member(worker, "刘芳")
    upload("medical_cost", ["身份证号", "姓名", "年度", "政策范围内个人自付"], [[p.id_number, p.name, 2026, "20000.00"]])
    scan()
    return alerts(worker, "MW-MEDICAL")[0]


def rows(response):
    assert response.status_code == 200, response.content
    data = response.json()
    return data["results"] if isinstance(data, dict) else data


def test_township_caseworker_lists_reads_audited_and_takes_the_task_to_its_end(warned, client_for,
                                                                              huining_caseworker):
    from doudi.accounts.models import AuditEntry

    c = client_for(huining_caseworker)
    assert [r["id"] for r in rows(c.get("/api/v1/warnings/", {"level": "red", "area": "620422100"}))] == [warned.pk]
    assert rows(c.get("/api/v1/warnings/", {"area": "620422101"})) == []
    assert c.get("/api/v1/warnings/", {"area": "62x"}).json() == {"area": ["区划代码应为2、4、6、9或12位数字"]}
    before = AuditEntry.objects.filter(action="monitoring.read").count()
    one = c.get(f"/api/v1/warnings/{warned.pk}/").json()
    assert one["rule_name"] == "大额医疗支出" and one["visits"] == [] and one["overdue"] is True
    assert AuditEntry.objects.filter(action="monitoring.read").count() == before + 1
    assert [t["id"] for t in rows(c.get("/api/v1/warnings/tasks/"))] == [warned.pk]

    r = c.post(f"/api/v1/warnings/{warned.pk}/assign/", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["assigned_to"] == huining_caseworker.display_name
    # a visit dated before the warning: refused, the field named in Chinese
    r = c.post(f"/api/v1/warnings/{warned.pk}/visit/", {"visited_on": (DAY - dt.timedelta(days=1)).isoformat(),
                                                        "visitors": "王经办", "found": "家中无人"},
               content_type="application/json")
    assert r.status_code == 400 and r.json() == {"visited_on": ["走访日期不能早于预警日期"]}
    r = c.post(f"/api/v1/warnings/{warned.pk}/visit/", {"visited_on": "2026-13-03", "visitors": "王经办",
                                                        "found": "x"}, content_type="application/json")
    assert r.status_code == 400 and r.json() == {"visited_on": ["走访日期应为 年-月-日"]}
    r = c.post(f"/api/v1/warnings/{warned.pk}/visit/", {"visited_on": (DAY + dt.timedelta(days=1)).isoformat(),
                                                        "visitors": "王经办、钱经办", "found": "刘芳住院治疗,家中负担重"},
               content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "visited" and len(r.json()["visits"]) == 1
    r = c.post(f"/api/v1/warnings/{warned.pk}/application/", {"program": "dibao"}, content_type="application/json")
    assert r.status_code == 200
    done = r.json()
    assert done["state"] == "closed" and done["outcome"] == "application" and done["linked_label"].startswith("低保申请")
    assert rows(c.get("/api/v1/warnings/tasks/")) == []
    r = c.post(f"/api/v1/warnings/{warned.pk}/close/", {"outcome": "unreachable", "note": "x"},
               content_type="application/json")
    assert r.status_code == 400 and r.json() == {"__all__": ["该预警已办结"]}


def test_other_township_sees_nothing_and_the_county_reads_but_may_not_handle_before_escalation(
        warned, client_for, other_town_caseworker, huining_approver):
    other = client_for(other_town_caseworker)
    assert rows(other.get("/api/v1/warnings/")) == []
    assert other.get(f"/api/v1/warnings/{warned.pk}/").status_code == 404
    assert other.post(f"/api/v1/warnings/{warned.pk}/assign/", {}, content_type="application/json").status_code == 404
    assert rows(other.get("/api/v1/low-income/")) == []

    county = client_for(huining_approver)
    assert [r["id"] for r in rows(county.get("/api/v1/warnings/"))] == [warned.pk]
    assert rows(county.get("/api/v1/warnings/tasks/")) == []  # not escalated: the township's task
    r = county.post(f"/api/v1/warnings/{warned.pk}/assign/", {}, content_type="application/json")
    assert r.status_code == 403 and "乡镇" in r.json()["detail"]


def test_escalated_task_is_the_countys(warned, client_for, huining_approver):
    from doudi.monitoring import services

    # red: 3 days from DAY; the county sees it among its tasks once the deadline has passed
    assert services.escalate_overdue(DAY + dt.timedelta(days=4)) == 1
    county = client_for(huining_approver)
    (task,) = rows(county.get("/api/v1/warnings/tasks/"))
    assert task["id"] == warned.pk and task["escalated_on"] == (DAY + dt.timedelta(days=4)).isoformat()
    r = county.post(f"/api/v1/warnings/{warned.pk}/assign/", {}, content_type="application/json")
    assert r.status_code == 400 and r.json() == {"assignee": ["经办人须是该地区的乡镇（街道）经办人"]}


def test_village_assistant_reports_in_his_village_and_sees_only_his_own_reports(
        warned, client_for, huining_village_assistant, huining_household, huining_caseworker):
    from doudi.accounts.models import RoleAssignment, User
    from tests.web.conftest import PASSWORD

    neighbour = User.objects.create_user(username="huining_village_assistant_2", password=PASSWORD,
                                         full_name="周协理")
    RoleAssignment.objects.create(user=neighbour, role="village_assistant", area="620422100201")
    va = client_for(huining_village_assistant)
    # the medical warning of a household of his village is not his report: not in his list, 404
    assert rows(va.get("/api/v1/warnings/")) == []
    assert va.get(f"/api/v1/warnings/{warned.pk}/").status_code == 404
    assert rows(va.get("/api/v1/warnings/tasks/")) == []
    assert rows(va.get("/api/v1/low-income/")) == []

    p = member(huining_household, "张建国")
    r = va.post("/api/v1/warnings/report/", {"name": p.name, "id_number": p.id_number, "village": "620422100201",
                                            "what": "妻子重病住院,无力支付医药费"}, content_type="application/json")
    assert r.status_code == 201, r.content
    mine = r.json()
    assert mine["rule"] == "MW-VILLAGE" and mine["household"] == huining_household.number
    assert p.id_number not in r.content.decode() and mine["subject_id_number"].startswith(p.id_number[:6])
    r = va.post("/api/v1/warnings/report/", {"name": "某人", "village": "620422101201", "what": "困难"},
                content_type="application/json")
    assert r.status_code == 400 and r.json() == {"village": ["只能报告本村（社区）的困难群众"]}
    r = va.post("/api/v1/warnings/report/", {"name": "", "village": "620422100201", "what": "困难"},
                content_type="application/json")
    assert r.status_code == 400 and r.json() == {"name": ["请填写姓名"]}
    listed = rows(va.get("/api/v1/warnings/"))
    assert [a["id"] for a in listed] == [mine["id"]] and p.id_number not in str(listed)
    assert va.get(f"/api/v1/warnings/{mine['id']}/").status_code == 200
    # the other assistant of the same village does not see it; the township does, and handles it
    assert rows(client_for(neighbour).get("/api/v1/warnings/")) == []
    assert client_for(neighbour).get(f"/api/v1/warnings/{mine['id']}/").status_code == 404
    # the assistant may not take a step of the task
    r = va.post(f"/api/v1/warnings/{mine['id']}/assign/", {}, content_type="application/json")
    assert r.status_code == 403
    cw = client_for(huining_caseworker)
    assert {a["id"] for a in rows(cw.get("/api/v1/warnings/"))} == {warned.pk, mine["id"]}
    r = cw.post(f"/api/v1/warnings/{mine['id']}/close/", {"outcome": "unreachable", "note": "电话无人接听"},
                content_type="application/json")
    assert r.status_code == 200
    # the assistant sees his report's outcome
    assert va.get(f"/api/v1/warnings/{mine['id']}/").json()["outcome"] == "unreachable"


def test_register_api_filters_within_the_areas_and_audits_one_entry(worker, client_for, huining_caseworker,
                                                                    other_town_caseworker, make_household):
    from doudi.accounts.models import AuditEntry
    from doudi.monitoring.models import RegisterEntry

    away = make_household("620422101201", "urban", [("冯远", "self", dt.date(1970, 1, 1), "M", {})])
    mine = RegisterEntry.objects.create(household=worker, region=worker.region_code, category="other",
                                        entered_on=DAY, way="village", evidence="村报告")
    RegisterEntry.objects.create(household=away, region=away.region_code, category="other", entered_on=DAY,
                                 way="village", evidence="村报告")
    c = client_for(huining_caseworker)
    assert [e["id"] for e in rows(c.get("/api/v1/low-income/", {"category": "other", "current": "1"}))] == [mine.pk]
    assert rows(c.get("/api/v1/low-income/", {"category": "edge"})) == []
    assert c.get("/api/v1/low-income/", {"category": "poor"}).status_code == 400
    r = c.get(f"/api/v1/low-income/{mine.pk}/")
    assert r.status_code == 200 and r.json()["household"] == worker.number
    assert AuditEntry.objects.filter(action="monitoring.register.read").count() == 1
    other = client_for(other_town_caseworker)
    assert other.get(f"/api/v1/low-income/{mine.pk}/").status_code == 404
    assert [e["household"] for e in rows(other.get("/api/v1/low-income/"))] == [away.number]
