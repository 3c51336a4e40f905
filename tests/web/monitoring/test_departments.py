"""The departments' own data sets (issue 13: 民政, 乡村振兴, 教育, 工会, 医保, 人社, 司法, 应急, 住建, 卫健,
残联): each kind declared in doudi/verification/data/kinds.yaml, imported from a hand-made CSV
through the verification app's data-set import, and read by a warning rule (just inside and just
outside each rule's threshold).

Hand-worked: the scan's day DAY is 2026-11-02 (a Monday). The `worker` household (Huining urban, two
members): 王力 earns 3,000.00 a month in wages, 刘芳 nothing. National parameters
(doudi/policy/data/national/monitoring.yaml): monitoring.disaster.days 90, monitoring.illness.months
12; deadlines red 3 days, orange 7, yellow 15.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.web.monitoring.conftest import DAY, alerts, member, scan

pytestmark = pytest.mark.django_db

# the eleven departments → the kinds that monitoring warning rules read (民政: doudi's own
# records, the benefits a scan reads for MW-STOPPED, and the other counties' rolls)
NAMED = {"民政": ["benefit_elsewhere"], "乡村振兴": ["anti_poverty_object"], "教育": ["student"],
         "工会": ["hardship_worker"], "医保": ["medical_cost"], "人社": ["unemployment"], "司法": ["custody"],
         "应急": ["disaster_victim"], "住建": ["dangerous_housing"], "卫健": ["serious_illness"],
         "残联": ["disability"]}


def test_each_named_department_supplies_a_declared_kind_and_each_new_kind_is_read_by_a_rule():
    from doudi.monitoring import departments
    from doudi.monitoring.facts import KINDS
    from doudi.policy.monitoring import RULE_FUNCS, warning_rules
    from doudi.verification.kinds import departments as deps
    from doudi.verification.kinds import kinds

    names = {d.code: d.name for d in deps().values()}
    for department, codes in NAMED.items():
        for code in codes:
            assert names[kinds()[code].department] == department, (department, code)
    assert set(departments.KINDS) == set(departments.RULE_KINDS.values())
    for rule_id, code in departments.RULE_KINDS.items():
        assert rule_id in RULE_FUNCS and rule_id in warning_rules()
        assert code in KINDS  # the scan reads it
        assert names[kinds()[code].department] in warning_rules()[rule_id].watches


def test_rural_monitoring_object_at_risk_warns_a_removed_risk_does_not(worker, make_household, upload):
    other = make_household("620422100201", "urban", [("陈平", "self", dt.date(1975, 3, 1), "M",
                                                      {"monthly_income": {"wages": 3000}})])
    a, b = member(worker, "刘芳"), member(other, "陈平")
    upload("anti_poverty_object", ["身份证号", "姓名", "识别日期", "风险类型", "风险状态"],
           [[a.id_number, a.name, "2026-09-15", "因病", "风险未消除"],
            [b.id_number, b.name, "2026-09-15", "因病", "风险已消除"]])
    scan()
    (w,) = alerts(worker, "MW-RURAL")
    assert w.level == "orange" and w.person == a and "防返贫监测对象" in w.detail
    assert w.due_on == DAY + dt.timedelta(days=7)
    assert alerts(other, "MW-RURAL") == []


def test_hardship_worker_file_warns_once_and_not_before_it_was_registered(worker, make_household, upload):
    other = make_household("620422100201", "urban", [("黄伟", "self", dt.date(1978, 3, 1), "M",
                                                      {"monthly_income": {"wages": 3000}})])
    a, b = member(worker, "王力"), member(other, "黄伟")
    upload("hardship_worker", ["身份证号", "姓名", "建档日期", "困难类型", "致困原因"],
           [[a.id_number, a.name, "2026-11-02", "深度困难", "因病"],    # the scan's day: in the file
            [b.id_number, b.name, "2026-11-03", "相对困难", "收入低"]])  # the day after: not yet
    run = scan()
    (w,) = alerts(worker, "MW-WORKER")
    assert w.level == "yellow" and run.raised["MW-WORKER"] == 1
    assert alerts(other, "MW-WORKER") == []
    # the next day: 黄伟's record now counts (raised once); 王力's warning is still open: not raised twice
    again = scan(on=DAY + dt.timedelta(days=1))
    assert again.raised["MW-WORKER"] == 1
    assert len(alerts(worker, "MW-WORKER")) == 1 and len(alerts(other, "MW-WORKER")) == 1


def test_earner_in_custody_warns_a_non_earner_or_a_released_earner_does_not(worker, make_household, upload):
    other = make_household("620422100201", "urban", [("吴刚", "self", dt.date(1980, 6, 1), "M",
                                                      {"monthly_income": {"wages": 2500}})])
    earner, spouse, released = member(worker, "王力"), member(worker, "刘芳"), member(other, "吴刚")
    upload("custody", ["身份证号", "姓名", "类别", "起始日期", "释放日期"],
           [[earner.id_number, earner.name, "服刑", "2026-10-01", "2028-10-01"],
            [spouse.id_number, spouse.name, "强制隔离戒毒", "2026-10-01", ""],
            [released.id_number, released.name, "服刑", "2025-01-01", "2026-11-02"]])  # released on the day
    scan()
    (w,) = alerts(worker, "MW-CUSTODY")
    assert w.person == earner and w.level == "orange"
    assert alerts(other, "MW-CUSTODY") == []


def test_disaster_victim_ninety_days_ago_warns_ninety_one_does_not(worker, make_household, upload):
    other = make_household("620422100201", "urban", [("郑红", "self", dt.date(1970, 6, 1), "F", {})])
    a, b = member(worker, "刘芳"), member(other, "郑红")
    upload("disaster_victim", ["身份证号", "姓名", "受灾日期", "灾害类型", "房屋受损", "直接经济损失"],
           [[a.id_number, a.name, (DAY - dt.timedelta(days=90)).isoformat(), "洪涝", "倒塌", "30000.00"],
            [b.id_number, b.name, (DAY - dt.timedelta(days=91)).isoformat(), "洪涝", "损坏", "5000.00"]])
    scan()
    (w,) = alerts(worker, "MW-VICTIM")
    assert w.level == "red" and "90天前" in w.detail and "预警期 90 天" in w.detail
    assert w.due_on == DAY + dt.timedelta(days=3)
    assert alerts(other, "MW-VICTIM") == []


def test_dangerous_house_d_grade_warns_a_renovated_one_does_not(worker, make_household, upload):
    other = make_household("620422100201", "rural", [("冯军", "self", dt.date(1966, 6, 1), "M", {})])
    a, b = member(worker, "王力"), member(other, "冯军")
    upload("dangerous_housing", ["身份证号", "姓名", "鉴定日期", "危险等级", "已改造"],
           [[a.id_number, a.name, "2026-08-01", "D级", "否"], [b.id_number, b.name, "2026-08-01", "C级", "是"]])
    scan()
    (w,) = alerts(worker, "MW-HOUSING")
    assert w.level == "orange" and "D级危房" in w.detail
    assert alerts(other, "MW-HOUSING") == []


def test_serious_illness_twelve_months_ago_warns_thirteen_or_a_chronic_one_does_not(worker, make_household,
                                                                                    upload):
    second = make_household("620422100201", "urban", [("孔亮", "self", dt.date(1972, 6, 1), "M", {})])
    third = make_household("620422100201", "urban", [("秦月", "self", dt.date(1973, 6, 1), "F", {})])
    a, b, c = member(worker, "刘芳"), member(second, "孔亮"), member(third, "秦月")
    # DAY is 2026-11: 2025-11 is 12 calendar months before (within the period), 2025-10 is 13
    upload("serious_illness", ["身份证号", "姓名", "确诊日期", "类别", "病种"],
           [[a.id_number, a.name, "2025-11-20", "大病", "恶性肿瘤"], [b.id_number, b.name, "2025-10-31", "大病", "尿毒症"],
            [c.id_number, c.name, "2026-10-01", "慢性病", "高血压"]])
    scan()
    (w,) = alerts(worker, "MW-ILLNESS")
    assert w.level == "orange" and w.person == a and "12个月前" in w.detail and "预警期 12个月" in w.detail
    assert alerts(second, "MW-ILLNESS") == [] and alerts(third, "MW-ILLNESS") == []


def test_a_bad_file_of_a_new_kind_is_refused_naming_the_column(huining_verifier, worker):
    from doudi.verification.datasets import import_snapshot
    from tests.web.verification.conftest import csv_bytes

    p = member(worker, "王力")
    result = import_snapshot(huining_verifier, kind="dangerous_housing", area="620422", extracted_on=DAY,
                             data=csv_bytes(["身份证号", "姓名", "鉴定日期", "危险等级"],
                                            [[p.id_number, p.name, "2026-08-01", "E级"]]),
                             name="危房.csv", today=DAY)
    assert result.snapshot is None and result.problems
    assert "危险等级" in str(result.problems[0])
