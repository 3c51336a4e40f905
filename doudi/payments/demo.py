"""Demo hook (`doudi demo`): accounts for Huining's live monthly benefits (entered by the caseworker,
confirmed by finance), this month's roll built, reviewed (caiwu) and released (caiwu2), its bank file
written under DOUDI_HOME/payments/, and a bank result file with two failed lines imported."""

from __future__ import annotations

import os
from pathlib import Path

COUNTY = "620422"


def _card(n: int) -> str:
    from doudi.payments.banks import luhn_ok

    body = f"622848{n:012d}"
    return next(body + str(d) for d in range(10) if luhn_ok(body + str(d)))


def _accounts(clerk, finance) -> int:  # noqa: ANN001
    from doudi.accounts.areas import region_q
    from doudi.benefits.models import LIVE, Benefit
    from doudi.payments import services as s
    from doudi.payments.models import Account

    made = 0
    for b in (Benefit.objects.filter(region_q("region", COUNTY), program__in=("dibao", "tekun"), status__in=LIVE,
                                     household__isnull=False).select_related("household", "person").order_by("id")):
        person = b.person if b.program == "tekun" else None
        if s.payee_account(b.household, person) is not None or Account.objects.filter(
                household=b.household, person=person, state="pending").exists():
            continue
        head = person or b.household.head
        if head is None:
            continue
        a = s.enter_account(clerk, b.household, bank="ABC", number=_card(b.pk), holder_name=head.name, person=person,
                            yikatong=True, reason="演示：登记收款账户")
        s.confirm_account(finance, a.pk)
        made += 1
    return made


def _result_file(roll, failed: int = 2) -> bytes:  # noqa: ANN001
    from doudi.payments.models import Payment

    rows = ["序号,账号,户名,金额,结果,原因"]
    reasons = ["账户已销户", "户名与账号不符"]
    n = t = 0
    for i, p in enumerate(Payment.objects.filter(roll=roll, state="due").select_related("account").order_by("seq")):
        bad = i < failed
        rows.append(f"{p.seq},{p.account.number},{p.account.holder_name},{p.amount_fen // 100}.{p.amount_fen % 100:02d},"
                    f"{'失败' if bad else '成功'},{reasons[i] if bad else ''}")
        n, t = n + 1, t + p.amount_fen
    rows.append(f"合计,{n},{t // 100}.{t % 100:02d}")
    return ("\r\n".join(rows) + "\r\n").encode("gb18030")


def populate() -> str | None:
    from django.utils import timezone

    from doudi.accounts.models import User
    from doudi.benefits.months import month_of
    from doudi.payments import services as s
    from doudi.payments.models import Roll

    users = {u.username: u for u in User.objects.filter(username__in=["jingban", "caiwu", "caiwu2"])}
    if len(users) < 3:
        return None
    made = _accounts(users["jingban"], users["caiwu"])
    month = month_of(timezone.localdate())
    roll = Roll.objects.filter(region=COUNTY, month=month).first()
    if roll is None and Roll.objects.filter(region=COUNTY, month__gt=month).exists():
        return f"收款账户 {made} 个"
    if roll is None or roll.state == "draft":
        roll = s.build_roll(users["caiwu"], COUNTY, month)
    if roll.state == "draft":
        roll = s.review_roll(users["caiwu"], roll.pk)
    if roll.state == "reviewed":
        roll = s.release_roll(users["caiwu2"], roll.pk)
    home = Path(os.environ.get("DOUDI_HOME") or "doudi-data") / "payments"
    home.mkdir(parents=True, exist_ok=True)
    note = ""
    if not roll.exports.exists() and roll.payments_count:
        data, exp = s.export_bank_file(users["caiwu"], roll.pk, "csv")
        (home / exp.filename).write_bytes(data)
        result = _result_file(roll)
        (home / f"result-{exp.filename}").write_bytes(result)
        imp = s.import_results(users["caiwu"], roll.pk, result, f"result-{exp.filename}")
        note = f"，银行文件 {home / exp.filename}，回盘成功 {imp.paid} 笔、失败 {imp.failed} 笔"
    return (f"收款账户 {made} 个；{roll}：{roll.payments_count} 笔，合计 {roll.total_fen / 100:.2f} 元，"
            f"{roll.get_state_display()}{note}")
