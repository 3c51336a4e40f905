"""月度统计表的刷新: the monthly table (`MonthlyFigure`) computed from the live data (PR-9).

The statistics pages read pre-aggregated rows, never the live tables: a province of a million
recipients and 24 months is a few hundred rows per page. The refresh (the Django-Q2 job
`doudi.reports.jobs.refresh`, hourly; `doudi manage reports_refresh`) recomputes the last
`history_months` months from the benefits' change history (doudi.benefits), the procedures'
applications and decisions (doudi.cases, doudi.support, doudi.relief) and writes every level's
rows (province, city, county, township, village) in one transaction.

Definitions (docs/reports.md has them with examples):
- 户数 households: 低保 — benefits live (在保 or 渐退期) in the month; 特困 — distinct households of
  the persons in support; 临时救助 — grants approved in the month (户次).
- 人数 persons: 低保 — the members covered by the decision in force (the approval, or the latest
  review decided with effect by the month; a 单人户 counts 1); 特困 — persons in support; 临时救助 —
  the people helped by the grants approved in the month.
- 金额 amount: 低保, 特困 — the sum of the monthly amounts in force (the benefit's history, as
  `doudi.benefits.services.monthly_amounts` reads it) unless a figure provider gives paid amounts
  (payment rolls, see `sources.py`); 临时救助 — the stages paid in the month.
- 新增 new: benefits whose first month is the month; 停保 stopped: benefits stopped or ended from the
  month; 渐退期 exit: benefits in 渐退 in the month (DB-9).
- 受理/批准/不予批准/撤回: applications submitted, approved, refused, withdrawn in the month; the working
  days from application (申请日期) to decision (决定日期) of each decision of the month, as a histogram.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.util import find_spec

from django.db import transaction
from django.utils import timezone

from doudi.reports import sources
from doudi.reports.models import AmountSource, MonthlyFigure, RefreshRun
from doudi.reports.params import param

CHUNK = 20_000
LIVE = ("active", "gradual_exit")
MEASURES = ("households", "persons", "amount_fen", "new_households", "stopped_households", "exit_households",
            "received", "approved", "refused", "withdrawn")


def month_of(d: dt.date) -> dt.date:
    return d.replace(day=1)


def add_months(m: dt.date, n: int) -> dt.date:
    i = m.year * 12 + m.month - 1 + n
    return dt.date(i // 12, i % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out, m = [], month_of(first)
    while m <= last:
        out.append(m)
        m = add_months(m, 1)
    return out


def prefixes(region: str) -> list[str]:
    """The area prefixes a region code lies in, province first: 620422100201 → 62, 6204, 620422, 620422100, 620422100201."""
    r = str(region)
    out = [r[:2], r[:4], r[:6]]
    if len(r) >= 9 and r[6:9] != "000":
        out.append(r[:9])
    if len(r) == 12 and r[9:] != "000":
        out.append(r[:12])
    return out


@dataclass
class Cell:
    """The measures of one finest key (region, month, program, residence, dim, value)."""

    households: int = 0
    persons: int = 0
    amount_fen: int = 0
    new_households: int = 0
    stopped_households: int = 0
    exit_households: int = 0
    received: int = 0
    approved: int = 0
    refused: int = 0
    withdrawn: int = 0
    days: dict[int, int] = field(default_factory=dict)
    homes: set = field(default_factory=set)  # distinct households (特困: persons of one household count once)

    def add(self, other: Cell) -> None:
        for m in MEASURES:
            setattr(self, m, getattr(self, m) + getattr(other, m))
        for k, v in other.days.items():
            self.days[k] = self.days.get(k, 0) + v


class Tally:
    """Cells by (region, month, program, residence, dim, value)."""

    def __init__(self) -> None:
        self.cells: dict[tuple, Cell] = defaultdict(Cell)

    def cell(self, region: str, month: dt.date, program: str, residence: str, dim: str = "", value: str = "") -> Cell:
        return self.cells[(region, month, program, residence or "urban", dim, value)]


# --- benefits: households, persons, amounts, new, stopped, 渐退 ---------------------------------

def _benefit_rows(first: dt.date, last: dt.date) -> Iterator[list[dict]]:
    """Benefits that may be live between first and last, in chunks, each with its changes."""
    from doudi.benefits.models import Benefit, BenefitChange

    qs = (Benefit.objects.filter(start_month__lte=last).exclude(end_month__lt=first)
          .order_by("id").values("id", "region", "program", "household_id", "household__residence",
                                 "decision_app", "decision_pk", "assessment__household__members",
                                 "assessment__programs__dibao__single_person", "assessment__programs__dibao__class"))
    last_id = 0
    while True:
        chunk = list(qs.filter(id__gt=last_id)[:CHUNK])
        if not chunk:
            return
        last_id = chunk[-1]["id"]
        ids = [b["id"] for b in chunk]
        changes = defaultdict(list)
        for c in (BenefitChange.objects.filter(benefit_id__in=ids).order_by("benefit_id", "effective_month", "at", "id")
                  .values_list("benefit_id", "kind", "effective_month", "amount_after_fen", "status_after",
                               "figures__paid_fen")):
            changes[c[0]].append(c[1:])
        for b in chunk:
            b["changes"] = changes.get(b["id"], [])
        _members_from_documents([b for b in chunk if b["assessment__household__members"] is None])
        yield chunk


def _members_from_documents(benefits: list[dict]) -> None:
    """A benefit started without the policy core's decision: its members from the household document."""
    from doudi.benefits.models import Benefit

    if not benefits:
        return
    docs = dict(Benefit.objects.filter(id__in=[b["id"] for b in benefits]).values_list("id", "household_document"))
    for b in benefits:
        b["assessment__household__members"] = len((docs.get(b["id"]) or {}).get("members") or [])


