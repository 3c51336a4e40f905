"""Pages and API of the statistics: area isolation, the Excel monthly report (read back with
python-calamine), the public county page (no login, no ID, no name outside a notice in force)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import override_settings

from web.conftest import take_verification

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def baotou_supervisor(db):
    from doudi.accounts.models import RoleAssignment, User

    u = User.objects.create_user(username="baotou_supervisor", password="x-Password-2026", full_name="包监督")
    RoleAssignment.objects.create(user=u, role="supervisor", area="150200")
    return u


def test_the_city_supervisor_sees_their_counties_and_not_the_next_city(refreshed, client_for, supervisor,
                                                                       baotou_supervisor):
    c = client_for(supervisor)  # 白银市 620400
    r = c.get("/reports/", {"from": "2026-01", "to": "2026-04"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "白银" in body and "1500.00" in body and "会宁" in body and 'id="children"' in body
    assert "stats-json" in body and "echarts.min.js" in body
    assert c.get("/reports/", {"area": "620422"}).status_code == 200
    assert c.get("/reports/", {"area": "150200"}).status_code == 404
    assert c.get("/reports/", {"area": "62"}).status_code == 404  # the province is above the city
    assert c.get("/api/v1/reports/figures/", {"area": "150202"}).status_code == 404
    api = c.get("/api/v1/reports/figures/", {"area": "620422", "from": "2026-01", "to": "2026-04"}).json()
    assert next(f for f in api["programs"]["dibao"]["figures"] if f["id"] == "households")["series"] == [1, 2, 2, 1]
    b = client_for(baotou_supervisor)
    assert b.get("/reports/", {"area": "620422"}).status_code == 404
    other = b.get("/api/v1/reports/figures/", {"from": "2026-01", "to": "2026-04"}).json()
    assert other["area"] == "1502"
    assert next(f for f in other["programs"]["dibao"]["figures"] if f["id"] == "amount")["series"] == ["1000.00"] * 4


def test_roles_without_stats_view_get_no_statistics(refreshed, client_for, huining_caseworker, charity):
    assert client_for(huining_caseworker).get("/reports/").status_code == 403
    assert client_for(charity).get("/api/v1/reports/figures/").status_code == 403


def test_the_monthly_excel_report_has_the_tables_by_urban_and_rural(refreshed, client_for, supervisor):
    from python_calamine import CalamineWorkbook

    from doudi.accounts.models import AuditEntry

    r = client_for(supervisor).get("/reports/excel/", {"area": "620422", "month": "2026-03"})
    assert r.status_code == 200
    wb = CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    assert wb.sheet_names == ["低保", "特困", "临时救助"]
    dibao = wb.get_sheet_by_name("低保").to_python()
    assert dibao[0][0].startswith("城乡最低生活保障情况（2026年3月）")
    assert dibao[2][1] == "城市最低生活保障" and dibao[2][4] == "农村最低生活保障"
    rows = {row[0]: row[1:7] for row in dibao[4:7]}
    # March: township 620422100 — 张建国 urban 1 household, 3 persons, 1500.00;
    # township 620422101 — 刘大山 rural 1 household, 2 persons, 800.00
    towns = [k for k in rows if k not in ("合计", "")]
    assert len(towns) == 2
    assert rows["合计"] == [1.0, 3.0, 1500.0, 1.0, 2.0, 800.0]
    temp = wb.get_sheet_by_name("临时救助").to_python()
    total = next(row for row in temp if row[0] == "合计")
    assert total[1:4] == [1.0, 3.0, 800.0]  # one fire grant, 3 people, 800.00 paid
    tekun = wb.get_sheet_by_name("特困").to_python()
    assert next(row for row in tekun if row[0] == "合计")[1] == 0.0  # 王老汉 is supported from April
    assert AuditEntry.objects.filter(kind="export", action="reports.monthly_excel").count() == 1


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                       "LOCATION": "reports-public-test"}})
def test_the_public_page_shows_figures_standards_and_notices_only(refreshed, client, cast, make_household,
                                                                  huining_household):
    from django.core.cache import cache
    from django.utils import timezone

    from doudi.cases import services as s

    cache.clear()
    # a proposal in its 7-day notice today: 赵小花's household of 2, no income (700.00 × 2 = 1400.00)
    poor = make_household("620422100201", "urban", [("赵小花", "self", D(1985, 1, 1), "F", {}),
                                                    ("赵小草", "child", D(2015, 1, 1), "F", {})])
    today = timezone.localdate()
    cw, cw2 = cast["huining_caseworker"], cast["huining_caseworker_2"]
    case = s.submit_application(cw, poor.pk, on=today)
    s.accept(cw, case.pk, on=today)
    s.investigate(cw, case.pk, investigators=[cw.pk, cw2.pk], visited_on=today, findings="无收入",
                  signed_by_investigators=True, signed_by_family=True, authorisation=True, on=today)
    take_verification(cw, cast["huining_verifier"], case.pk, today)
    s.propose(cast["huining_reviewer"], case.pk, recommend=True, opinion="符合条件", on=today)
    r = client.get("/reports/public/620422/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "会宁县" in body and "城市低保标准" in body and "700.00" in body
    assert "赵小花" in body and "1400.00" in body  # name, household size and amount of the notice in force
    assert poor.head.masked_id not in body and poor.head.id_number not in body
    head = huining_household.head
    for secret in (head.id_number, head.masked_id, huining_household.address or "@@", "刘大山", "王老汉"):
        assert secret not in body  # 刘大山 stopped (no benefit paid now), 王老汉 is 特困 (no 低保 notice)
    assert client.get("/reports/public/620400/").status_code == 404  # a city, not a county
    assert client.get("/reports/public/999999/").status_code == 404
    assert r["Cache-Control"].startswith("public")


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                       "LOCATION": "reports-rate-test"}})
def test_the_public_page_is_rate_limited(db, client):
    from django.core.cache import cache

    from doudi.reports.params import param

    cache.clear()
    codes = [client.get("/reports/public/620422/").status_code for _ in range(int(param("public_requests_per_minute")) + 1)]
    assert codes[:-1] == [200] * (len(codes) - 1) and codes[-1] == 429
