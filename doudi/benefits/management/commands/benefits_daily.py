"""`doudi manage benefits_daily [--date YYYY-MM-DD]`: run the daily job of doudi.benefits now."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "定期复核任务与渐退期满处理（每日任务，也由 Django-Q2 定时运行）"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--date", help="按此日期运行（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        from doudi.benefits.jobs import daily

        try:
            today = dt.date.fromisoformat(options["date"]) if options.get("date") else None
        except ValueError:
            raise CommandError(f"--date 应为 YYYY-MM-DD，收到 {options['date']!r}") from None
        result = daily(today)
        self.stdout.write(f"新建定期复核 {result['reviews_created']} 件，渐退期满停发 {result['exits_ended']} 户，"
                          f"救助期满终止 {result['terms_ended']} 户")
