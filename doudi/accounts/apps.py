from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "doudi.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        from doudi.accounts import predicates  # noqa: F401  (registers the rules permissions)
