from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "doudi.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from doudi.accounts import (
            dbrole,
            predicates,  # noqa: F401  (registers the rules permissions)
        )

        post_migrate.connect(dbrole.after_migrate, sender=self)  # DOUDI_PG_APP_ROLE's privileges
