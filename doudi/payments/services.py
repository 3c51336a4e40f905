"""The only writers of payments: each act in one transaction, checking the user's role and area
through doudi.accounts.access and writing an audit entry (PR-8, NAT-DB-PAY; security.md)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.areas import is_valid_region_code, region_name, region_q
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action
from doudi.benefits.months import month_label, month_of
from doudi.payments import bankfile
from doudi.payments import roll as rollmod
from doudi.payments.banks import PaymentError, check_number, funds, setting, template
from doudi.payments.models import (
    Account,
    AccountState,
    BankExport,
    Budget,
    Debt,
    FundLevel,
    HolderKind,
    Line,
    LineKind,
    Payment,
    PaymentState,
    ResultImport,
    Roll,
    RollState,
)

__all__ = ["PaymentError", "enter_account", "import_account", "confirm_account", "reject_account", "reveal_account", "build_roll",
           "review_roll", "release_roll", "export_bank_file", "import_results", "reconciliation", "add_budget",
           "fund_status", "visible_rolls", "access_roll", "payee_account"]


def _may(user: Any, action: str, region: str) -> bool:
    return access.in_area(access.areas_of(user, action), region)


def _require(user: Any, region: str, *actions: str, what: str) -> None:
    if user is None:  # the scheduled run (doudi payments …): the system
        return
    if not any(_may(user, a, region) for a in actions):
        raise PermissionDenied(f"您的角色不能{what}（不在您的辖区内或角色不允许）")


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    q, r = divmod(abs(int(fen)), 100)
    return f"{sign}{q}.{r:02d}"


# --- payee accounts ------------------------------------------------------------------------------

def payee_account(household: Any, person: Any = None) -> Account | None:
    """The account in use for a payee (the household for 低保, the person for 特困)."""
    qs = Account.objects.filter(state=AccountState.ACTIVE)
    return (qs.filter(person=person) if person is not None else qs.filter(household=household, person__isnull=True)).first()


def _names(household: Any) -> set[str]:
    return set(household.memberships.filter(end__isnull=True).values_list("person__name", flat=True))


def _relatives(household: Any) -> set[str]:
    from doudi.registry.services import kin_of_members

    return {k.relative.name for k in kin_of_members(household)}


def _centralised(person: Any) -> bool | None:
    """Whether the person's 特困 support is centralised (doudi.support's case), None when unknown."""
    try:
        from doudi.support.models import SupportCase
    except ImportError:
        return None
    case = SupportCase.objects.filter(person=person).exclude(mode="").order_by("-id").first()
    return None if case is None else case.mode == "centralised"


@transaction.atomic
def enter_account(user: Any, household: Any, *, bank: str, number: str, holder_name: str,
                  holder_kind: str = HolderKind.SELF, person: Any = None, branch: str = "", yikatong: bool = False,
                  reason: str = "") -> Account:
    """登记收款账户 (pending until a second user confirms it). The number is checked by the bank's
    rule; the holder must be the payee (a member of the household; for 特困 the person), a guardian
    or relative recorded, or — centralised 特困 support — the institution."""
    household = access.access_household(user, getattr(household, "pk", household))
    _require(user, household.region_code, Action.PAYMENT_MANAGE, Action.CASE_ACCEPT, what="登记收款账户")
    number = check_number(bank, number)
    holder = (holder_name or "").strip()
    if not holder:
        raise PaymentError("请填写户名", "holder_name")
    if person is not None and person.pk not in set(household.memberships.filter(end__isnull=True)
                                                   .values_list("person_id", flat=True)):
        raise PaymentError("供养对象须是本户现有成员", "person")
    if holder_kind == HolderKind.SELF:
        allowed = {person.name} if person is not None else _names(household)
        if holder not in allowed:
            who = person.name if person is not None else "本户成员（" + "、".join(sorted(allowed)) + "）"
            raise PaymentError(f"户名「{holder}」与领款人不一致：本人账户的户名应为 {who}", "holder_name")
    elif holder_kind == HolderKind.GUARDIAN:
        allowed = (_names(household) | _relatives(household)) - ({person.name} if person is not None else set())
        if holder not in allowed:
            raise PaymentError(f"户名「{holder}」不是登记的监护人或亲属（本户成员或已登记的亲属关系）", "holder_name")
    elif holder_kind == HolderKind.INSTITUTION:
        if person is None:
            raise PaymentError("供养服务机构账户只用于集中供养的特困人员，请选择供养对象", "person")
        if _centralised(person) is False:
            raise PaymentError(f"{person.name}为分散供养，供养金不能发放到机构账户（TK-5）", "holder_kind")
    else:
        raise PaymentError("请选择账户类型", "holder_kind")
    account = Account.objects.create(
        household=household, person=person, region=household.region_code, holder_kind=holder_kind,
        holder_name=holder, bank=bank, branch=(branch or "").strip()[:100], number=number, yikatong=bool(yikatong),
        reason=(reason or "").strip()[:200], entered_by=user, entered_at=timezone.now())
    audit.record(user, AuditKind.STEP, account, action="account.enter", reason=account.reason or "登记收款账户",
                 detail={"bank": bank, "account": account.masked, "holder_kind": holder_kind})
    return account


def import_account(user: Any, household: Any, *, bank: str, number: str, holder_name: str, person: Any = None,
                   reason: str = "") -> Account | None:
    """数据迁移: the account a county already pays a payee into, from its 花名册 (doudi.verification's
    caseload import), in use at once: not a change of account (those need a second user, see
    ``enter_account``) but the one the old system paid, carried over by the importing user; the
    import itself is one audited act. Checked as ``enter_account`` checks: the bank's number rule and
    the holder (a member of the household; for 特困 the person). A payee who already has an account in
    use keeps it (None is returned). Inside the caller's transaction."""
    _require(user, household.region_code, Action.PAYMENT_MANAGE, Action.CASE_ACCEPT, Action.CASE_APPROVE,
             what="导入收款账户")
    number = check_number(bank, number)
    holder = (holder_name or "").strip()
    allowed = {person.name} if person is not None else _names(household)
    if holder not in allowed:
        raise PaymentError(f"户名「{holder}」与领款人不一致：本人账户的户名应为 {'、'.join(sorted(allowed))}", "holder_name")
    if payee_account(household, person) is not None:
        return None
    now = timezone.now()
    account = Account.objects.create(
        household=household, person=person, region=household.region_code, holder_kind=HolderKind.SELF,
        holder_name=holder, bank=bank, number=number, state=AccountState.ACTIVE, reason=(reason or "")[:200],
        entered_by=user, entered_at=now, confirmed_by=user, confirmed_at=now)
    audit.record(user, AuditKind.STEP, account, action="account.import", reason=account.reason or "导入收款账户",
                 detail={"bank": bank, "account": account.masked})
    return account


