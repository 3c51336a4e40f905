"""`doudi manage doudi_app_role ROLE [--create]`: give the PostgreSQL application role its privileges."""

from django.core.management.base import BaseCommand, CommandError

from doudi.accounts import dbrole


class Command(BaseCommand):
    help = "Grant the application's PostgreSQL role its privileges (run as the database owner after migrate)."

    def add_arguments(self, parser):
        parser.add_argument("role")
        parser.add_argument("--create", action="store_true", help="create the role (LOGIN) when it does not exist")
        parser.add_argument("--password", help="its password, when it is created")
        parser.add_argument("--database", default="default")

    def handle(self, role, create, password, database, **options):
        try:
            done = dbrole.grant_app_role(role, database, create=create, password=password)
        except dbrole.RoleError as exc:
            raise CommandError(str(exc)) from None
        for sql in done:
            self.stdout.write(sql)
        self.stdout.write(f"应用角色 {role} 已授权：审计日志只能读取和追加。")
