"""The scan (PR-7): each data rule raised from department files on a hand-made household, no
duplicate on a second scan, 应保尽保 (MW-LOUBAO with the policy core's explanation, MW-CUOBAO
leading to a review), the register's categories, escalation of an overdue task.

Hand-worked figures (national parameters, doudi/policy/data/national/monitoring.yaml; Huining's
urban 低保 standard 700.00, a placeholder): the `worker` household earns 3,000.00 a month →
yearly income 36,000.00; half of it is 18,000.00 (MW-MEDICAL)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.web.monitoring.conftest import DAY, alerts, member, scan

pytestmark = pytest.mark.django_db

MED = ["身份证号", "姓名", "年度", "政策范围内个人自付"]


def test_medical_cost_just_below_half_the_yearly_income_raises_nothing(worker, upload):
    p = member(worker, "刘芳")
    upload("medical_cost", MED, [[p.id_number, p.name, 2026, "18000.00"]])  # exactly half: not above it
    scan()
    assert alerts(worker, "MW-MEDICAL") == []


def test_medical_cost_above_half_the_yearly_income_raises_a_red_warning_once(worker, upload):
    p = member(worker, "刘芳")
    upload("medical_cost", MED, [[p.id_number, p.name, 2026, "18000.01"]])
    run = scan()
    (a,) = alerts(worker, "MW-MEDICAL")
    assert run.raised["MW-MEDICAL"] == 1
    assert a.level == "red" and a.state == "open"
    assert "18000.01 元" in a.detail and "36000.00 元" in a.detail and "50%" in a.detail
    assert a.due_on == DAY + dt.timedelta(days=3)  # red: 3 days
    # the second scan on the same evidence raises nothing
    again = scan(on=DAY + dt.timedelta(days=1))
    assert "MW-MEDICAL" not in again.raised
    assert len(alerts(worker, "MW-MEDICAL")) == 1


def test_death_of_the_earning_member(worker, upload):
    p = member(worker, "王力")
    upload("death", ["身份证号", "姓名", "死亡日期"], [[p.id_number, p.name, "2026-10-20"]])
    scan()
    (a,) = alerts(worker, "MW-DEATH")
    assert a.person == p and a.level == "red"


def test_death_of_a_member_without_income_is_not_an_earner_death(worker, upload):
    p = member(worker, "刘芳")
    upload("death", ["身份证号", "姓名", "死亡日期"], [[p.id_number, p.name, "2026-10-20"]])
    scan()
    assert alerts(worker, "MW-DEATH") == []


def test_severe_disability_of_the_earner_grade_two_not_three(worker, make_household, upload):
    other = make_household("620422100201", "urban", [("赵强", "self", dt.date(1979, 1, 1), "M",
                                                      {"monthly_income": {"wages": 3000}})])
    a, b = member(worker, "王力"), member(other, "赵强")
    upload("disability", ["身份证号", "姓名", "残疾类别", "残疾等级"],
           [[a.id_number, a.name, "肢体", 2], [b.id_number, b.name, "肢体", 3]])
    scan()
    assert len(alerts(worker, "MW-DISABILITY")) == 1
    assert alerts(other, "MW-DISABILITY") == []


def test_unemployment_started_three_months_ago_warns_four_does_not(worker, make_household, upload):
    other = make_household("620422100201", "urban", [("孙明", "self", dt.date(1985, 1, 1), "M",
                                                      {"monthly_income": {"wages": 3000}})])
    a, b = member(worker, "王力"), member(other, "孙明")
    # DAY is 2026-11: 2026-08 is 3 months before (within), 2026-07 is 4 (outside)
    upload("unemployment", ["身份证号", "姓名", "起始月份", "月领取金额"],
           [[a.id_number, a.name, "2026-08", "1500.00"], [b.id_number, b.name, "2026-07", "1500.00"]])
    scan()
    assert len(alerts(worker, "MW-UNEMPLOYMENT")) == 1 and alerts(worker, "MW-UNEMPLOYMENT")[0].level == "yellow"
    assert alerts(other, "MW-UNEMPLOYMENT") == []


def test_disaster_in_the_village_ninety_days_ago(worker, make_household, huining_approver):
    from doudi.monitoring import services
    from doudi.monitoring.models import RegisterEntry

    RegisterEntry.objects.create(household=worker, region=worker.region_code, category="other",
                                 entered_on=DAY, way="village", evidence="村报告")
    services.record_disaster(huining_approver, region="620422100201", kind="洪涝", occurred_on=DAY - dt.timedelta(90))
    scan()
    assert len(alerts(worker, "MW-DISASTER")) == 1


def test_disaster_ninety_one_days_ago_is_outside_the_period(worker, huining_approver):
    from doudi.monitoring import services

    services.record_disaster(huining_approver, region="620422100201", kind="洪涝", occurred_on=DAY - dt.timedelta(91))
    scan()
    assert alerts(worker, "MW-DISASTER") == []


def test_income_fallen_by_more_than_thirty_percent_between_two_records(worker, huining_caseworker):
    from doudi.registry.facts import update_facts

    a, b = member(worker, "王力"), member(worker, "刘芳")
    update_facts(huining_caseworker, worker, worker.version, {}, {a.pk: {"monthly_income": {"wages": 3000}}},
                 on=DAY - dt.timedelta(days=40))
    worker.refresh_from_db()
    # 3,000.00 → 2,099.99 is a fall of 900.01, more than 30% (900.00)
    update_facts(huining_caseworker, worker, worker.version, {}, {a.pk: {"monthly_income": {"wages": "2099.99"}},
                                                                 b.pk: {}}, on=DAY - dt.timedelta(days=1))
    from doudi.monitoring.models import RegisterEntry

    RegisterEntry.objects.create(household=worker, region=worker.region_code, category="other",
                                 entered_on=DAY, way="village", evidence="村报告")
    scan()
    (w,) = alerts(worker, "MW-INCOME")
    assert "3000.00 元" in w.detail and "2099.99 元" in w.detail


def test_loubao_household_found_by_the_policy_core_with_its_explanation(huining_household, upload):
    # 张建国 600.00 wages, 3 members: per capita 200.00 < 700.00 (Huining urban standard) → eligible for 低保,
    # 700.00 × 3 − 600.00 = 1,500.00 a month (DB-1, DB-2); no benefit, no case: possible 漏保.
    p = member(huining_household, "李秀英")
    upload("medical_cost", MED, [[p.id_number, p.name, 2026, "100.00"]])  # a department file names the household
    scan()
    (a,) = [x for x in alerts(huining_household, "MW-LOUBAO") if x.figures["program"] == "dibao"]
    assert a.level == "red"
    assert "1500.00" in a.detail
    rules = [s["rule"] for s in a.figures["explanation"]]
    assert "DB-1" in rules
    assert any("200.00" in s["detail"] and "700.00" in s["detail"] for s in a.figures["explanation"])
    scan(on=DAY + dt.timedelta(days=1))
    assert len([x for x in alerts(huining_household, "MW-LOUBAO") if x.figures["program"] == "dibao"]) == 1


def test_loubao_not_raised_while_an_application_is_open(huining_household, huining_caseworker, upload):
    from doudi.cases.services import submit_application

    submit_application(huining_caseworker, huining_household.pk, on=DAY)
    p = member(huining_household, "李秀英")
    upload("medical_cost", MED, [[p.id_number, p.name, 2026, "100.00"]])
    scan()
    assert not [x for x in alerts(huining_household, "MW-LOUBAO") if x.figures["program"] == "dibao"]


def recipient(household, amount_fen=150000):
    from doudi.benefits.services import start_benefit

    return start_benefit(None, household=household, program="dibao", amount_fen=amount_fen,
                         start_month=dt.date(2026, 1, 1), on=dt.date(2025, 12, 20))


def test_cuobao_recipient_no_longer_eligible_leads_to_a_review(worker, huining_caseworker):
    # 王力 earns 3,000.00: per capita 1,500.00 ≥ 700.00 — not eligible, yet paid 低保: possible 错保.
    from doudi.benefits.models import ReportedChange
    from doudi.monitoring import services

    b = recipient(worker)
    scan()
    (a,) = alerts(worker, "MW-CUOBAO")
    assert a.level == "orange" and a.figures["benefit"] == b.pk
    assert any(s["rule"] == "DB-1" for s in a.figures["explanation"])
    services.start_review(huining_caseworker, a.pk, on=DAY)
    a.refresh_from_db()
    assert a.state == "closed" and a.outcome == "review"
    assert ReportedChange.objects.filter(benefit=b).exists()


def test_register_dibao_by_benefit_edge_by_the_rules(worker, huining_household, upload):
    from doudi.monitoring.models import RegisterEntry

    recipient(huining_household)
    scan()
    (e,) = RegisterEntry.objects.filter(household=huining_household, left_on__isnull=True)
    assert (e.category, e.way) == ("dibao", "decision")
    # an edge family: 2 members, 1,800.00 a month → 900.00 per capita: ≥ 700.00 and < 1,050.00 (1.5 × 700.00)
    from doudi.registry.models import Person

    Person.objects.filter(pk=member(worker, "王力").pk).update(facts={"monthly_income": {"wages": 1800}})
    p = member(worker, "刘芳")
    upload("medical_cost", MED, [[p.id_number, p.name, 2026, "100.00"]])
    scan(on=DAY + dt.timedelta(days=1))
    (edge,) = RegisterEntry.objects.filter(household=worker, left_on__isnull=True)
    assert edge.category == "edge" and "DB-8" in edge.evidence


def test_register_rigid_spending_family(make_household, upload):
    # 1 member, 1,000.00 a month → 12,000.00 a year (< 41,314.00); medical 6,000.01 > half of it: NAT-RIGID.
    # Per capita 1,000.00 > 1.5 × 700.00 = 1,050.00? No — 1,000.00 is an edge family; use 1,100.00:
    # 13,200.00 a year, half is 6,600.00; medical 6,600.01 (also MW-MEDICAL).
    from doudi.monitoring.models import RegisterEntry

    hh = make_household("620422100202", "urban", [("钱多", "self", dt.date(1970, 1, 1), "M",
                                                   {"monthly_income": {"wages": 1100}})])
    p = member(hh, "钱多")
    upload("medical_cost", MED, [[p.id_number, p.name, 2026, "6600.01"]])
    scan()
    cats = set(RegisterEntry.objects.filter(household=hh).values_list("category", flat=True))
    assert cats == {"rigid"}
    assert len(alerts(hh, "MW-MEDICAL")) == 1


def test_register_entry_leaves_when_the_benefit_stops(huining_household, huining_approver):
    from doudi.benefits.services import end_benefit
    from doudi.monitoring.models import RegisterEntry

    b = recipient(huining_household)
    scan()
    end_benefit(huining_approver, b, ground="other", effective_month=dt.date(2026, 10, 1), reasons="迁出",
                on=dt.date(2026, 9, 20))
    scan(on=DAY + dt.timedelta(days=1))
    e = RegisterEntry.objects.get(household=huining_household, category="dibao")
    assert e.left_on == DAY + dt.timedelta(days=1) and e.left_reason
    # and MW-STOPPED: the stop is within 6 months
    assert len(alerts(huining_household, "MW-STOPPED")) == 1


def test_overdue_task_escalates_to_the_county_once(worker, upload, huining_approver, huining_caseworker):
    from doudi.accounts.models import AuditEntry
    from doudi.monitoring import services, worklist

    p = member(worker, "刘芳")
    upload("medical_cost", MED, [[p.id_number, p.name, 2026, "20000.00"]])
    scan()
    (a,) = alerts(worker, "MW-MEDICAL")
    assert not [i for i in worklist.items(huining_approver, DAY) if f"/{a.pk}/" in i["url"]]
    assert services.escalate_overdue(a.due_on) == 0  # on the deadline: not yet overdue
    assert services.escalate_overdue(a.due_on + dt.timedelta(days=1)) == 1
    assert services.escalate_overdue(a.due_on + dt.timedelta(days=2)) == 0
    a.refresh_from_db()
    assert a.escalated_on == a.due_on + dt.timedelta(days=1)
    assert AuditEntry.objects.filter(action="monitoring.escalate", object_id=str(a.pk)).count() == 1
    assert [i for i in worklist.items(huining_approver, DAY) if f"/{a.pk}/" in i["url"]]
    # the county may now handle it
    assert services.may_handle(huining_approver, a)


def test_scan_refuses_a_bad_county_and_a_township_user(huining_caseworker):
    from django.core.exceptions import PermissionDenied

    from doudi.monitoring import services

    with pytest.raises(services.MonitoringError) as e:
        services.scan(None, "62042")
    assert "县（区）代码" in e.value.message
    with pytest.raises(PermissionDenied):
        services.scan(huining_caseworker, "620422")
