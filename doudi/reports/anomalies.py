"""异常核查 (PR-5: 人情保、关系保、平均保、虚报冒领 are looked for): each check is a list of findings an
auditor can open and follow to the case or the benefit. Every check reads only the rows of the
user's area (`access.scope_queryset` with the auditor's case.view), and names the rule and figures.

Checks:
- kin_without_second — a recipient who is, or is a registered relative (registry.Kinship) of, a
  user of the system, or whose application was flagged 近亲属备案, approved without a second
  approver (NAT-DB-KIN, security.md four eyes);
- same_amount — a village where every live 低保 household (at least `anomaly_same_amount_min_households`)
  gets the same monthly amount (平均保);
- approval_gap — a township whose approval rate differs from its county's by `anomaly_approval_gap`
  or more (with at least `anomaly_approval_min_decisions` decisions);
- placeholder — a household approved on a parameter still marked placeholder in the policy data
  (a figure the documents leave to the locality, not yet set);
- same_address — `anomaly_same_address_min_households` or more households with a live benefit at
  one address in one county (虚报冒领);
- shared_account — one bank account number that is the active payee account of two households or
  more (an institution's account for centralised 特困 support excepted): the money of several
  households reaches one hand (二次分配, 虚报冒领).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from importlib.util import find_spec
from typing import Any

from django.urls import reverse

from doudi.accounts import access
from doudi.accounts.roles import Action
from doudi.reports.params import param
from doudi.reports.stats import yuan


@dataclass(frozen=True)
class Finding:
    subject: str  # the household or village, as the auditor may see it
    detail: str
    url: str  # the case or benefit to follow
    region: str


@dataclass(frozen=True)
class Check:
    id: str
    name: str
    rule: str
    definition: str


CHECKS = (
    Check("kin_without_second", "工作人员近亲属未经第二人审批", "NAT-DB-KIN, PR-5",
          "救助对象本人是系统用户（身份证号相同）或登记为其近亲属，或申请已作近亲属备案，批准决定没有第二审批人。"),
    Check("same_amount", "同村保障金额完全相同（平均保）", "PR-5（gansu-2017 二（四））",
          "一个村（社区）在保低保户不少于规定户数且月保障金额全部相同。"),
    Check("approval_gap", "乡镇批准率明显偏离全县", "PR-5（人情保、关系保）",
          "期间内乡镇低保申请批准率与所在县批准率之差不小于规定比例（乡镇决定件数不少于规定数）。"),
    Check("placeholder", "按占位参数批准", "rules.md（地方未设定的参数为占位值）",
          "批准决定所用参数中有政策数据标为占位值（placeholder）的数值，即地方尚未正式设定的数字。"),
    Check("same_address", "同一地址多户享受救助", "PR-5（虚报冒领）",
          "同一县内同一住址有不少于规定户数的家庭在享受低保或特困待遇。"),
    Check("shared_account", "多户共用一个收款账户（二次分配）", "PR-5（gansu-2017 二（四）二次分配、虚报冒领）",
          "同一银行账号是两户或以上家庭的在用收款账户（集中供养的供养服务机构账户除外）。"),
)


def _case_url(case: Any) -> str:
    return reverse("reports:audit_case", args=["dibao", case.pk])


def _live_benefits(user: Any):
    from doudi.benefits.models import LIVE, Benefit

    return access.scope_queryset(user, Benefit.objects.filter(status__in=LIVE), Action.CASE_VIEW)


def kin_without_second(user: Any, today: dt.date) -> list[Finding]:
    from doudi.accounts.models import User
    from doudi.cases.models import Case
    from doudi.registry.models import Kinship, Membership, Person

    staff = {n for n in User.objects.exclude(id_number="").values_list("id_number", flat=True)}
    staff_persons = set(Person.objects.filter(id_number__in=staff).values_list("pk", flat=True))
    kin = staff_persons | set(Kinship.objects.filter(relative_id__in=staff_persons).values_list("person_id", flat=True))
    kin |= set(Kinship.objects.filter(person_id__in=staff_persons).values_list("relative_id", flat=True))
    kin_households = set(Membership.objects.filter(person_id__in=kin).values_list("household_id", flat=True))
    cases = (access.scope_queryset(user, Case.objects.filter(decision__outcome="approved",
                                                             decision__second_approver__isnull=True), Action.CASE_VIEW)
             .select_related("decision", "household"))
    out = []
    for case in cases:
        if case.kin or case.household_id in kin_households:
            why = "申请已作近亲属备案" if case.kin else "家庭成员系工作人员或其登记的近亲属"
            out.append(Finding(str(case), f"{why}；{case.decision.decided_on} 由一人批准，无第二审批人",
                               _case_url(case), case.region))
    return out


def same_amount(user: Any, today: dt.date) -> list[Finding]:
    least = int(param("anomaly_same_amount_min_households"))
    by_village: dict[str, list[int]] = defaultdict(list)
    for region, amount in _live_benefits(user).filter(program="dibao").values_list("region", "amount_fen"):
        if len(region) == 12:
            by_village[region].append(amount)
    out = []
    for village, amounts in sorted(by_village.items()):
        if len(amounts) >= least and len(set(amounts)) == 1:
            out.append(Finding(f"村（社区）{village}", f"在保低保 {len(amounts)} 户，月保障金额均为 {yuan(amounts[0])} 元",
                               reverse("reports:audit_list") + f"?area={village}&program=dibao", village))
    return out


def approval_gap(user: Any, today: dt.date, first: dt.date | None = None) -> list[Finding]:
    from doudi.cases.models import Decision

    first = first or today.replace(month=1, day=1)
    gap = Decimal(str(param("anomaly_approval_gap")))
    least = int(param("anomaly_approval_min_decisions"))
    rows = access.scope_queryset(user, Decision.objects.exclude(outcome="").filter(
        decided_on__gte=first, decided_on__lte=today), Action.CASE_VIEW, field="case__region").values_list(
        "case__region", "outcome")
    town: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    county: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for region, outcome in rows:
        for acc in (town[region[:9]], county[region[:6]]):
            acc[0] += outcome == "approved"
            acc[1] += 1
    out = []
    for t, (a, n) in sorted(town.items()):
        ca, cn = county[t[:6]]
        if n < least or not cn:
            continue
        rate, crate = Decimal(a) / n, Decimal(ca) / cn
        if abs(rate - crate) >= gap:
            out.append(Finding(f"乡镇（街道）{t}", f"{first} 至 {today} 批准 {a}/{n} 件（{rate * 100:.1f}%），"
                               f"全县 {ca}/{cn} 件（{crate * 100:.1f}%），相差 {abs(rate - crate) * 100:.1f} 个百分点",
                               reverse("reports:audit_list") + f"?area={t}&program=dibao", t))
    return out


def _placeholders(parameters: list) -> list[str]:
    return [f"{p.get('name')} = {p.get('value')}" for p in parameters or []
            if p.get("placeholder") and p.get("value") not in (None, "", "none")]


def placeholder(user: Any, today: dt.date) -> list[Finding]:
    out = []
    if find_spec("doudi.cases"):
        from doudi.cases.models import Case

        for case in access.scope_queryset(user, Case.objects.filter(decision__outcome="approved"),
                                          Action.CASE_VIEW).select_related("decision", "household"):
            used = _placeholders(case.decision.parameters)
            if used:
                out.append(Finding(str(case), f"{case.decision.decided_on} 批准所用占位参数：{'；'.join(used)}",
                                   _case_url(case), case.region))
    if find_spec("doudi.support"):
        from doudi.support.models import Decision

        for d in access.scope_queryset(user, Decision.objects.filter(kind="approved"), Action.CASE_VIEW,
                                       field="case__region").select_related("case__person"):
            used = _placeholders(d.parameters)
            if used:
                out.append(Finding(str(d.case), f"{d.decided_on} 认定所用占位参数：{'；'.join(used)}",
                                   reverse("reports:audit_case", args=["tekun", d.case_id]), d.case.region))
    return out


def same_address(user: Any, today: dt.date) -> list[Finding]:
    least = int(param("anomaly_same_address_min_households"))
    groups: dict[tuple[str, str], set] = defaultdict(set)
    for hid, county, address in (_live_benefits(user).filter(program__in=("dibao", "tekun"), household__isnull=False)
                                 .values_list("household_id", "household__county", "household__address")):
        key = "".join((address or "").split())
        if key:
            groups[(county, key)].add(hid)
    out = []
    for (county, address), households in sorted(groups.items()):
        if len(households) >= least:
            out.append(Finding(f"{county} {address}", f"同一住址 {len(households)} 户在享受救助",
                               reverse("reports:audit_list") + f"?area={county}&address={address}", county))
    return out


def shared_account(user: Any, today: dt.date) -> list[Finding]:
    if find_spec("doudi.payments") is None:
        return []
    from doudi.payments.models import Account, AccountState, HolderKind, mask_account

    groups: dict[tuple[str, str], set[int]] = defaultdict(set)
    regions: dict[tuple[str, str], str] = {}
    rows = access.scope_queryset(user, Account.objects.filter(state=AccountState.ACTIVE).exclude(
        holder_kind=HolderKind.INSTITUTION), Action.CASE_VIEW).values_list("bank", "number", "household_id", "region")
    for bank, number, hid, region in rows:
        groups[(bank, number)].add(hid)
        regions.setdefault((bank, number), region)
    out = []
    for (bank, number), households in sorted(groups.items()):
        if len(households) >= 2:
            from doudi.registry.models import Household

            names = sorted(h.number for h in Household.objects.filter(pk__in=households))
            region = regions[(bank, number)]
            out.append(Finding(f"账户 {mask_account(number)}", f"同一账号是 {len(households)} 户家庭的在用收款账户："
                               f"{'、'.join(names)}", reverse("reports:audit_list") + f"?area={region[:6]}", region))
    return out


RUN = {"kin_without_second": kin_without_second, "same_amount": same_amount, "approval_gap": approval_gap,
       "placeholder": placeholder, "same_address": same_address, "shared_account": shared_account}


def run_all(user: Any, today: dt.date) -> list[tuple[Check, list[Finding]]]:
    return [(c, RUN[c.id](user, today)) for c in CHECKS]