def _review_sizes(ids: Iterable[int]) -> dict[int, list[tuple[dt.date, int, str]]]:
    """Per 低保 benefit: (effective month, persons covered, class) of each decided review, in order."""
    from doudi.benefits.models import Review

    out = defaultdict(list)
    rows = (Review.objects.filter(benefit_id__in=list(ids), state="done", effective_month__isnull=False)
            .order_by("benefit_id", "effective_month", "id")
            .values_list("benefit_id", "effective_month", "assessment__household__members",
                         "assessment__programs__dibao__single_person", "assessment__programs__dibao__class"))
    for bid, month, members, single, klass in rows:
        if members:
            out[bid].append((month, _covered(members, single), klass or ""))
    return out


def _covered(members: object, single: object) -> int:
    """Persons a 低保 decision covers: a 单人户 (DB-8) one person, else the household's members (按户施保)."""
    try:
        s = int(single or 0)
    except (TypeError, ValueError):
        s = 0
    return s if s > 0 else int(members or 0)


def _support_history() -> tuple[dict[str, int], dict[int, list[tuple[dt.date, str, str]]]]:
    """特困: the case of each support decision, and per case its (effective month, tier, mode) in order."""
    if find_spec("doudi.support") is None:
        return {}, {}
    from doudi.support.models import Decision

    case_of: dict[str, int] = {}
    history = defaultdict(list)
    for pk, case_id, kind, eff, tier, mode in (Decision.objects.order_by("case_id", "effective_from", "id")
                                               .values_list("pk", "case_id", "kind", "effective_from", "care_tier",
                                                            "mode")):
        case_of[str(pk)] = case_id
        if kind in ("approved", "changed") and eff is not None:
            history[case_id].append((month_of(eff), tier or "", mode or ""))
    return case_of, history


def _relief_kinds() -> dict[str, tuple[str, str]]:
    """临时救助: the (kind, residence) of each relief decision's case, by decision pk."""
    if find_spec("doudi.relief") is None:
        return {}
    from doudi.relief.models import Decision

    return {str(pk): (kind, res or hres or "") for pk, kind, res, hres in Decision.objects.values_list(
        "pk", "case__kind", "case__residence", "case__household__residence")}


def _in_force(history: list[tuple], month: dt.date, default: tuple) -> tuple:
    found = default
    for entry in history:
        if entry[0] > month:
            break
        found = entry
    return found


def count_benefits(t: Tally, months: list[dt.date]) -> None:
    first, last = months[0], months[-1]
    case_of, support = _support_history()
    relief = _relief_kinds()
    for chunk in _benefit_rows(first, last):
        sizes = _review_sizes(b["id"] for b in chunk if b["program"] == "dibao")
        for b in chunk:
            if b["program"] == "temporary":
                _count_payments(t, b, relief, first, last)
            elif b["program"] in ("dibao", "tekun"):
                _count_monthly(t, b, months, sizes.get(b["id"], []), support.get(case_of.get(b["decision_pk"]), []))


def _count_payments(t: Tally, b: dict, relief: dict, first: dt.date, last: dt.date) -> None:
    """临时救助: the stages paid in each month (their amounts; the grants are counted from the decisions)."""
    kind, res = relief.get(b["decision_pk"], ("", ""))
    res = res or b["household__residence"] or "urban"
    for kind_c, month, _after, _status, paid in b["changes"]:
        if kind_c != "payment" or not (first <= month <= last):
            continue
        fen = int(paid or 0)
        t.cell(b["region"], month, "temporary", res).amount_fen += fen
        t.cell(b["region"], month, "temporary", res, "kind", kind).amount_fen += fen


