"""Demo temporary-assistance cases for `doudi demo` in the Huining demo township.

Urgent cases helped first (awaiting approval, paying in stages with the paperwork due, closed and
followed up in the 救急难 register) and spending-driven cases on the normal path (submitted,
investigated, refused), and a traveller registered nowhere in the system helped where the
emergency happened (NAT-TA-FIRST: the 户籍地 is told). Idempotent: nothing is added when demo cases exist.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

DEMO_TOWN = "620422100"

# (path, kind, amount, stages, state to walk to)
PLAN = (
    ("urgent", "fire", "800", [], "urgent"),
    ("urgent", "serious_illness", "6000", ["2000", "4000"], "paying"),
    ("urgent", "traffic_accident", "3000", ["1500", "1500"], "closed"),
    ("normal", "general", "", [], "submitted"),
    ("normal", "general", "1200", [], "investigated"),
    ("normal", "general", "900", [], "refused"),
)


def populate() -> str | None:
    from doudi.accounts.areas import region_q
    from doudi.accounts.models import User
    from doudi.registry.models import Household
    from doudi.relief.models import ReliefCase

    if ReliefCase.objects.exists():
        return f"{ReliefCase.objects.count()} 件（已存在）"
    from doudi.support.demo import _users as ensure_second_caseworker

    ensure_second_caseworker()
    users = {u.username: u for u in User.objects.filter(username__in=["jingban", "jingban2", "shenhe", "shenpi", "caiwu"])}
    if not {"jingban", "jingban2", "shenpi", "caiwu"} <= set(users):
        return None
    today = timezone.localdate()
    pool = list(Household.objects.filter(region_q("region_code", DEMO_TOWN), relief_cases__isnull=True)
                .exclude(support_cases__isnull=False).order_by("-id")[: len(PLAN)])
    made = 0
    for i, (plan, household) in enumerate(zip(PLAN, pool, strict=False)):
        with transaction.atomic():
            _walk(users, household, *plan, start=today - dt.timedelta(days=20 - 3 * i), today=today)
        made += 1
    with transaction.atomic():
        made += _traveller(users, today)
    return f"{made} 件，含急难型先行救助（待审批、分次发放中、已办结并跟踪、外地滞留人员）和支出型申请"


def _traveller(users: dict, today: dt.date) -> int:
    """NAT-TA-FIRST: a traveller registered nowhere in the system, helped where the emergency happened."""
    from doudi.policy.identity import check_character
    from doudi.relief import services as s

    first17 = "41010219900505003"
    case = s.help_first_person(users["jingban"], id_number=first17 + check_character(first17), name="秦行舟",
                               home_region="410102", residence="urban", kind="traffic_accident",
                               description="演示：途经本镇遭遇交通事故，随身财物丢失，无力返乡",
                               simplified_check="派出所出具事故证明，乡镇工作人员现场查看属实", amount="600",
                               reasoning="一事一议：外地滞留人员的食宿和返乡路费", region=DEMO_TOWN,
                               on=today - dt.timedelta(days=2))
    s.approve(users["shenpi"], case.pk, opinion="同意先行救助，通报户籍地", on=today - dt.timedelta(days=1))
    s.pay_stage(users["caiwu"], case.pk, on=today - dt.timedelta(days=1))
    return 1


def _walk(users: dict, hh, path: str, kind: str, amount: str, stages: list, until: str, *, start: dt.date,
          today: dt.date) -> None:
    from doudi.relief import services as s

    w, w2, ap, cw = users["jingban"], users["jingban2"], users["shenpi"], users["caiwu"]

    def day(n: int) -> dt.date:
        return min(start + dt.timedelta(days=n), today)

    if path == "urgent":
        case = s.help_first(w, household_id=hh.pk, kind=kind, description="演示：突发困难，基本生活难以为继",
                            simplified_check="村委会电话核实，乡镇工作人员现场查看属实", amount=amount,
                            reasoning="一事一议：按困难程度和家庭人口核定", stages=stages, on=start)
        if until == "urgent":
            return
        s.approve(ap, case.pk, opinion="同意先行救助", on=day(1))
        s.pay_stage(cw, case.pk, on=day(1))
        s.refer(w, case.pk, to="dibao", note="家庭收入低，引导申请低保", on=day(2))
        if until == "paying":
            return
        s.complete_paperwork(w2, case.pk, visited_on=day(3), findings="补充入户调查，情况属实", signed_by_family=True,
                             authorisation=True, investigators=[w.pk], on=day(3))
        s.pay_stage(cw, case.pk, on=day(4))
        s.follow_up(w, case.register_entry.pk, situation="伤情稳定，已返回家中", action_taken="转介医疗救助", on_date=day(10))
        return
    case = s.submit(w, household_id=hh.pk, description="演示：子女就学和家人就医支出超出家庭承受能力", on=start)
    if until == "submitted":
        return
    s.accept(w, case.pk, on=day(1))
    s.investigate(w, case.pk, visited_on=day(2), findings="入户调查：刚性支出较大，家庭人均收入偏低", people=None, months=None,
                  amount=amount, reasoning="按支出缺口核定", signed_by_family=True, authorisation=True,
                  investigators=[w2.pk], on=day(2))
    if until == "refused":
        s.refuse(ap, case.pk, reasons="经核算，家庭人均可支配收入高于上年度当地人均水平", on=day(5))
