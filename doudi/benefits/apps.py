from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    """待遇: everything that happens to a benefit after it starts, for every program."""

    name = "doudi.benefits"
    label = "benefits"
    verbose_name = "待遇管理"
    default_auto_field = "django.db.models.BigAutoField"
