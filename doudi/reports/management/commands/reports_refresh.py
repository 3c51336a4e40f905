"""`doudi manage reports_refresh [--date YYYY-MM-DD] [--months N]`: recompute the monthly statistics now."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from doudi.reports import jobs


class Command(BaseCommand):
    help = "重新计算月度统计表（统计页面读取的预汇总表）"

    def add_arguments(self, parser):  # noqa: ANN001
        parser.add_argument("--date", help="以该日所在月份为最后一个月（默认今天）")
        parser.add_argument("--months", type=int, help="重新计算的月数（默认参数 history_months）")

    def handle(self, *args, **opts):  # noqa: ANN002, ANN003
        try:
            today = dt.date.fromisoformat(opts["date"]) if opts.get("date") else None
        except ValueError:
            raise CommandError(f"--date：应为 YYYY-MM-DD，收到 {opts['date']!r}") from None
        if opts.get("months") is not None and not 1 <= opts["months"] <= 120:
            raise CommandError(f"--months：应为 1 到 120 的整数，收到 {opts['months']}")
        result = jobs.refresh(today, opts.get("months"))
        self.stdout.write(f"已刷新 {result['first_month']} 至 {result['last_month']}：{result['rows']} 行，"
                          f"用时 {result['seconds']} 秒")