def _count_monthly(t: Tally, b: dict, months: list[dt.date], sizes: list, support: list) -> None:
    """低保 and 特困: per month, whether the benefit is live and at what amount (its change history)."""
    changes = b["changes"]
    if not changes:
        return
    program, region, res = b["program"], b["region"], b["household__residence"] or "urban"
    start = (month_of(changes[0][1]), _covered(b["assessment__household__members"],
                                               b["assessment__programs__dibao__single_person"]),
             b["assessment__programs__dibao__class"] or "")
    i, status, amount, was_live = 0, "", 0, False
    for m in months:
        while i < len(changes) and changes[i][1] <= m:
            _kind, _eff, amount, status, _paid = changes[i]
            i += 1
        live = status in LIVE
        started = month_of(changes[0][1]) == m
        stopped = was_live and not live
        was_live = live
        if not live and not stopped:
            continue
        keys = [("", "")]
        if program == "dibao":
            _m, persons, klass = _in_force(sizes, m, start)
            keys.append(("class", klass))
        else:
            persons = 1
            _m, tier, mode = _in_force(support, m, (m, "", ""))
            keys += [("tier", tier), ("mode", mode)]
        for dim, value in keys:
            c = t.cell(region, m, program, res, dim, value)
            if live:
                c.households += program == "dibao"
                if program == "tekun":
                    c.homes.add(b["household_id"])
                c.persons += persons
                c.amount_fen += int(amount)
                c.exit_households += status == "gradual_exit"
                c.new_households += started
            elif stopped:
                c.stopped_households += 1


# --- applications and decisions -------------------------------------------------------------

@dataclass(frozen=True)
class Application:
    program: str
    region: str
    residence: str
    submitted_on: dt.date
    decided_on: dt.date | None = None
    outcome: str = ""  # approved | refused
    withdrawn_on: dt.date | None = None
    kind: str = ""  # 临时救助 kind
    people: int = 0
    amount_fen: int = 0


def applications(first: dt.date, last_day: dt.date) -> Iterator[Application]:
    """Every application of the three procedures with its decision or withdrawal (if any)."""
    yield from _dibao_applications()
    yield from _support_applications()
    yield from _relief_applications()


def _withdrawals(event_model) -> dict[int, dt.date]:
    return dict(event_model.objects.filter(action="withdraw").values_list("case_id", "on_date"))


def _dibao_applications() -> Iterator[Application]:
    if find_spec("doudi.cases") is None:
        return
    from doudi.cases.models import Case, CaseEvent, Decision

    decisions = {c: (o, d) for c, o, d in Decision.objects.exclude(outcome="").values_list(
        "case_id", "outcome", "decided_on")}
    withdrawn = _withdrawals(CaseEvent)
    for pk, region, res, submitted in Case.objects.values_list("pk", "region", "household__residence", "submitted_on"):
        outcome, decided = decisions.get(pk, ("", None))
        yield Application("dibao", region, res, submitted, decided, outcome, withdrawn.get(pk))


def _support_applications() -> Iterator[Application]:
    if find_spec("doudi.support") is None:
        return
    from doudi.support.models import Decision, SupportCase, SupportEvent

    decisions: dict[int, tuple[str, dt.date]] = {}
    for case_id, kind, decided in Decision.objects.filter(kind__in=("approved", "refused")).order_by(
            "decided_on", "id").values_list("case_id", "kind", "decided_on"):
        decisions.setdefault(case_id, (kind, decided))
    withdrawn = _withdrawals(SupportEvent)
    for pk, region, res, submitted in SupportCase.objects.values_list("pk", "region", "household__residence",
                                                                      "submitted_on"):
        outcome, decided = decisions.get(pk, ("", None))
        yield Application("tekun", region, res, submitted, decided, outcome, withdrawn.get(pk))


def _relief_applications() -> Iterator[Application]:
    if find_spec("doudi.relief") is None:
        return
    from doudi.relief.models import Decision, ReliefCase, ReliefEvent

    decisions = {c: (o, d, a, len((doc or {}).get("members") or []))
                 for c, o, d, a, doc in Decision.objects.values_list("case_id", "outcome", "decided_on", "amount_fen",
                                                                     "household_document")}
    withdrawn = _withdrawals(ReliefEvent)
    for pk, region, res, hres, submitted, kind, people in ReliefCase.objects.values_list(
            "pk", "region", "residence", "household__residence", "submitted_on", "kind", "people"):
        outcome, decided, amount, members = decisions.get(pk, ("", None, 0, 0))
        # people helped: as the case records them (TA-1), else the members the decision was made for
        yield Application("temporary", region, res or hres or "urban", submitted, decided, outcome,
                          withdrawn.get(pk), kind, int(people or members or 1), int(amount or 0))


