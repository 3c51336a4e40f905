"""Demo hook of `doudi demo`: synthetic department files for the demo recipients, imported, and the
monthly check run, so that findings are on the township's worklist.

The files (deaths, vehicles, pensions, a person paid 低保 in another county, and a death record
without an ID number) are written under <DOUDI_HOME>/verification/demo-files/ as the
departments would send them (one of them GBK-encoded), then imported by the demo verification
officer (hedui) as snapshots extracted today. Synthetic people only. Idempotent: nothing is
imported again when snapshots exist.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.utils import timezone

DEMO_COUNTY = "620422"


def _csv(header: list[str], rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def _members(benefit: Any) -> list[Any]:
    return [m.person for m in benefit.household.memberships_on(None).order_by("id")]


def department_files(today: Any) -> list[tuple[str, str, bytes]]:
    """(kind, file name, bytes) of the synthetic files, built around the demo's live benefits."""
    from doudi.verification.monthly import live_benefits

    benefits = [b for b in live_benefits(DEMO_COUNTY) if b.household.memberships_on(None).exists()]
    if not benefits:
        return []
    dibao = [b for b in benefits if b.program == "dibao"] or benefits
    first, second = dibao[0], dibao[-1] if len(dibao) > 1 else benefits[-1]
    a, b = _members(first), _members(second)
    month = today.replace(day=1)
    # The pension began this month and was not declared: a finding only for a benefit already paid
    # this month. The demo approves its cases a few days before today, and 低保 is paid from the month
    # after approval (NAT-DB-PAY), so whether its 低保 households are paid this month depends on the
    # day of the month; 特困 support is paid from the month of approval. The pension goes to the first
    # 特困 recipient, so that the demo's findings are the same on every day of the month.
    paid = [x for x in benefits if x.program == "tekun" and x.start_month <= month]
    pensioner = _members(paid[0])[0] if paid else a[0]
    files = [
        ("death", "公安-死亡登记.csv", _csv(["身份证号", "姓名", "出生日期", "区划代码", "死亡日期"], [
            [a[-1].id_number, a[-1].name, "", "", (today - dt.timedelta(days=20)).isoformat()],
            # no ID number: the name, birth date and village of a member of the second household (a possible match)
            ["", b[0].name, b[0].birth_date.isoformat(), second.household.region_code,
             (today - dt.timedelta(days=12)).isoformat()]], "gbk")),
        ("vehicle", "车管-机动车登记.csv", _csv(["身份证号", "姓名", "号牌号码", "车辆类型", "登记日期"], [
            [b[0].id_number, b[0].name, "甘D8A123", "小型轿车", "2025-06-18"]])),
        ("pension", "人社-养老金领取.csv", _csv(["身份证号", "姓名", "养老金类别", "起始月份", "月领取金额"], [
            [pensioner.id_number, pensioner.name, "职工基本养老金", month.strftime("%Y-%m"), "1860.00"]])),
        ("benefit_elsewhere", "民政-外县低保发放.csv", _csv(["身份证号", "姓名", "救助项目", "发放县（区）代码", "月发放金额"], [
            [b[0].id_number, b[0].name, "低保", "150202", "620.00"]])),
    ]
    return files


def populate() -> str | None:
    from doudi.accounts.models import User
    from doudi.verification.datasets import data_root, import_snapshot
    from doudi.verification.jobs import ensure_schedule
    from doudi.verification.models import Finding, Snapshot
    from doudi.verification.monthly import run_check

    ensure_schedule()
    if Snapshot.objects.exists():
        return f"部门数据快照 {Snapshot.objects.count()} 份，比对发现 {Finding.objects.count()} 项（已存在）"
    officer = User.objects.filter(username="hedui").first()
    if officer is None:
        return None
    today = timezone.localdate()
    files = department_files(today)
    if not files:
        return "没有在保对象，未生成部门数据"
    folder = data_root() / "demo-files"
    folder.mkdir(parents=True, exist_ok=True)
    imported = 0
    for kind, name, data in files:
        (folder / name).write_bytes(data)
        result = import_snapshot(officer, kind=kind, area=DEMO_COUNTY, extracted_on=today, data=data, name=name)
        imported += int(result.ok)
    run = run_check(None, DEMO_COUNTY, on=today)
    return (f"部门数据 {imported} 份已导入（文件在 {folder}），月度比对 {run.recipients} 人，"
            f"发现 {sum(run.counts.values())} 项")
