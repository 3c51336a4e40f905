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

The build is set-based, inside the database: one INSERT … SELECT computes every 低保 / 特困 line
(benefits × months, the change row in force by a correlated subquery, what earlier rolls issued
by a grouped join) into a temporary table; the few stage and price-subsidy lines and the debt
offsets are added to it from Python; the bank records are one INSERT … SELECT … GROUP BY account
from it, and the lines one INSERT … SELECT joined to their records. No benefit is read into
Python. The caller holds one transaction (a build killed half-way leaves nothing).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils import timezone

from doudi.accounts.areas import region_q
from doudi.benefits.months import add_months, month_label
from doudi.payments.banks import program_fund
from doudi.policy import regions
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

    month = roll.month
    first = Roll.objects.filter(region=roll.region).exclude(pk=roll.pk).order_by("month").values_list(
        "month", flat=True).first()
    paid_from = min(first, month) if first else month
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            # the build sorts and hashes a county's million lines in a few statements: with the default
            # 4 MB each sort spills to disk; SET LOCAL ends with the build's transaction
            c.execute("SET LOCAL work_mem = '128MB'")
            # a few large statements, each run once: compiling them (JIT) took 2 s of the line query
            c.execute("SET LOCAL jit = off")
        c.execute(f"DROP TABLE IF EXISTS {TMP}")
        c.execute(f"CREATE TEMPORARY TABLE {TMP} ({', '.join(f'{n} {t}' for n, t in TMP_COLUMNS)})")
    _monthly_lines(roll, paid_from)
    stage_rows, stage_missing = _stage_lines(roll)
    price_rows, price_missing, price_text = _price_lines(roll, paid_from)
    _write(stage_rows + price_rows, TMP)
    _offset_debts(roll)
    with connection.cursor() as c:
        c.execute(f"SELECT COUNT(DISTINCT benefit_id) FROM {TMP} WHERE account_id IS NULL AND stage = 0 "
                  "AND price_line_id IS NULL")
        missing_n = int(c.fetchone()[0]) + stage_missing + price_missing
        c.execute(f"SELECT DISTINCT benefit_id FROM {TMP} WHERE account_id IS NULL AND benefit_id IS NOT NULL "
                  "ORDER BY benefit_id LIMIT 50")
        missing = [r[0] for r in c.fetchall()]
        c.execute(f"SELECT COUNT(*) FROM {TMP} WHERE account_id IS NOT NULL")
        lines = int(c.fetchone()[0])
    if connection.vendor == "postgresql":
        with connection.cursor() as c:  # the planner's figures for the table just filled (the GROUP BY's hash)
            c.execute(f"ANALYZE {TMP}")
    records = _payments(roll)
    _pause_for_tests(lines)
    with connection.cursor() as c:
        c.execute(f"DROP TABLE {TMP}")
    return {"benefits": _benefit_count(roll, paid_from), "lines": lines, "records": records,
            "missing_accounts": missing_n, "missing_benefits": missing, "price": price_text}


TMP = "payments_roll_build"
TMP_COLUMNS = (("benefit_id", "bigint"), ("account_id", "bigint"), ("household_id", "bigint"),
               ("person_id", "bigint"), ("id_masked", "varchar(20)"), ("region", "varchar(12)"),
               ("program", "varchar(20)"), ("kind", "varchar(12)"), ("for_month", "date"), ("amount_fen", "bigint"),
               ("fund", "varchar(40)"), ("rule", "varchar(80)"), ("note", "varchar(300)"), ("stage", "integer"),
               ("price_line_id", "bigint"), ("debt_id", "bigint"))


def _sql_month_label(col: str) -> str:
    """SQL for benefits.months.month_label (2027年1月)."""
    if connection.vendor == "postgresql":
        return f"(CAST(EXTRACT(YEAR FROM {col}) AS INTEGER) || '年' || CAST(EXTRACT(MONTH FROM {col}) AS INTEGER) || '月')"
    return f"(CAST(strftime('%%Y', {col}) AS INTEGER) || '年' || CAST(strftime('%%m', {col}) AS INTEGER) || '月')"


