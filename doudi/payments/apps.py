from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """资金发放: payee accounts, monthly rolls, bank files, returns and re-issue, funds (PR-8)."""

    name = "doudi.payments"
    label = "payments"
    verbose_name = "资金发放"
    default_auto_field = "django.db.models.BigAutoField"
