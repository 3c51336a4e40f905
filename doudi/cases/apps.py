from django.apps import AppConfig


class CasesConfig(AppConfig):
    """案件: the one window (PR-1) and the 低保 procedure."""

    name = "doudi.cases"
    label = "cases"
    verbose_name = "案件办理"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from doudi.cases import predicates  # noqa: F401 - registers the cases' rules permissions
