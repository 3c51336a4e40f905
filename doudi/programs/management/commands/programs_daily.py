"""`doudi manage programs_daily [--date YYYY-MM-DD]`: the programs' daily checks (CH-2)."""

from django.core.management.base import BaseCommand

from doudi.programs.jobs import daily


class Command(BaseCommand):
    help = "专项救助每日检查：儿童基本生活费退出（CH-2）"

    def add_arguments(self, parser):
        parser.add_argument("--date", default=None)

    def handle(self, *args, **options):
        out = daily(options["date"])
        self.stdout.write(f"儿童基本生活费终止 {out['children_allowances_ended']} 人")