def _sql_yuan(col: str) -> str:
    """SQL for a non-negative amount in fen as yuan with two decimals (1500.00)."""
    cents = (f"lpad(CAST({col} %% 100 AS TEXT), 2, '0')" if connection.vendor == "postgresql"
             else f"printf('%%02d', {col} %% 100)")  # %% : the query takes parameters
    return f"(CAST({col} / 100 AS TEXT) || '.' || {cents})"


def _sql_mask(col: str) -> str:
    """SQL for policy.identity.mask_id_number: the first 6 and last 4 shown, the rest as *."""
    stars = "'" + "*" * 20 + "'"
    return (f"(CASE WHEN {col} IS NULL THEN '' WHEN LENGTH({col}) > 10 THEN SUBSTR({col}, 1, 6) || "
            f"SUBSTR({stars}, 1, LENGTH({col}) - 10) || SUBSTR({col}, LENGTH({col}) - 3, 4) "
            f"ELSE SUBSTR({stars}, 1, LENGTH({col})) END)")


def _monthly_lines(roll: Any, paid_from: dt.date) -> None:
    """Every 低保 / 特困 line of the roll into the temporary table, in one INSERT … SELECT: for each
    benefit of the county and each month from max(its start month, the county's first roll) to the
    roll's month, owed = the amount of the change row in force that month (the last one whose
    effective month is not after it, in the order effective month, time, id; 0 when not live),
    issued = what earlier rolls put on records not returned by the bank; a line where they differ,
    of the kind and with the sentence of the module's docstring. Lines without an account in use
    are kept (account_id NULL) to be counted, not paid."""
    from doudi.benefits.models import Benefit, BenefitChange
    from doudi.payments.models import Account, Line, Payment, Roll
    from doudi.registry.models import Membership, Person

    month = roll.month
    months, m = [], paid_from
    while m <= month:
        months.append(m)
        m = add_months(m, 1)
    prefix = regions.prefix(roll.region)
    funds = {p: program_fund(p) for p in PROGRAMS}
    ben, chg, acct = Benefit._meta.db_table, BenefitChange._meta.db_table, Account._meta.db_table
    line, pay, rl = Line._meta.db_table, Payment._meta.db_table, Roll._meta.db_table
    mem, per = Membership._meta.db_table, Person._meta.db_table
    live = ", ".join(f"'{x}'" for x in LIVE)
    ml, mls = _sql_month_label("x.for_month"), _sql_month_label("x.start_month")
    ok, due = _sql_yuan("x.ok"), _sql_yuan("x.due")
    values = ", ".join(["(%s)"] * len(months))
    # the payee's ID number read once per line inside x: the masking expression names its column
    # seven times, and a subquery in its place ran seven times per line
    own_id = f"(SELECT pp.id_number FROM {per} pp WHERE pp.id = b.person_id)"
    head_id = (f"(SELECT hp.id_number FROM {mem} hm JOIN {per} hp ON hp.id = hm.person_id WHERE hm.household_id = "
               """b.household_id AND hm.relation = 'self' AND hm."end" IS NULL ORDER BY hm.id LIMIT 1)""")
    sql = f"""
        INSERT INTO {TMP} (benefit_id, account_id, household_id, person_id, id_masked, region, program, kind,
                           for_month, amount_fen, fund, rule, note, stage, price_line_id)
        WITH months(m) AS (VALUES {values}),
        issued AS (
            SELECT l.benefit_id, l.for_month, l.program,
                   SUM(CASE WHEN p.state = 'failed' THEN 0 ELSE l.amount_fen END) AS ok,
                   SUM(CASE WHEN p.state = 'failed' THEN 1 ELSE 0 END) AS failed
            FROM {line} l JOIN {rl} r ON r.id = l.roll_id LEFT JOIN {pay} p ON p.id = l.payment_id
            WHERE r.region = %s AND r.month < %s AND l.roll_id <> %s AND l.benefit_id IS NOT NULL AND l.stage = 0
              AND l.program IN ('dibao', 'tekun')
            GROUP BY l.benefit_id, l.for_month, l.program),
        x AS MATERIALIZED (  -- once: the outer SELECT reads due and ok many times
            SELECT b.id AS benefit_id, b.household_id, b.person_id, b.region, b.program, b.start_month,
                   months.m AS for_month,
                   CASE WHEN b.program = 'tekun' THEN ap.id ELSE ah.id END AS account_id,
                   COALESCE((SELECT CASE WHEN c.status_after IN ({live}) THEN c.amount_after_fen ELSE 0 END
                             FROM {chg} c WHERE c.benefit_id = b.id AND c.effective_month <= months.m
                             ORDER BY c.effective_month DESC, c.at DESC, c.id DESC LIMIT 1), 0) AS due,
                   COALESCE(i.ok, 0) AS ok, COALESCE(i.failed, 0) AS failed,
                   CASE WHEN b.program = 'tekun' THEN {own_id} ELSE {head_id} END AS idn
            FROM {ben} b
            JOIN months ON months.m >= b.start_month
            LEFT JOIN {acct} ah ON ah.household_id = b.household_id AND ah.person_id IS NULL AND ah.state = 'active'
            LEFT JOIN {acct} ap ON ap.person_id = b.person_id AND ap.state = 'active'
            LEFT JOIN issued i ON i.benefit_id = b.id AND i.for_month = months.m AND i.program = b.program
            WHERE b.region LIKE %s AND b.program IN ('dibao', 'tekun') AND b.start_month <= %s
              AND b.household_id IS NOT NULL AND (b.end_month IS NULL OR b.end_month >= %s))
        SELECT x.benefit_id, x.account_id, x.household_id, CASE WHEN x.program = 'tekun' THEN x.person_id END,
               {_sql_mask("x.idn")},
               x.region, x.program,
               CASE WHEN x.due < x.ok THEN 'overpaid' WHEN x.failed > 0 AND x.ok = 0 THEN 'reissue'
                    WHEN x.ok > 0 THEN 'correction' WHEN x.for_month < %s THEN 'arrears' ELSE 'monthly' END,
               x.for_month, x.due - x.ok,
               CASE WHEN x.program = 'tekun' THEN %s ELSE %s END,
               CASE WHEN x.program = 'tekun' THEN %s ELSE %s END,
               CASE WHEN x.due < x.ok THEN {ml} || '已发 ' || {ok} || ' 元，应发 ' || {due} || ' 元，多发扣回'
                    WHEN x.failed > 0 AND x.ok = 0 THEN {ml} || '银行退票，重新发放'
                    WHEN x.ok > 0 THEN {ml} || '已发 ' || {ok} || ' 元，应发 ' || {due} || ' 元，补差'
                    WHEN x.for_month < %s THEN '补发' || {ml} || '（起始发放月份 ' || {mls} || '）'
                    ELSE '' END,
               0, NULL
        FROM x WHERE x.due <> x.ok"""
    params = [*months, roll.region, month, roll.pk, prefix + "%", month, paid_from, month,
              funds["tekun"]["fund"], funds["dibao"]["fund"], funds["tekun"]["rule"], funds["dibao"]["rule"], month]
    with connection.cursor() as c:
        c.execute(sql, params)


