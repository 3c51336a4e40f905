"""Demo hook of `doudi demo`: warnings of several kinds in Huining (PR-7).

Synthetic department files (医保 medical costs, 人社 unemployment, and one of each kind the
departments' rules read: 乡村振兴, 工会, 司法, 应急, 住建, 卫健) naming a few demo households are
imported by the demo verification officer (hedui); a flood is
recorded in one village; the village assistant (cunxie) reports a person in difficulty; the daily
scan runs; one household that the policy core finds eligible for 低保 without benefit or case (a
疑似漏保 warning) is visited by the caseworker (jingban) and its application opened. Synthetic
people only. Idempotent: nothing is done again when warnings exist.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from doudi.accounts.areas import region_q

COUNTY = "620422"


def _csv(header: list[str], rows: list[list]) -> bytes:
    from doudi.verification.demo import _csv as csv

    return csv(header, rows)


def _has_case(hh) -> bool:
    """Any application of the household (the other demo steps made some)."""
    from importlib import import_module

    for module, model in (("doudi.cases.models", "Case"), ("doudi.support.models", "SupportCase"),
                          ("doudi.relief.models", "ReliefCase")):
        try:
            if getattr(import_module(module), model).objects.filter(household=hh).exists():
                return True
        except (ImportError, AttributeError):
            continue
    return False


def _candidates(today: dt.date) -> tuple[list, list]:
    """Households of jingban's township without a 低保 benefit: (eligible for 低保 by the rules, others)."""
    from doudi.params.store import current_policy
    from doudi.policy.engine import assess
    from doudi.registry.documents import household_document
    from doudi.registry.models import Household

    eligible, others = [], []
    for hh in Household.objects.filter(region_q("region_code", "620422100")).order_by("pk")[:60]:
        if hh.benefits.exists() or not hh.memberships_on(today).exists() or _has_case(hh):
            continue
        d = assess(household_document(hh, today), date=today.isoformat(), policy=current_policy()).as_json()
        (eligible if d["programs"]["dibao"]["eligible"] else others).append(hh)
    return eligible, others


def _earns(person) -> bool:
    return any(Decimal(str(v or 0)) > 0 for v in (person.facts.get("monthly_income") or {}).values())


def _department_files(today: dt.date, pool: list, members) -> list[tuple[str, str, bytes]]:
    """One small file of each department kind of doudi/monitoring/departments.py, so that each of its
    rules (MW-RURAL, MW-WORKER, MW-CUSTODY, MW-VICTIM, MW-HOUSING, MW-ILLNESS) raises a warning: the
    households of ``pool`` (no benefit, no case) in turn, a member with income of his own for custody."""
    def day(n: int) -> str:
        return (today - dt.timedelta(days=n)).isoformat()

    first = [members(hh)[0] for hh in pool]
    p = [first[i % len(first)] for i in range(5)]
    earner = next((m for hh in pool for m in members(hh) if _earns(m)), None)
    out = [
        ("anti_poverty_object", "乡村振兴-防返贫监测对象.csv", _csv(["身份证号", "姓名", "识别日期", "风险类型", "风险状态"], [
            [p[0].id_number, p[0].name, day(30), "因病", "风险未消除"]])),
        ("hardship_worker", "工会-困难职工档案.csv", _csv(["身份证号", "姓名", "建档日期", "困难类型", "致困原因"], [
            [p[1].id_number, p[1].name, day(60), "深度困难", "因病"]])),
        ("disaster_victim", "应急-受灾人员.csv", _csv(["身份证号", "姓名", "受灾日期", "灾害类型", "房屋受损"], [
            [p[2].id_number, p[2].name, day(5), "洪涝", "损坏"]])),
        ("dangerous_housing", "住建-农村危房鉴定.csv", _csv(["身份证号", "姓名", "鉴定日期", "危险等级", "已改造"], [
            [p[3].id_number, p[3].name, day(20), "D级", "否"]])),
        ("serious_illness", "卫健-大病登记.csv", _csv(["身份证号", "姓名", "确诊日期", "类别", "病种"], [
            [p[4].id_number, p[4].name, day(40), "大病", "恶性肿瘤"]])),
    ]
    if earner is not None:
        out.append(("custody", "司法-服刑人员.csv", _csv(["身份证号", "姓名", "类别", "起始日期"], [
            [earner.id_number, earner.name, "服刑", day(90)]])))
    return out


def populate() -> str | None:
    from doudi.accounts.models import User
    from doudi.monitoring import jobs, services
    from doudi.monitoring.models import Alert

    jobs.ensure_schedule()
    if Alert.objects.exists():
        return f"监测预警 {Alert.objects.count()} 条（已存在）"
    officer, approver = User.objects.filter(username="hedui").first(), User.objects.filter(username="shenpi").first()
    assistant, caseworker = User.objects.filter(username="cunxie").first(), User.objects.filter(username="jingban").first()
    if not all((officer, approver, assistant, caseworker)):
        return None
    from doudi.verification.datasets import import_snapshot

    today = timezone.localdate()
    eligible, others = _candidates(today)
    if not eligible or len(others) < 2:
        return None
    loubao, sick, jobless = eligible[0], others[0], others[1]

    def members(hh):
        return [m.person for m in hh.memberships_on(today).select_related("person").order_by("id")]

    a, s, j = members(loubao)[0], members(sick)[0], members(jobless)[0]
    yearly = sum(int(Decimal(str((p.facts.get("monthly_income") or {}).get("wages") or 0))) for p in members(sick)) * 12
    cost = max(yearly, 5000) + 3000  # well above half the yearly income (MW-MEDICAL)
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    files = [
        ("medical_cost", "医保-政策范围内自付.csv", _csv(["身份证号", "姓名", "年度", "政策范围内个人自付"], [
            [s.id_number, s.name, today.year, f"{cost}.00"], [a.id_number, a.name, today.year, "860.00"]])),
        ("unemployment", "人社-失业保险金.csv", _csv(["身份证号", "姓名", "起始月份", "月领取金额"], [
            [j.id_number, j.name, month.strftime("%Y-%m"), "1380.00"]])),
    ]
    files += _department_files(today, others[2:] or others, members)
    for kind, name, data in files:
        import_snapshot(officer, kind=kind, area=COUNTY, extracted_on=today, data=data, name=name)
    services.record_disaster(approver, region="620422101201", kind="暴雨洪涝", occurred_on=today - dt.timedelta(days=5),
                             note="应急管理局报送")
    services.report(assistant, name="马大爷", village="620422100201", what="独居老人，腿脚不便，冬季取暖困难", on=today)
    run = services.scan(None, COUNTY, on=today)
    found = Alert.objects.filter(household=loubao, rule="MW-LOUBAO").first()
    opened = ""
    if found is not None:
        services.assign(caseworker, found.pk)
        services.record_visit(caseworker, found.pk, visited_on=today, visitors="王经办、钱经办",
                              found="家庭收入低，符合低保条件，本人同意申请", on=today)
        found = services.open_application(caseworker, found.pk, program="dibao", on=today)
        opened = f"；疑似漏保 1 户已入户核实并启动低保申请（{found.linked_label}）"
    return f"扫描 {run.households} 户，新增预警 {sum(run.raised.values())} 条，村报告 1 条{opened}"
