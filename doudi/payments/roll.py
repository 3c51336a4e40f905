"""Building a county's monthly roll (发放花名册) from the benefits, streaming from the database.

For each 低保 / 特困 benefit of the county (PR-8, NAT-DB-PAY) and each month from the county's
first roll (the month doudi started paying; earlier months were paid by the system before it)
or the benefit's start month, whichever is later, up to the roll's month:

    owed(month)   = the benefit's amount in force that month: the last change row whose
                    effective month is not after it, 0 when that row is not live (stopped, ended,
                    渐退 over, dead) — the same month arithmetic as benefits.services.monthly_amounts;
    issued(month) = what earlier rolls put on a record that was not returned by the bank;
    line          = owed − issued, when not zero:
                    当月 (the roll's month), 补发 (an earlier month never paid: a late approval),
                    退票重发 (the earlier record failed), 更正 (the amount changed after release),
                    多发扣回 (negative: a benefit stopped after its month was released).

Building again gives the same lines (issued counts earlier rolls only), and a benefit-month is
never paid twice. Price-subsidy months (NAT-PL, PL-1) are added for the roll's month when the
month's index figure triggers. The lines of one account are one bank record (``Payment``); a
payee's outstanding debts (多发、骗取追回, NAT-DB-FRAUD) are offset against it, never below zero.

Benefits, their change rows and the earlier lines are read as three streams ordered by benefit
(server-side cursors on PostgreSQL), never as Django objects; lines are written in batches and
the bank records made from them with one INSERT … SELECT. The caller holds one transaction.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import time
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from doudi.accounts.areas import region_q
from doudi.benefits.months import add_months, month_label, month_of
from doudi.payments.banks import program_fund
from doudi.policy.identity import mask_id_number

PROGRAMS = ("dibao", "tekun")
LIVE = ("active", "gradual_exit")
BATCH = 5000


def owed(changes: list[tuple[dt.date, int, str]], month: dt.date) -> int:
    """The amount in force in ``month`` from a benefit's change rows (effective month, amount after,
    status after), in order: the last row not after the month decides; 0 when it is not live."""
    amount = 0
    for eff, after, status in changes:
        if eff > month:
            break
        amount = after if status in LIVE else 0
    return amount


def _benefits(prefix: str, month: dt.date, paid_from: dt.date):
    from doudi.benefits.models import Benefit
    from doudi.payments.models import Account, AccountState
    from doudi.registry.models import Membership

    active = Account.objects.filter(state=AccountState.ACTIVE)
    head = Membership.objects.filter(household=OuterRef("household_id"), relation="self", end__isnull=True)
    qs = (Benefit.objects.filter(region_q("region", prefix), program__in=PROGRAMS, start_month__lte=month,
                                 household__isnull=False)
          .filter(Q(end_month__isnull=True) | Q(end_month__gte=paid_from))
          .annotate(acct_h=Subquery(active.filter(household=OuterRef("household_id"), person__isnull=True)
                                    .values("id")[:1]),
                    acct_p=Subquery(active.filter(person=OuterRef("person_id")).values("id")[:1]),
                    head_id=Subquery(head.values("person__id_number")[:1]))
          .order_by("id"))
    fields = ["id", "household_id", "person_id", "region", "program", "start_month", "household__residence",
              "acct_h", "acct_p", "head_id", "person__id_number"]
    return qs.values_list(*fields).iterator(chunk_size=BATCH)


def _changes(prefix: str, month: dt.date) -> Iterator[tuple]:
    from doudi.benefits.models import BenefitChange

    return (BenefitChange.objects.filter(region_q("benefit__region", prefix), benefit__program__in=PROGRAMS,
                                         effective_month__lte=month)
            .order_by("benefit_id", "effective_month", "at", "id")
            .values_list("benefit_id", "effective_month", "amount_after_fen", "status_after")
            .iterator(chunk_size=BATCH))


def _issued(prefix: str, roll_id: int, month: dt.date) -> Iterator[tuple]:
    """(benefit, month, program, issued fen not returned, number of returned lines) of earlier rolls."""
    from doudi.payments.models import Line, PaymentState

    return (Line.objects.filter(region_q("region", prefix), benefit__isnull=False, roll__month__lt=month)
            .exclude(roll_id=roll_id).order_by().values("benefit_id", "for_month", "program")
            .annotate(ok=Sum("amount_fen", filter=~Q(payment__state=PaymentState.FAILED)),
                      failed=Count("id", filter=Q(payment__state=PaymentState.FAILED)))
            .order_by("benefit_id").values_list("benefit_id", "for_month", "program", "ok", "failed")
            .iterator(chunk_size=BATCH))


def _by_benefit(rows: Iterator[tuple]) -> Iterator[tuple[int, list[tuple]]]:
    for key, group in itertools.groupby(rows, key=lambda r: r[0]):
        yield key, [r[1:] for r in group]


class _Cursor:
    """The next group of a stream ordered by benefit id, for a merge with the benefits stream."""

    def __init__(self, rows: Iterator[tuple]) -> None:
        self._it = _by_benefit(rows)
        self._next = next(self._it, None)

    def take(self, benefit_id: int) -> list[tuple]:
        while self._next is not None and self._next[0] < benefit_id:
            self._next = next(self._it, None)
        if self._next is not None and self._next[0] == benefit_id:
            out = self._next[1]
            self._next = next(self._it, None)
            return out
        return []


def _pause_for_tests(lines_written: int) -> None:
    """The kill test (tests/payments) stops a build half-way: with DOUDI_PAYMENTS_PAUSE set, the build
    sleeps that many seconds after each batch of lines written (never set in production)."""
    pause = os.environ.get("DOUDI_PAYMENTS_PAUSE")
    if pause and lines_written:
        print(f"paused after {lines_written} lines", flush=True)
        time.sleep(float(pause))


def build_lines(roll: Any) -> dict:
    """Write the lines and bank records of ``roll`` (already emptied); returns the figures."""
    from doudi.payments.models import Roll

    prefix, month = roll.region, roll.month
    first = Roll.objects.filter(region=roll.region).exclude(pk=roll.pk).order_by("month").values_list(
        "month", flat=True).first()
    paid_from = min(first, month) if first else month
    changes, issued = _Cursor(_changes(prefix, month)), _Cursor(_issued(prefix, roll.pk, month))
    funds = {p: program_fund(p) for p in PROGRAMS}
    batch: list[tuple] = []
    written = benefits = 0
    missing: list[int] = []
    missing_n = 0
    for row in _benefits(prefix, month, paid_from):
        (bid, hh, person, region, program, start, residence, acct_h, acct_p, head_id, person_id) = row[:11]
        benefits += 1
        account = acct_p if program == "tekun" else acct_h
        history = [(eff, after, status) for eff, after, status in changes.take(bid)]
        before = {(m, prog): (ok or 0, failed) for m, prog, ok, failed in issued.take(bid)}
        first_month = max(month_of(start), paid_from)
        new = []
        m = first_month
        while m <= month:
            due = owed(history, m)
            ok, failed = before.get((m, program), (0, 0))
            diff = due - ok
            if diff:
                if diff < 0:
                    kind, note = "overpaid", f"{month_label(m)}已发 {ok / 100:.2f} 元，应发 {due / 100:.2f} 元，多发扣回"
                elif failed and not ok:
                    kind, note = "reissue", f"{month_label(m)}银行退票，重新发放"
                elif ok:
                    kind, note = "correction", f"{month_label(m)}已发 {ok / 100:.2f} 元，应发 {due / 100:.2f} 元，补差"
                elif m < month:
                    kind, note = "arrears", f"补发{month_label(m)}（起始发放月份 {month_label(start)}）"
                else:
                    kind, note = "monthly", ""
                new.append((program, kind, m, diff, funds[program]["rule"], note))
            m = add_months(m, 1)
        if not new:
            continue
        if account is None:
            missing_n += 1
            if len(missing) < 50:
                missing.append(bid)
            continue
        masked = mask_id_number(person_id if program == "tekun" else (head_id or "")) if (person_id or head_id) else ""
        for prog, kind, m, amount, rule, note in new:
            batch.append((roll.pk, bid, account, hh, person if program == "tekun" else None, masked, region, prog,
                          kind, m, amount, funds[prog]["fund"], rule, note[:300], 0, None))
        if len(batch) >= BATCH:
            written += _write(batch)
            batch = []
            _pause_for_tests(written)
    stage_rows, stage_missing = _stage_lines(roll)
    batch.extend(stage_rows)
    missing_n += stage_missing
    price_rows, price_missing, price_text = _price_lines(roll, paid_from)
    batch.extend(price_rows)
    missing_n += price_missing
    if batch:
        written += _write(batch)
        _pause_for_tests(written)
    _offset_debts(roll)
    records = _payments(roll)
    return {"benefits": benefits, "lines": written, "records": records, "missing_accounts": missing_n,
            "missing_benefits": missing, "price": price_text}


COLUMNS = ("roll_id", "benefit_id", "account_id", "household_id", "person_id", "id_masked", "region", "program",
           "kind", "for_month", "amount_fen", "fund", "rule", "note", "stage", "price_line_id")


def _stage_lines(roll: Any) -> tuple[list[tuple], int]:
    """临时救助 paid in stages (NAT-TA-FIRST): each stage due in the roll's month is a line of kind
    ``stage`` (program temporary, the stage, its amount): once across all rolls. A stage is due when
    the benefit is live that month, the stages before it are paid or on this roll, it was neither
    paid by hand (the worklist) nor put on an earlier roll not returned by the bank, and nothing
    holds it back (the paperwork of urgent help, asked of the procedure: benefits.stage_hold). A
    returned stage is re-issued. The benefits are locked, so a tick by hand waits for this build and
    then sees the stage on the roll. Few rows: read as objects. Returns (rows, benefits without an account)."""
    from doudi.benefits.models import PROGRAM_NAMES, Benefit, ChangeKind
    from doudi.benefits.services import ROLL_SOURCE, is_one_off, stage_hold
    from doudi.payments.models import Account, AccountState, Line, LineKind, PaymentState

    month = roll.month
    one_off = [p for p in PROGRAM_NAMES if is_one_off(p)]
    returned = Line.objects.filter(stage__gt=0, payment__state=PaymentState.FAILED).values("benefit_id")
    benefits = list(Benefit.objects.select_for_update(of=("self",)).filter(
        region_q("region", roll.region), program__in=one_off, last_month__isnull=True, start_month__lte=month)
        .filter(Q(status__in=LIVE) | Q(pk__in=returned)).select_related("person").order_by("id"))
    if not benefits:
        return [], 0
    ids = [b.pk for b in benefits]
    history: dict[int, list[tuple]] = defaultdict(list)
    plans: dict[int, list[int]] = {}
    by_hand: dict[int, set[int]] = defaultdict(set)
    from doudi.benefits.models import BenefitChange

    for c in BenefitChange.objects.filter(benefit_id__in=ids, effective_month__lte=month).order_by(
            "benefit_id", "effective_month", "at", "id"):
        history[c.benefit_id].append((c.effective_month, c.amount_after_fen, c.status_after))
    for c in BenefitChange.objects.filter(benefit_id__in=ids, kind__in=(ChangeKind.START, ChangeKind.PAYMENT)):
        if c.kind == ChangeKind.START:
            plans[c.benefit_id] = [int(x) for x in (c.figures or {}).get("stages_fen") or []]
        elif not c.source.startswith(ROLL_SOURCE):
            by_hand[c.benefit_id].add(int(c.figures.get("stage", 0)))
    ok: dict[int, set[int]] = defaultdict(set)
    failed: dict[int, set[int]] = defaultdict(set)
    for bid, stage, state in (Line.objects.filter(benefit_id__in=ids, stage__gt=0).exclude(roll=roll)
                              .values_list("benefit_id", "stage", "payment__state")):
        (failed if state == PaymentState.FAILED else ok)[bid].add(stage)
    accounts = {(a.household_id, a.person_id): a.pk for a in Account.objects.filter(
        state=AccountState.ACTIVE, household_id__in={b.household_id for b in benefits if b.household_id})}
    fund = program_fund("temporary")
    rows, missing = [], 0
    for b in benefits:
        plan = plans.get(b.pk) or [b.amount_fen]
        live = owed(history[b.pk], month) > 0  # live in the roll's month: new stages are paid
        account = accounts.get((b.household_id, b.person_id)) or accounts.get((b.household_id, None))
        due = []
        for k, amount in enumerate(plan, 1):
            if k in by_hand[b.pk] or k in ok[b.pk]:
                continue
            if k in failed[b.pk]:  # returned by the bank: re-issued unless the benefit was stopped since
                if b.status != "stopped":
                    due.append((k, amount))
                continue
            if not live or stage_hold(b, k, by="roll"):
                break  # this stage and the ones after it wait
            due.append((k, amount))
        if not due:
            continue
        if account is None or b.household_id is None:
            missing += 1
            continue
        who = b.person.id_number if b.person_id else (_head_id(b.household_id) or "")
        for k, amount in due:
            kind = LineKind.REISSUE if k in failed[b.pk] else LineKind.STAGE
            note = (f"临时救助第{k}次发放（共 {len(plan)} 次，批准 {_yuan(b.amount_fen)} 元）"
                    + ("，银行退票后重新发放" if kind == LineKind.REISSUE else ""))
            rows.append((roll.pk, b.pk, account, b.household_id, b.person_id, mask_id_number(who) if who else "",
                         b.region, b.program, kind, month, amount, fund["fund"], "NAT-TA-FIRST", note, k, None))
    return rows, missing


def _price_lines(roll: Any, paid_from: dt.date) -> tuple[list[tuple], int, str]:
    """价格临时补贴 (PL-1, NAT-PL): each household's subsidy of a month computed from the province's
    index (doudi.programs: PriceSubsidyLine, the policy core's amount with its figure and trigger) for
    a month from the county's first roll to the roll's month, not yet on an earlier roll (or returned
    by the bank): a line of program ``price_subsidy`` for that month, kind ``price`` for the roll's
    own month and ``arrears`` for an earlier one (an index published, entered or computed after that
    month's roll: paid in the next roll built). Once across rolls (``price_line``). Paid to the
    household's account (or, without one, to the one account of a member, a 特困 person).
    Returns (rows, households without an account, a sentence for the roll's figures)."""
    from doudi.payments.models import Account, AccountState, Line, LineKind, PaymentState

    try:
        from doudi.programs.models import PriceSubsidyLine
    except ImportError:
        return [], 0, ""
    month = roll.month
    qs = PriceSubsidyLine.objects.filter(region_q("region", roll.region), month__gte=paid_from, month__lte=month)
    earlier: dict[int, str] = {}
    for pl, state in (Line.objects.filter(price_line__in=qs.values("pk")).exclude(roll=roll)
                      .values_list("price_line_id", "payment__state")):
        earlier[pl] = "failed" if state == PaymentState.FAILED and earlier.get(pl) in (None, "failed") else "ok"
    fund = program_fund("price_subsidy")
    accounts: dict[int, int] = {}
    for hh, person, pk in (Account.objects.filter(state=AccountState.ACTIVE, household_id__in=qs.values("household_id"))
                           .order_by("household_id", "id").values_list("household_id", "person_id", "pk")):
        if person is None or hh not in accounts:  # the household's own account wins over a member's
            accounts[hh] = pk
    rows, missing, months = [], 0, defaultdict(int)
    for pk, hh, region, m, people, each, amount, figure, trigger in qs.order_by("month", "household_id").values_list(
            "pk", "household_id", "region", "month", "people", "per_person_fen", "amount_fen", "figure", "trigger"):
        if earlier.get(pk) == "ok" or amount <= 0:
            continue
        if hh not in accounts:
            missing += 1
            continue
        kind = LineKind.REISSUE if earlier.get(pk) == "failed" else LineKind.PRICE if m == month else LineKind.ARREARS
        note = f"{figure}；{trigger}；{people} 人 × {_yuan(each)} 元" + (
            f"；补发{month_label(m)}价格临时补贴" if kind == LineKind.ARREARS else "")
        head = _head_id(hh)
        rows.append((roll.pk, None, accounts[hh], hh, None, mask_id_number(head) if head else "", region,
                     "price_subsidy", kind, m, amount, fund["fund"], "NAT-PL", note[:300], 0, pk))
        months[m] += 1
    text = ("；".join(f"{month_label(m)}价格临时补贴 {n} 户" for m, n in sorted(months.items()))
            or "没有待发放的价格临时补贴（价格指数未录入、未达到启动条件或尚未计算，PL-1）")
    return rows, missing, text


def _head_id(household_id: int) -> str | None:
    from doudi.registry.models import Membership

    return (Membership.objects.filter(household_id=household_id, relation="self", end__isnull=True)
            .values_list("person__id_number", flat=True).first())


def _yuan(fen: int) -> str:
    q, r = divmod(abs(int(fen)), 100)
    return f"{'-' if fen < 0 else ''}{q}.{r:02d}"


def _write(rows: list[tuple]) -> int:
    """Lines as plain rows: COPY on PostgreSQL, executemany elsewhere (no Django objects for a million lines)."""
    from doudi.payments.models import Line

    table = Line._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            raw = c.cursor if hasattr(c, "cursor") else c
            with raw.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
    else:
        marks = ", ".join(["%s"] * len(COLUMNS))
        with connection.cursor() as c:
            c.executemany(f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({marks})", rows)
    return len(rows)


def _offset_debts(roll: Any) -> None:
    """A payee's outstanding debts (oldest first) offset against his positive lines of this roll."""
    from doudi.payments.models import Debt, Line, PaymentState

    debts = list(Debt.objects.filter(region_q("region", roll.region)).order_by("created_at", "id"))
    if not debts:
        return
    repaid = dict(Line.objects.filter(debt__in=debts).exclude(roll=roll).exclude(payment__state=PaymentState.FAILED)
                  .values("debt_id").annotate(s=Sum("amount_fen")).values_list("debt_id", "s"))
    by_payee: dict[tuple, list] = defaultdict(list)
    for d in debts:
        left = d.amount_fen + int(repaid.get(d.pk) or 0)  # offsets are negative
        if left > 0:
            by_payee[(d.household_id, d.person_id)].append((d, left))
    if not by_payee:
        return
    nets = (Line.objects.filter(roll=roll).values("account_id", "household_id", "person_id")
            .annotate(s=Sum("amount_fen")).order_by("account_id"))
    offsets = []
    for n in nets:
        room = int(n["s"] or 0)
        for d, left in by_payee.get((n["household_id"], n["person_id"]), []):
            take = min(room, left)
            if take <= 0:
                continue
            room -= take
            first = Line.objects.filter(roll=roll, account_id=n["account_id"]).order_by("id").first()
            offsets.append(Line(roll=roll, debt=d, account_id=n["account_id"], household_id=d.household_id,
                                person_id=d.person_id, id_masked=first.id_masked, region=first.region,
                                program=first.program, kind="offset", for_month=roll.month, amount_fen=-take,
                                fund=first.fund, rule="NAT-DB-FRAUD" if d.source.startswith("recovery") else "PR-8",
                                note=f"抵扣应追回款：{d.reason}"[:300]))
    Line.objects.bulk_create(offsets)


def _payments(roll: Any) -> int:
    """One bank record per account: the sum of its lines (INSERT … SELECT), then each line its record."""
    from doudi.payments.models import Account, Line, Payment

    p, line, acct = Payment._meta.db_table, Line._meta.db_table, Account._meta.db_table
    with connection.cursor() as c:
        c.execute(f"""
            INSERT INTO {p} (roll_id, seq, account_id, household_id, person_id, region, payee, id_masked,
                             amount_fen, state, bank_reason)
            SELECT %s, ROW_NUMBER() OVER (ORDER BY MIN(l.region), l.account_id), l.account_id,
                   MIN(l.household_id), MIN(l.person_id), MIN(l.region), MIN(a.holder_name), MIN(l.id_masked),
                   CASE WHEN SUM(l.amount_fen) > 0 THEN SUM(l.amount_fen) ELSE 0 END,
                   CASE WHEN SUM(l.amount_fen) > 0 THEN 'due' ELSE 'none' END, ''
            FROM {line} l JOIN {acct} a ON a.id = l.account_id
            WHERE l.roll_id = %s GROUP BY l.account_id""", [roll.pk, roll.pk])
        c.execute(f"""
            UPDATE {line} SET payment_id = p.id FROM {p} p
            WHERE {line}.roll_id = %s AND p.roll_id = {line}.roll_id AND p.account_id = {line}.account_id""",
                  [roll.pk])
        c.execute(f"SELECT COUNT(*) FROM {p} WHERE roll_id = %s AND state = 'due'", [roll.pk])
        return int(c.fetchone()[0])


def totals(roll: Any) -> dict:
    """The roll's totals by program, township and fund source (lines, in fen), and its records."""
    from doudi.payments.models import Line, Payment, PaymentState

    out: dict[str, Any] = {"program": {}, "township": {}, "fund": {}, "kind": {}}
    for r in (Line.objects.filter(roll=roll).order_by().values("region", "program", "fund", "kind")
              .annotate(s=Sum("amount_fen"), n=Count("id"))):
        for dim, key in (("program", r["program"]), ("township", r["region"][:9]), ("fund", r["fund"]),
                         ("kind", r["kind"])):
            cell = out[dim].setdefault(key, {"fen": 0, "lines": 0})
            cell["fen"] += int(r["s"] or 0)
            cell["lines"] += r["n"]
    agg = Payment.objects.filter(roll=roll, state=PaymentState.DUE).aggregate(n=Count("id"), s=Sum("amount_fen"))
    out["records"], out["total_fen"] = agg["n"] or 0, int(agg["s"] or 0)
    out["computed_at"] = timezone.now().isoformat()
    return out