def _benefit_count(roll: Any, paid_from: dt.date) -> int:
    from doudi.benefits.models import Benefit

    with connection.cursor() as c:
        c.execute(f"SELECT COUNT(*) FROM {Benefit._meta.db_table} b WHERE b.region LIKE %s AND "
                  "b.program IN ('dibao', 'tekun') AND b.start_month <= %s AND b.household_id IS NOT NULL "
                  "AND (b.end_month IS NULL OR b.end_month >= %s)",
                  [regions.prefix(roll.region) + "%", roll.month, paid_from])
        return int(c.fetchone()[0])


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
    from doudi.programs.prices import late_approvals

    month = roll.month
    late_approvals(roll.region, paid_from, month, user=roll.built_by)  # approved after their month was computed
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


def _write(rows: list[tuple], table: str) -> int:
    """Rows of COLUMNS (the roll's id first, dropped) into the temporary table: COPY on PostgreSQL,
    executemany elsewhere."""
    if not rows:
        return 0
    cols = COLUMNS[1:]
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            raw = c.cursor if hasattr(c, "cursor") else c
            with raw.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r[1:])
    else:
        marks = ", ".join(["%s"] * len(cols))
        with connection.cursor() as c:
            c.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", [r[1:] for r in rows])
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
    with connection.cursor() as c:
        c.execute(f"""
            SELECT account_id, household_id, person_id, SUM(amount_fen), MIN(id_masked), MIN(region), MIN(program),
                   MIN(fund)
            FROM {TMP} WHERE account_id IS NOT NULL AND household_id IN (
                SELECT household_id FROM {Debt._meta.db_table} WHERE region LIKE %s)
            GROUP BY account_id, household_id, person_id ORDER BY account_id""",
                  [regions.prefix(roll.region) + "%"])
        nets = c.fetchall()
    offsets = []
    for account, hh, person, total, masked, region, program, fund in nets:
        room = int(total or 0)
        for d, left in by_payee.get((hh, person), []):
            take = min(room, left)
            if take <= 0:
                continue
            room -= take
            offsets.append((d.pk, account, d.household_id, d.person_id, masked, region, program, "offset", roll.month,
                            -take, fund, "NAT-DB-FRAUD" if d.source.startswith("recovery") else "PR-8",
                            f"抵扣应追回款：{d.reason}"[:300], 0, None))
    if offsets:
        cols = ("debt_id", *COLUMNS[2:])
        with connection.cursor() as c:
            c.executemany(f"INSERT INTO {TMP} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})", offsets)


