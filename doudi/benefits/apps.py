from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    """待遇: everything that happens to a benefit after it starts, for every program."""

    name = "doudi.benefits"
    label = "benefits"
    verbose_name = "待遇管理"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from doudi.params.signals import parameter_approved

        parameter_approved.connect(_standard_approved, dispatch_uid="benefits.standard_from_parameter")


def _standard_approved(sender, value, user, on, **kwargs) -> None:
    """An approved 低保 standard (doudi.params) recomputes the live benefits it reaches (DB-14)."""
    from doudi.benefits.services import standard_from_parameter

    standard_from_parameter(value, user, on)
