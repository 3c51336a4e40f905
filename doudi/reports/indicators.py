"""绩效指标 (PR-9: performance evaluated and reported per area): each with its definition, the rule
it comes from, its target where a document sets one, and the figures it is computed from.

Indicators are computed from the live tables (filtered to the area through the model's AREA_FIELD
by prefix, as the access layer does) for a period of days. One that has no source yet (the
verification app) is a provider looked up in `sources` and shows 暂无数据 until it exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from importlib.util import find_spec
from typing import Any

from django.db.models import Q

from doudi.accounts.areas import region_q
from doudi.reports import sources
from doudi.reports.params import param
from doudi.reports.params import source as param_source


@dataclass
class Result:
    """An indicator's value for an area and period: numerator / denominator against a target."""

    numerator: int | None = None
    denominator: int | None = None
    target: Decimal | None = None
    target_source: str = ""
    note: str = ""
    per: int = 100  # 100: a percentage; 1000: per thousand
    lines: list[dict] = field(default_factory=list)  # per county / township where the indicator is kept there

    @property
    def available(self) -> bool:
        return self.denominator is not None

    @property
    def value(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (Decimal(self.numerator) * self.per / Decimal(self.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def met(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        return self.value >= self.target * self.per

    def text(self) -> str:
        if not self.available:
            return "暂无数据"
        if self.value is None:
            return "无（分母为 0）"
        return f"{self.value}{'%' if self.per == 100 else '‰'}"


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    definition: str
    rule: str
    compute: Callable[[str, dt.date, dt.date], Result]


def _prefix_q(field_name: str, prefix: str) -> Q:
    return region_q(field_name, prefix)


def _workdays():
    from doudi.workdays.calendar import Calendar

    return Calendar.load()


def decisions_in_time(prefix: str, first: dt.date, last: dt.date) -> Result:
    """低保: acceptance to decision within 30 working days (45 special); 特困: the proposal within 15
    working days of acceptance and the county's decision within 15 of the notice's end."""
    cal = _workdays()
    ok = n = 0
    if find_spec("doudi.cases"):
        from doudi.cases.models import Decision
        from doudi.cases.procedure import param as case_param

        limit, special = int(case_param("whole_procedure_working_days")), int(case_param("whole_procedure_working_days_special"))
        for accepted, decided, is_special in (Decision.objects.filter(_prefix_q("case__region", prefix))
                                              .exclude(outcome="").filter(decided_on__gte=first, decided_on__lte=last)
                                              .values_list("case__accepted_on", "decided_on", "case__special")):
            n += 1
            days, _w = cal.working_days_between(accepted or decided, decided)
            ok += days <= (special if is_special else limit)
    if find_spec("doudi.support"):
        from doudi.support.models import Decision as SDecision
        from doudi.support.models import Proposal
        from doudi.support.procedure import param as support_param

        propose, county = int(support_param("proposal_working_days")), int(support_param("county_decision_working_days"))
        decided = list(SDecision.objects.filter(_prefix_q("case__region", prefix), kind__in=("approved", "refused"),
                                                decided_on__gte=first, decided_on__lte=last)
                       .values_list("case_id", "case__accepted_on", "decided_on"))
        proposals = {}
        for case_id, proposed, closed, ends in Proposal.objects.filter(case_id__in=[d[0] for d in decided]).order_by(
                "proposed_on", "id").values_list("case_id", "proposed_on", "notice_closed_on", "notice_ends_on"):
            proposals[case_id] = (proposed, closed or ends)
        for case_id, accepted, on in decided:
            n += 1
            proposed, notice_end = proposals.get(case_id, (on, on))
            a, _w = cal.working_days_between(accepted or proposed, proposed)
            b, _w = cal.working_days_between(notice_end, on)
            ok += a <= propose and b <= county
    return Result(ok, n, note="低保 30（特殊 45）个工作日；特困 乡镇 15 + 县级 15 个工作日")


def spot_check_rate(prefix: str, first: dt.date, last: dt.date) -> Result:
    """PR-3: proposals reaching a county that were drawn for a home check, per county, against 30%."""
    from doudi.cases.procedure import param as case_param

    target = Decimal(str(case_param("spot_check_ratio")))
    per_county: dict[str, list[int]] = {}
    models = []
    if find_spec("doudi.cases"):
        from doudi.cases.models import SpotCheck

        models.append(SpotCheck)
    if find_spec("doudi.support"):
        from doudi.support.models import SpotCheck as SSpotCheck

        models.append(SSpotCheck)
    for model in models:
        for county, selected in (model.objects.filter(_prefix_q("case__region", prefix),
                                                      drawn_at__date__gte=first, drawn_at__date__lte=last)
                                 .values_list("county", "selected")):
            c = per_county.setdefault(county, [0, 0])
            c[0] += bool(selected)
            c[1] += 1
    lines = []
    for county, (sel, n) in sorted(per_county.items()):
        r = Result(sel, n, target)
        lines.append({"area": county, "text": r.text(), "numerator": sel, "denominator": n, "met": r.met})
    sel = sum(v[0] for v in per_county.values())
    n = sum(v[1] for v in per_county.values())
    return Result(sel, n, target, "PR-3 gansu-2017 二（四）（不低于30%的比例入户抽查）", lines=lines)


def centralised_rate(prefix: str, first: dt.date, last: dt.date) -> Result:
    """TK-5: persons in support at the end of the period who are in centralised support, against the
    target a seed sets (tekun.centralised_target; wuhai-2014 三.4: 50%)."""
    from doudi.params.store import current_policy
    from doudi.reports.stats import region_code_of

    if find_spec("doudi.support") is None:
        return Result(note="特困供养未安装")
    from doudi.support.models import SupportCase

    live = SupportCase.objects.filter(_prefix_q("region", prefix), support_from__lte=last).filter(
        Q(support_until__isnull=True) | Q(support_until__gt=last))
    n = live.count()
    m = live.filter(mode="centralised").count()
    code = region_code_of(prefix)[:6]
    target, src = None, ""
    try:
        r = current_policy().resolve("tekun.centralised_target", code, last, "urban")
        if r.value is not None:
            target, src = Decimal(r.value), r.source
    except KeyError:
        pass
    return Result(m, n, target, src, note="" if target is not None else "本地区文件未设目标")


def verification_cleared(prefix: str, first: dt.date, last: dt.date) -> Result:
    """PR-6: verification findings dealt with within their deadline (from the verification app)."""
    fn = sources.provider("verification_cleared")
    if fn is None:
        return Result(note="核对应用尚未启用：暂无数据")
    got = fn(prefix, first, last)
    if got is None:
        return Result(note="暂无数据")
    done, due = got
    return Result(int(done), int(due))


def complaints_in_time(prefix: str, first: dt.date, last: dt.date) -> Result:
    """PR-5: complaints whose answer was due in the period (and is due by now) answered by the deadline."""
    from doudi.reports.models import Complaint

    due = Complaint.objects.filter(_prefix_q("region", prefix), due_on__gte=first, due_on__lte=last)
    n = due.count()
    ok = due.filter(answered_on__isnull=False, answered_on__lte=models_f("due_on")).count()
    return Result(ok, n, note=f"答复期限 {param('complaint_answer_working_days')} 个工作日（{param_source('complaint_answer_working_days')}）")


def models_f(name: str) -> Any:
    from django.db.models import F

    return F(name)


def reviews_on_time(prefix: str, first: dt.date, last: dt.date) -> Result:
    """DB-11 / NAT-DB-REVIEW: reviews due in the period decided by their deadline."""
    if find_spec("doudi.benefits") is None:
        return Result(note="待遇管理未安装")
    from doudi.benefits.models import Review

    due = Review.objects.filter(_prefix_q("benefit__region", prefix), due_on__gte=first, due_on__lte=last)
    n = due.count()
    ok = due.filter(state="done", decided_on__lte=models_f("due_on")).count()
    return Result(ok, n)


def coverage(prefix: str, first: dt.date, last: dt.date) -> Result:
    """Persons covered by 低保 and 特困 in the period's last month per 1,000 residents (population entered)."""
    from doudi.reports.figures import month_of
    from doudi.reports.models import MonthlyFigure, Population
    from doudi.reports.stats import region_code_of

    pop = (Population.objects.filter(region=region_code_of(prefix), effective_from__lte=last)
           .order_by("-effective_from", "-id").first())
    if pop is None:
        return Result(note="未录入本地区常住人口：暂无数据", per=1000)
    persons = sum(MonthlyFigure.objects.filter(area=prefix, month=month_of(last), dim="",
                                               program__in=("dibao", "tekun")).values_list("persons", flat=True))
    return Result(persons, int(pop.population), per=1000,
                  note=f"常住人口 {pop.population} 人（{pop.source}，自 {pop.effective_from} 起）")


INDICATORS: tuple[Indicator, ...] = (
    Indicator("decisions_in_time", "审批按期办结率",
              "期间内作出的低保、特困决定中，在法定工作日时限内办结的比例：低保自受理至决定不超过 30 个工作日"
              "（特殊情况 45 个）；特困乡镇自受理 15 个工作日内提出初审意见、县级自公示期满 15 个工作日内作出决定。",
              "NAT-DB-DEADLINES, NAT-TK-DEADLINES", decisions_in_time),
    Indicator("spot_check_rate", "县级入户抽查率",
              "期间内报县级审批的低保、特困申请中被抽中入户抽查的比例，逐县计算，目标不低于 30%。",
              "PR-3（gansu-2017 二（四））", spot_check_rate),
    Indicator("centralised_rate", "特困人员集中供养率",
              "期末供养中的特困人员中集中供养的比例；文件设目标的地区对照目标（乌海市 50% 以上）。",
              "TK-5（wuhai-2014 三.4）", centralised_rate),
    Indicator("verification_cleared", "核对发现问题按期处理率",
              "期间内到期的家庭经济状况核对发现问题中，在期限内处理完毕的比例（由核对应用提供）。",
              "PR-6（wuhai-2014 十一.18）", verification_cleared),
    Indicator("complaints_in_time", "投诉举报按期答复率",
              "答复期限在期间内的投诉举报中，在期限内答复的比例。", "PR-5（gansu-2017 二（四））", complaints_in_time),
    Indicator("reviews_on_time", "按期复核率",
              "期限在期间内的复核任务（定期复核与情况变化复核）中，在期限内作出复核决定的比例。",
              "DB-11, NAT-DB-REVIEW（huining-2022 二（一）四.2）", reviews_on_time),
    Indicator("coverage", "每千名常住人口保障人数",
              "期末月份低保与特困保障人数 ÷ 常住人口 × 1000（常住人口由管理员作为参数录入）。",
              "PR-9（baotou-2017 二（二））", coverage),
)


def evaluate(prefix: str, first: dt.date, last: dt.date) -> list[tuple[Indicator, Result]]:
    return [(i, i.compute(prefix, first, last)) for i in INDICATORS]
