"""`doudi manage benefits_from_decisions`: create the benefits of approved 低保 decisions that
have none yet (demo data, or decisions approved before the lead wired approve to start_benefit)."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "为已批准但尚无待遇记录的低保决定建立待遇"

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        from doudi.benefits.demo import benefits_from_decisions

        created = benefits_from_decisions()
        self.stdout.write(f"新建待遇 {created} 户")