def _pending(user: Any, pk: Any) -> Account:
    qs = Account.objects.select_for_update(of=("self",)).select_related("household", "person")
    try:
        account = access.scope_queryset(user, qs, Action.HOUSEHOLD_VIEW).get(pk=pk)
    except (Account.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该账户，或不在您的辖区内") from None
    _require(user, account.region, Action.PAYMENT_MANAGE, Action.CASE_ACCEPT, what="复核收款账户")
    if account.state != AccountState.PENDING:
        raise PaymentError(f"该账户{account.get_state_display()}，不能再复核", "account")
    if account.entered_by_id == user.pk:
        raise PaymentError("收款账户须由登记人以外的另一名工作人员复核（双人复核）", "account")
    return account


@transaction.atomic
def confirm_account(user: Any, pk: Any) -> Account:
    """复核通过: the account replaces the payee's old one from the next roll built; open tasks to
    correct the account after a return are done."""
    account = _pending(user, pk)
    now = timezone.now()
    old = Account.objects.select_for_update().filter(state=AccountState.ACTIVE, household=account.household)
    old = old.filter(person=account.person) if account.person_id else old.filter(person__isnull=True)
    replaced = [a.masked for a in old]
    old.update(state=AccountState.REPLACED)
    account.state, account.confirmed_by, account.confirmed_at = AccountState.ACTIVE, user, now
    account.save()
    open_tasks = Payment.objects.filter(state=PaymentState.FAILED, task_done_at__isnull=True,
                                        household=account.household)
    open_tasks = (open_tasks.filter(person=account.person) if account.person_id
                  else open_tasks.filter(person__isnull=True))
    fixed = open_tasks.update(task_done_at=now)
    audit.record(user, AuditKind.DECISION, account, action="account.confirm", reason="复核收款账户",
                 detail={"account": account.masked, "replaced": replaced, "tasks_done": fixed})
    return account


@transaction.atomic
def reject_account(user: Any, pk: Any, reason: str) -> Account:
    account = _pending(user, pk)
    if not (reason or "").strip():
        raise PaymentError("请写明不通过的原因", "reason")
    account.state, account.confirmed_by, account.confirmed_at = AccountState.REJECTED, user, timezone.now()
    account.reason = reason.strip()[:200]
    account.save()
    audit.record(user, AuditKind.DECISION, account, action="account.reject", reason=account.reason)
    return account


def reveal_account(user: Any, pk: Any, reason: str) -> Account:
    """The full account number, to finance users of the area only; every reveal audited."""
    try:
        account = access.scope_queryset(user, Account.objects.all(), Action.PAYMENT_MANAGE).get(pk=pk)
    except (Account.DoesNotExist, ValueError, TypeError):
        raise PermissionDenied("只有本辖区的财务人员可以查看完整账号") from None
    if not (reason or "").strip():
        raise PaymentError("请写明查看完整账号的理由", "reason")
    audit.record(user, AuditKind.REVEAL_ID, account, action="account.reveal", reason=reason.strip()[:500],
                 detail={"account": account.masked})
    return account


# --- rolls ------------------------------------------------------------------------------------------

def visible_rolls(user: Any):
    return access.scope_queryset(user, Roll.objects.all(), Action.PAYMENT_MANAGE)


def access_roll(user: Any, pk: Any, *, lock: bool = False) -> Roll:
    qs = Roll.objects.select_for_update() if lock else Roll.objects.all()
    if user is not None:
        qs = access.scope_queryset(user, qs, Action.PAYMENT_MANAGE)
    try:
        return qs.get(pk=pk)
    except (Roll.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该花名册，或不在您的辖区内") from None


def _county(code: Any) -> str:
    c = str(code or "").strip()
    if len(c) != 6 or not c.isdigit() or not is_valid_region_code(c):
        raise PaymentError(f"县（区）代码应为 6 位行政区划代码，收到「{code}」", "county")
    return c


def build_roll(user: Any, county: Any, month: dt.date, *, on: dt.date | None = None) -> Roll:
    """生成发放花名册 for a county-month, in one transaction: a draft is rebuilt (the same lines),
    a reviewed or released roll is refused. ``user`` None is the scheduled run (the system)."""
    county = _county(county)
    if not isinstance(month, dt.date):
        raise PaymentError("请填写发放月份（年-月）", "month")
    month = month_of(month)
    if user is not None:
        _require(user, county, Action.PAYMENT_MANAGE, what="生成发放花名册")
    began = time.perf_counter()
    with transaction.atomic():
        later = Roll.objects.filter(region=county, month__gt=month).order_by("month").first()
        if later is not None:
            raise PaymentError(f"已有 {month_label(later.month)} 的花名册，不能再生成更早月份的花名册", "month")
        open_ = Roll.objects.filter(region=county, month__lt=month).exclude(state=RollState.RELEASED).first()
        if open_ is not None:
            raise PaymentError(f"{month_label(open_.month)}的花名册尚未发放，请先审核发放", "month")
        try:
            with transaction.atomic():
                roll, created = Roll.objects.select_for_update().get_or_create(
                    region=county, month=month, defaults={"built_at": timezone.now(), "built_by": user})
        except IntegrityError:  # built at the same moment by another run: that one is the roll
            raise PaymentError(f"{region_name(county)}{month_label(month)}的花名册正在由他人生成，请稍后刷新",
                               "month") from None
        if not created:
            roll = Roll.objects.select_for_update().get(pk=roll.pk)
            if roll.state != RollState.DRAFT:
                raise PaymentError(f"{roll}{roll.get_state_display()}，不能重新生成；之后的变化将进入下月花名册的更正",
                                   "month")
            with connection.cursor() as c:  # a draft's lines and records: plain deletes (a million rows)
                c.execute(f"DELETE FROM {Line._meta.db_table} WHERE roll_id = %s", [roll.pk])
                c.execute(f"DELETE FROM {Payment._meta.db_table} WHERE roll_id = %s", [roll.pk])
        _sync_recoveries(county)
        figures = rollmod.build_lines(roll)
        roll.totals = {**rollmod.totals(roll), "figures": {k: v for k, v in figures.items()}}
        roll.payments_count, roll.total_fen = roll.totals["records"], roll.totals["total_fen"]
        roll.warnings = _warnings(roll, figures)
        roll.built_by, roll.built_at = (user if getattr(user, "is_authenticated", False) else None), timezone.now()
        roll.seconds = round(time.perf_counter() - began, 2)
        roll.version += 1
        roll.save()
        audit.record(user, AuditKind.STEP, roll, action="roll.build", reason="生成发放花名册",
                     detail={"records": roll.payments_count, "total": _yuan(roll.total_fen),
                             "lines": figures["lines"], "missing_accounts": figures["missing_accounts"]})
    return roll


def _sync_recoveries(county: str) -> None:
    """Each fraud recovery (benefits.Recovery, NAT-DB-FRAUD) of the county is a debt to offset."""
    from doudi.benefits.models import Recovery

    have = set(Debt.objects.filter(source__startswith="recovery:").values_list("source", flat=True))
    for r in Recovery.objects.filter(region_q("benefit__region", county)).select_related("benefit"):
        if f"recovery:{r.pk}" in have or r.benefit.household_id is None:
            continue
        b = r.benefit
        Debt.objects.create(household_id=b.household_id, person_id=b.person_id if b.program == "tekun" else None,
                            region=b.region, benefit=b, source=f"recovery:{r.pk}", amount_fen=r.amount_fen,
                            reason=f"骗取保障金追回 {month_label(r.first_month)}至{month_label(r.last_month)}"
                                   f" {_yuan(r.amount_fen)} 元（NAT-DB-FRAUD）", created_at=timezone.now())


def _warnings(roll: Roll, figures: dict) -> list[str]:
    out = []
    if figures["missing_accounts"]:
        out.append(f"{figures['missing_accounts']} 项待遇没有复核通过的收款账户，本月暂不发放（账户复核后在下月花名册补发）")
    out.extend(budget_warnings(roll))
    return out


def budget_warnings(roll: Roll) -> list[str]:
    """A warning for each program whose budget left this year would be exceeded by the roll."""
    out = []
    year = roll.month.year
    by_program = roll.totals.get("program", {})
    for program, cell in sorted(by_program.items()):
        budget = Budget.objects.filter(region=roll.region, year=year, program=program).aggregate(s=Sum("amount_fen"))["s"]
        if budget is None:
            continue
        spent = spent_to_date(roll.region, year, program, exclude=roll.pk)
        if spent + cell["fen"] > budget:
            out.append(f"{program}：本年预算 {_yuan(budget)} 元，已发放 {_yuan(spent)} 元，本花名册 {_yuan(cell['fen'])} 元，"
                       f"将超出预算 {_yuan(spent + cell['fen'] - budget)} 元")
    return out


def spent_to_date(county: str, year: int, program: str, exclude: int | None = None) -> int:
    qs = Line.objects.filter(roll__region=county, roll__state=RollState.RELEASED, roll__month__year=year,
                             program=program).exclude(payment__state=PaymentState.FAILED)
    if exclude:
        qs = qs.exclude(roll_id=exclude)
    return int(qs.aggregate(s=Sum("amount_fen"))["s"] or 0)


@transaction.atomic
def review_roll(user: Any, pk: Any, *, version: int | None = None) -> Roll:
    """审核 (the first of the two finance users)."""
    if user is None:
        raise PaymentError("花名册须由财务人员审核", "roll")
    roll = access_roll(user, pk, lock=True)
    _require(user, roll.region, Action.PAYMENT_MANAGE, what="审核花名册")
    if roll.state != RollState.DRAFT:
        raise PaymentError(f"该花名册{roll.get_state_display()}，不能审核", "roll")
    if version is not None and int(version) != roll.version:
        raise PaymentError("花名册已重新生成，请刷新后再审核", "roll")
    roll.state, roll.reviewed_by, roll.reviewed_at = RollState.REVIEWED, user, timezone.now()
    roll.version += 1
    roll.save()
    audit.record(user, AuditKind.DECISION, roll, action="roll.review", reason="审核发放花名册",
                 detail={"records": roll.payments_count, "total": _yuan(roll.total_fen)})
    return roll


@transaction.atomic
def release_roll(user: Any, pk: Any, *, version: int | None = None) -> Roll:
    """发放 (a second finance user, not the reviewer): the roll is locked; a payee whose lines come to
    less than nothing (a month overpaid) owes the difference, offset in later rolls."""
    roll = access_roll(user, pk, lock=True)
    _require(user, roll.region, Action.PAYMENT_MANAGE, what="发放花名册")
    if roll.state == RollState.RELEASED:
        raise PaymentError("该花名册已发放（锁定）", "roll")
    if roll.state != RollState.REVIEWED:
        raise PaymentError("花名册须先经审核，才能发放", "roll")
    if user is None or roll.reviewed_by_id == user.pk:
        raise PaymentError("审核人与发放人须为两名不同的财务人员（双人复核）", "roll")
    if version is not None and int(version) != roll.version:
        raise PaymentError("花名册状态已变化，请刷新后再操作", "roll")
    now = timezone.now()
    for p in Payment.objects.filter(roll=roll, state=PaymentState.NONE):
        net = int(p.lines.aggregate(s=Sum("amount_fen"))["s"] or 0)
        if net < 0:
            Debt.objects.get_or_create(source=f"roll:{roll.pk}:{p.pk}", defaults={
                "household_id": p.household_id, "person_id": p.person_id, "region": p.region, "amount_fen": -net,
                "reason": f"{month_label(roll.month)}花名册多发 {_yuan(-net)} 元，在以后发放中抵扣", "created_at": now})
    roll.state, roll.released_by, roll.released_at = RollState.RELEASED, user, now
    roll.version += 1
    roll.save()
    unrecorded = _record_stages(user, roll)
    audit.record(user, AuditKind.DECISION, roll, action="roll.release", reason="发放花名册",
                 detail={"records": roll.payments_count, "total": _yuan(roll.total_fen),
                         **({"stages_not_recorded": unrecorded} if unrecorded else {})})
    return roll


def _record_stages(user: Any, roll: Roll) -> list[str]:
    """The stages of temporary grants on a released roll are recorded as paid in the benefits (their
    payment history, the end after the last stage) and in the procedure that planned them (relief's
    case, through benefits' stage_paid signal). The payment is dated in the roll's month (today when
    the roll is this month's). A benefit that refuses (stopped since the build) is named, not recorded:
    the money goes out with the roll, and a fraud recovery counts the roll's line."""
    from doudi.benefits.services import ROLL_SOURCE, record_payment

    today = timezone.localdate()
    last_day = (roll.month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    paid_on = min(max(today, roll.month), last_day)
    out = []
    for line in Line.objects.filter(roll=roll, kind=LineKind.STAGE).select_related("benefit").order_by("id"):
        try:
            with transaction.atomic():
                record_payment(user, line.benefit, amount_fen=int(line.amount_fen), paid_on=paid_on, stage=line.stage,
                               reasons=f"{roll}社会化发放", source=f"{ROLL_SOURCE}{roll.pk}", on=max(today, paid_on))
        except ValueError as exc:
            out.append(f"待遇 {line.benefit_id} 第{line.stage}次：{getattr(exc, 'message', exc)}")
    return out


def _stage_on_roll(sender: Any, benefit: Any, stage: int, by: str, **kwargs: Any) -> None:
    """Receiver of doudi.benefits.signals.stage_check: a stage on a roll (not returned by the bank) is
    paid by the roll; the finance worklist's tick must not pay it again."""
    if by != "hand":
        return
    line = (Line.objects.filter(benefit=benefit, stage=stage).exclude(payment__state=PaymentState.FAILED)
            .select_related("roll").order_by("-id").first())
    if line is not None:
        from doudi.benefits.reckon import BenefitError

        raise BenefitError(f"第{stage}次已列入{line.roll}（{line.roll.get_state_display()}），经银行社会化发放，"
                           "不再单独登记发放", "stage")


# --- bank files ---------------------------------------------------------------------------------------

EXPORTED = (PaymentState.DUE, PaymentState.PAID, PaymentState.FAILED)


def _records(roll: Roll):
    """The roll's bank records in order as plain rows (bankfile.FIELDS), streamed (a server-side cursor
    on PostgreSQL)."""
    memo = f"{roll.month:%Y%m}救助金"
    for row in (Payment.objects.filter(roll=roll, state__in=EXPORTED).order_by("seq")
                .values_list("seq", "account__number", "account__holder_name", "amount_fen", "id_masked",
                             "account__bank", "account__branch", "account__yikatong")
                .iterator(chunk_size=20000)):
        yield (*row, memo)


def _csv_file_in_sql(roll: Roll, name: str) -> tuple[bytes, int, int] | None:
    """On PostgreSQL, a CSV template's lines are formatted by the database, the same text as
    bankfile's (each text field's separator, CR and LF made spaces; yuan as 123.45) and read with COPY
    … TO STDOUT in large chunks, then encoded in GB18030 with CRLF here: a million records are not a
    million Python rows. None where this does not apply (SQLite, fixed-width templates)."""
    t = template(name)
    if connection.vendor != "postgresql" or t["format"] != "csv":
        return None
    sep = t.get("separator", ",")
    memo = bankfile._clean(f"{roll.month:%Y%m}救助金", sep)
    params: list[Any] = []

    def text(col: str) -> str:
        params.extend([sep, " "])
        return f"replace(replace(replace({col}, %s, %s), E'\\r', ' '), E'\\n', ' ')"

    cols = {"seq": lambda: "p.seq::text", "account": lambda: text("a.number"), "holder": lambda: text("a.holder_name"),
            "id_masked": lambda: text("p.id_masked"), "bank": lambda: text("a.bank"), "branch": lambda: text("a.branch"),
            "yikatong": lambda: "CASE WHEN a.yikatong THEN '1' ELSE '0' END",
            "amount": lambda: ("(p.amount_fen / 100)::text || '.' || lpad((p.amount_fen %% 100)::text, 2, '0')"
                               if t.get("amount", "yuan") == "yuan" else "p.amount_fen::text")}
    parts = []
    for c in t["columns"]:
        if c == "memo":
            params.append(memo)
            parts.append("%s::text")
        else:
            parts.append(cols[c]())
    line = f" || {_quote(sep)} || ".join(parts)
    states = ", ".join(f"'{s.value}'" for s in EXPORTED)
    where = f"p.roll_id = {int(roll.pk)} AND p.state IN ({states})"
    with connection.cursor() as c:
        c.execute(f"SELECT COUNT(*), COALESCE(SUM(p.amount_fen), 0), COALESCE(MIN(p.amount_fen), 0) "
                  f"FROM {Payment._meta.db_table} p WHERE {where}")
        count, total, least = (int(x) for x in c.fetchone())
        if least < 0:  # the SQL above formats amounts of no sign; a record is never negative
            return None
        sql = (f"COPY (SELECT {line} FROM {Payment._meta.db_table} p JOIN {Account._meta.db_table} a "
               f"ON a.id = p.account_id WHERE {where} ORDER BY p.seq) TO STDOUT")
        body: list[bytes] = []
        buf: list[bytes] = []
        size = 0
        with c.cursor.copy(sql, params) as copy:  # params given: a literal % is written %%
            for data in copy:
                buf.append(data)
                size += len(data)
                if size >= 4 << 20:
                    body.append(bankfile.copy_text_lines(b"".join(buf)).replace("\n", "\r\n").encode(bankfile.ENCODING))
                    buf, size = [], 0
        if buf:
            body.append(bankfile.copy_text_lines(b"".join(buf)).replace("\n", "\r\n").encode(bankfile.ENCODING))
    data = bankfile.frame(name, body, count, total, county=roll.region, month=f"{roll.month:%Y%m}", roll=roll.pk)
    return data, count, total


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def export_bank_file(user: Any, pk: Any, template_name: str) -> tuple[bytes, BankExport]:
    """银行代发文件 of a released roll (GB18030, CRLF); SHA-256 recorded; the export audited. Account
    numbers appear in full in the file only; the file name carries none."""
    template(template_name)
    with transaction.atomic():
        roll = access_roll(user, pk)
        _require(user, roll.region, Action.PAYMENT_MANAGE, what="导出银行文件")
        if roll.state != RollState.RELEASED:
            raise PaymentError("花名册须经审核、发放（锁定）后才能导出银行文件", "roll")
        if connection.vendor == "postgresql" and roll.payments_count > 50_000:
            # the records were just written and their statistics may say a few rows: then the planner
            # looks up each record's account by index, a million probes; hashed, one scan each
            with connection.cursor() as c:
                c.execute("SET LOCAL enable_nestloop = off")
        data, count, total = _csv_file_in_sql(roll, template_name) or bankfile.render_rows(
            template_name, _records(roll), county=roll.region, month=f"{roll.month:%Y%m}", roll=roll.pk)
        ext = "csv" if template(template_name)["format"] == "csv" else "txt"
        export = BankExport.objects.create(
            roll=roll, template=template_name, filename=f"{roll.region}-{roll.month:%Y%m}-{template_name}-{roll.pk}.{ext}",
            sha256=bankfile.sha256(data), records=count, total_fen=total,
            exported_by=user if getattr(user, "is_authenticated", False) else None, exported_at=timezone.now())
        audit.record(user, AuditKind.EXPORT, roll, action="roll.bank_file", reason="导出银行代发文件",
                     detail={"template": template_name, "records": count, "total": _yuan(total), "sha256": export.sha256})
    return data, export


@transaction.atomic
def import_results(user: Any, pk: Any, data: bytes, filename: str, *, on: dt.date | None = None) -> ResultImport:
    """银行回盘: the whole file is checked first (encoding, every line, the total, each record in the
    roll with its account and amount); any problem refuses the file with its line numbers and nothing
    is applied. Failed records are marked, the caseworker gets a task to correct the account, and the
    amount is re-issued in the next roll."""
    from doudi.workdays.calendar import add_working_days

    on = on or timezone.localdate()
    roll = access_roll(user, pk, lock=True)
    _require(user, roll.region, Action.PAYMENT_MANAGE, what="导入银行回盘")
    if roll.state != RollState.RELEASED:
        raise PaymentError("花名册尚未发放，没有可对账的回盘", "roll")
    last = roll.exports.first()
    unit = template(last.template).get("amount", "yuan") if last else "yuan"
    results, trailer, problems = bankfile.parse_results(data, filename, unit)
    payments = {p.seq: p for p in Payment.objects.select_for_update(of=("self",)).filter(roll=roll)
                .select_related("account")}
    seen: set[int] = set()
    for r in results:
        p = payments.get(r.seq)
        if p is None or p.state == PaymentState.NONE:
            problems.append(f"第 {r.line} 行：序号 {r.seq} 不在本花名册中")
        elif r.account != p.account.number:
            problems.append(f"第 {r.line} 行：账号与花名册第 {r.seq} 笔不符（花名册为 {p.account.masked}）")
        elif r.amount_fen != p.amount_fen:
            problems.append(f"第 {r.line} 行：金额 {_yuan(r.amount_fen)} 元与花名册第 {r.seq} 笔 {_yuan(p.amount_fen)} 元不符")
        elif r.seq in seen:
            problems.append(f"第 {r.line} 行：序号 {r.seq} 重复")
        elif p.state != PaymentState.DUE:
            problems.append(f"第 {r.line} 行：第 {r.seq} 笔已有回盘结果（{p.get_state_display()}）")
        seen.add(r.seq)
    if trailer is not None and trailer != (len(results), sum(r.amount_fen for r in results)):
        problems.append(f"合计行为 {trailer[0]} 笔 {_yuan(trailer[1])} 元，明细为 {len(results)} 笔 "
                        f"{_yuan(sum(r.amount_fen for r in results))} 元，不相符")
    if not results and not problems:
        problems.append("回盘文件中没有记录")
    if problems:
        more = f"（另有 {len(problems) - 20} 处）" if len(problems) > 20 else ""
        raise PaymentError("回盘文件未导入，未作任何更改：" + "；".join(problems[:20]) + more, "file")
    due = add_working_days(on, int(setting("failed_fix_working_days"))).date
    paid = failed = paid_fen = failed_fen = 0
    for r in results:
        p = payments[r.seq]
        p.state = PaymentState.PAID if r.paid else PaymentState.FAILED
        p.bank_reason, p.result_on = r.reason[:200], on
        if r.paid:
            paid, paid_fen = paid + 1, paid_fen + p.amount_fen
        else:
            failed, failed_fen = failed + 1, failed_fen + p.amount_fen
            p.task_due_on = due
        p.save(update_fields=["state", "bank_reason", "result_on", "task_due_on"])
    imp = ResultImport.objects.create(roll=roll, filename=filename[:200], sha256=bankfile.sha256(data), paid=paid,
                                      paid_fen=paid_fen, failed=failed, failed_fen=failed_fen,
                                      imported_by=user if getattr(user, "is_authenticated", False) else None,
                                      imported_at=timezone.now())
    audit.record(user, AuditKind.STEP, roll, action="roll.results", reason="导入银行回盘",
                 detail={"paid": paid, "paid_total": _yuan(paid_fen), "failed": failed, "failed_total": _yuan(failed_fen),
                         "sha256": imp.sha256})
    return imp


def reconciliation(roll: Roll) -> dict:
    """对账: released total = paid + failed + awaiting the bank, per roll."""
    out = {"released": roll.total_fen, "records": roll.payments_count}
    for state in (PaymentState.PAID, PaymentState.FAILED, PaymentState.DUE):
        agg = Payment.objects.filter(roll=roll, state=state).aggregate(s=Sum("amount_fen"))
        out[state.value] = int(agg["s"] or 0)
        out[f"{state.value}_n"] = Payment.objects.filter(roll=roll, state=state).count()
    out["balanced"] = out["released"] == out["paid"] + out["failed"] + out["due"]
    return out


# --- funds -------------------------------------------------------------------------------------------

@transaction.atomic
def add_budget(user: Any, *, county: Any, year: Any, program: str, level: str, amount_fen: int,
               residents: int | None = None, source: str = "") -> Budget:
    county = _county(county)
    _require(user, county, Action.PAYMENT_MANAGE, what="登记资金预算")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise PaymentError(f"年度应为四位数字，收到「{year}」", "year") from None
    if not 2000 <= year <= 2100:
        raise PaymentError(f"年度应为四位数字，收到「{year}」", "year")
    if level not in FundLevel.values:
        raise PaymentError("请选择资金来源（中央、省级、市级、县级）", "level")
    if amount_fen is None or int(amount_fen) < 0:
        raise PaymentError("预算金额应为不小于 0 的金额", "amount")
    budget, _ = Budget.objects.update_or_create(
        region=county, year=year, program=program, level=level,
        defaults={"amount_fen": int(amount_fen), "residents": residents, "source": (source or "")[:200],
                  "entered_by": user, "entered_at": timezone.now()})
    audit.record(user, AuditKind.STEP, budget, action="budget.enter", reason="登记资金预算",
                 detail={"year": year, "program": program, "level": level, "amount": _yuan(int(amount_fen))})
    return budget


def fund_status(county: str, year: int) -> list[dict]:
    """Per program: budget by level, spent to date from released rolls, left; DR-3 shares and MA-6 floors."""
    rows: dict[str, dict] = {}
    for b in Budget.objects.filter(region=county, year=year):
        r = rows.setdefault(b.program, {"program": b.program, "levels": dict.fromkeys(FundLevel.values, 0),
                                         "budget": 0, "residents": None})
        r["levels"][b.level] = b.amount_fen
        r["budget"] += b.amount_fen
        r["residents"] = b.residents or r["residents"]
    for program in Line.objects.filter(roll__region=county, roll__month__year=year).values_list("program", flat=True).distinct():
        rows.setdefault(program, {"program": program, "levels": dict.fromkeys(FundLevel.values, 0), "budget": 0,
                                  "residents": None})
    data = funds()
    for r in rows.values():
        r["spent"] = spent_to_date(county, year, r["program"])
        r["left"] = r["budget"] - r["spent"]
        r["notes"] = []
        shares = (data["programs"].get(r["program"]) or {}).get("shares")
        if shares and r["budget"]:
            from decimal import Decimal

            for level, share in shares.items():
                want = int(Decimal(r["budget"]) * Decimal(share))
                have = r["levels"].get(level, 0)
                if have < want:
                    r["notes"].append(f"{FundLevel(level).label}应承担 {Decimal(share) * 100:.0f}%（{_yuan(want)} 元），"
                                      f"已列 {_yuan(have)} 元（DR-3）")
        floor = data["floors"].get(r["program"])
        if floor and r["residents"]:
            want = floor["per_resident_fen"] * r["residents"]
            local = r["levels"].get("city", 0) + r["levels"].get("county", 0)
            if local < want:
                r["notes"].append(f"市、县投入 {_yuan(local)} 元，低于每人 {_yuan(floor['per_resident_fen'])} 元 × "
                                  f"{r['residents']} 人 = {_yuan(want)} 元的下限（{floor['rule']}）")
    return sorted(rows.values(), key=lambda r: r["program"])


def failed_tasks(user: Any):
    """Returned payments whose account is not corrected yet, where the user may correct accounts."""
    qs = Payment.objects.filter(state=PaymentState.FAILED, task_done_at__isnull=True).select_related("roll", "account")
    return access.scope_queryset(user, qs, Action.CASE_ACCEPT).order_by("task_due_on", "id") | \
        access.scope_queryset(user, qs, Action.PAYMENT_MANAGE).order_by("task_due_on", "id")


def household_payments(user: Any, household: Any):
    qs = Payment.objects.filter(household=household).exclude(state=PaymentState.NONE).select_related("roll", "account")
    return (access.scope_queryset(user, qs, Action.CASE_VIEW).filter(roll__state=RollState.RELEASED)
            .order_by("-roll__month", "-id"))


def accounts_of(user: Any, household: Any):
    qs = Account.objects.filter(household=household).select_related("person", "entered_by", "confirmed_by")
    return access.scope_queryset(user, qs, Action.HOUSEHOLD_VIEW).order_by("-entered_at", "-id")


def payee_lines(payment: Payment):
    return payment.lines.select_related("benefit").order_by("for_month", "id")



def debts_of(user: Any, household: Any) -> list[tuple[Debt, int]]:
    """应追回款 of a household with what is left after the offsets of released, not returned records."""
    debts = list(access.scope_queryset(user, Debt.objects.filter(household=household), Action.CASE_VIEW))
    repaid = dict(Line.objects.filter(debt__in=debts, roll__state=RollState.RELEASED)
                  .exclude(payment__state=PaymentState.FAILED).values("debt_id").annotate(s=Sum("amount_fen"))
                  .values_list("debt_id", "s"))
    return [(d, d.amount_fen + int(repaid.get(d.pk) or 0)) for d in debts]