def count_applications(t: Tally, months: list[dt.date]) -> None:
    from doudi.workdays.calendar import Calendar

    first, last = months[0], months[-1]
    cal = Calendar.load()

    def within(d: dt.date | None) -> bool:
        return d is not None and first <= month_of(d) <= last

    for a in applications(first, add_months(last, 1)):
        res = a.residence or "urban"
        if within(a.submitted_on):
            t.cell(a.region, month_of(a.submitted_on), a.program, res).received += 1
        if within(a.withdrawn_on):
            t.cell(a.region, month_of(a.withdrawn_on), a.program, res).withdrawn += 1
        if within(a.decided_on) and a.outcome in ("approved", "refused"):
            m = month_of(a.decided_on)
            c = t.cell(a.region, m, a.program, res)
            setattr(c, a.outcome, getattr(c, a.outcome) + 1)
            days, _warning = cal.working_days_between(a.submitted_on, a.decided_on)
            c.days[days] = c.days.get(days, 0) + 1
            if a.program == "temporary" and a.outcome == "approved":
                for dim, value in (("", ""), ("kind", a.kind)):
                    g = t.cell(a.region, m, "temporary", res, dim, value)
                    g.households += 1
                    g.persons += a.people
                    if dim:
                        g.approved += 1


# --- the refresh ------------------------------------------------------------------------------

def refresh(today: dt.date | None = None, months: int | None = None) -> RefreshRun:
    """Recompute the monthly table for the last `months` months (parameter history_months) up to
    today's month; every level's rows are replaced in one transaction."""
    today = today or timezone.localdate()
    n = int(months or param("history_months"))
    last = month_of(today)
    span = months_between(add_months(last, -(n - 1)), last)
    began, started_at = time.perf_counter(), timezone.now()
    t = Tally()
    count_benefits(t, span)
    count_applications(t, span)
    provider = sources.paid_provider()
    covered = None
    if provider is not None:
        covered = provider.covered(span[0], span[-1]) if provider.covered else None
        _replace_amounts(t, provider, span, covered)
    rows = list(_rolled_up(t, provider, covered))
    with transaction.atomic():
        MonthlyFigure.objects.filter(month__gte=span[0], month__lte=span[-1]).delete()
        MonthlyFigure.objects.bulk_create(rows, batch_size=5000)
        return RefreshRun.objects.create(first_month=span[0], last_month=span[-1], started_at=started_at,
                                         seconds=round(time.perf_counter() - began, 2), rows=len(rows),
                                         amount_source=provider.source if provider and covered != set()
                                         else AmountSource.BENEFITS)


def _replace_amounts(t: Tally, provider: sources.PaidProvider, span: list[dt.date], covered: set | None) -> None:
    """Paid amounts from the provider (payment rolls) replace the 低保/特困 totals' benefit amounts (where the
    provider covers the county-month, when it says which it covers)."""
    for (region, month, program, _res, dim, _value), c in t.cells.items():
        if program in provider.programs and not dim and (covered is None or (region[:6], month) in covered):
            c.amount_fen = 0
    for region, month, program, res, fen in provider.monthly_paid(span[0], span[-1]):
        if covered is None or (region[:6], month_of(month)) in covered:
            t.cell(region, month_of(month), program, res).amount_fen += int(fen)


def _covers(covered: set | None, area: str, month: dt.date) -> bool:
    if covered is None:
        return True
    return any(county.startswith(area[:6]) and m == month for county, m in covered)


def _rolled_up(t: Tally, provider: sources.PaidProvider | None, covered: set | None = None) -> Iterator[MonthlyFigure]:
    """Every cell added into each level it lies in (province … village)."""
    up: dict[tuple, Cell] = defaultdict(Cell)
    parents: dict[str, str] = {}
    for (region, month, program, res, dim, value), c in t.cells.items():
        if c.homes:
            c.households += len(c.homes)
        chain = prefixes(region)
        for k, p in enumerate(chain):
            parents[p] = chain[k - 1] if k else ""
            up[(p, month, program, res, dim, value)].add(c)
    for (area, month, program, res, dim, value), c in up.items():
        source = AmountSource.BENEFITS
        if program == "temporary":
            source = AmountSource.PAYMENTS
        elif provider is not None and program in provider.programs and not dim and _covers(covered, area, month):
            source = provider.source
        yield MonthlyFigure(area=area, parent=parents[area], level=len(area), month=month, program=program,
                            residence=res, dim=dim, value=value or "", amount_source=source,
                            decision_days={str(k): v for k, v in sorted(c.days.items())},
                            **{m: getattr(c, m) for m in MEASURES})


def last_run() -> RefreshRun | None:
    return RefreshRun.objects.first()
