from django.apps import AppConfig, apps


class SupportConfig(AppConfig):
    name = "doudi.support"
    label = "support"
    verbose_name = "特困人员救助供养"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """A 特困 benefit stopped for fraud in doudi.benefits ends its case here (NAT-DB-FRAUD, NAT-TK-END);
        benefits sends a signal and does not import this app."""
        if apps.is_installed("doudi.benefits"):
            from doudi.benefits.signals import stopped_for_fraud
            from doudi.support.services import _on_fraud

            stopped_for_fraud.connect(_on_fraud, dispatch_uid="support.end_for_fraud")
