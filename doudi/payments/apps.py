from django.apps import AppConfig, apps


class PaymentsConfig(AppConfig):
    """资金发放: payee accounts, monthly rolls, bank files, returns and re-issue, funds (PR-8)."""

    name = "doudi.payments"
    label = "payments"
    verbose_name = "资金发放"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """A stage of a temporary grant on a roll is not paid again by hand (benefits asks by a signal)."""
        if apps.is_installed("doudi.benefits"):
            from doudi.benefits.signals import stage_check
            from doudi.payments.services import _stage_on_roll

            stage_check.connect(_stage_on_roll, dispatch_uid="payments.stage_on_roll")