def _payments(roll: Any) -> int:
    """One bank record per account: the sum of its lines (INSERT … SELECT … GROUP BY from the temporary
    table), then the lines with their record (INSERT … SELECT joined on the account)."""
    from doudi.payments.models import Account, Line, Payment

    p, line, acct = Payment._meta.db_table, Line._meta.db_table, Account._meta.db_table
    cols = ", ".join(COLUMNS[1:])
    with connection.cursor() as c:
        c.execute(f"""
            INSERT INTO {p} (roll_id, seq, account_id, household_id, person_id, region, payee, id_masked,
                             amount_fen, state, bank_reason)
            SELECT %s, ROW_NUMBER() OVER (ORDER BY MIN(l.region), l.account_id), l.account_id,
                   MIN(l.household_id), MIN(l.person_id), MIN(l.region), MIN(a.holder_name), MIN(l.id_masked),
                   CASE WHEN SUM(l.amount_fen) > 0 THEN SUM(l.amount_fen) ELSE 0 END,
                   CASE WHEN SUM(l.amount_fen) > 0 THEN 'due' ELSE 'none' END, ''
            FROM {TMP} l JOIN {acct} a ON a.id = l.account_id
            GROUP BY l.account_id""", [roll.pk])
        if connection.vendor == "sqlite":
            # SQLite joins by nested loops: without an index on one side the join below reads every
            # record for every line (quadratic: 10,000 lines took 4.7 s). PostgreSQL hashes the join.
            c.execute(f"CREATE INDEX {TMP}_account ON {TMP} (account_id)")
        c.execute(f"""
            INSERT INTO {line} (roll_id, payment_id, debt_id, {cols})
            SELECT %s, p.id, l.debt_id, {', '.join('l.' + x for x in COLUMNS[1:])}
            FROM {TMP} l JOIN {p} p ON p.roll_id = %s AND p.account_id = l.account_id
            ORDER BY p.seq, l.for_month""", [roll.pk, roll.pk])
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
