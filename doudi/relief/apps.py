from django.apps import AppConfig, apps


class ReliefConfig(AppConfig):
    name = "doudi.relief"
    label = "relief"
    verbose_name = "临时救助"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """The stages of a case's benefit paid elsewhere (a payments roll) are marked here, and a later
        stage of urgent help is held back until the paperwork is done (NAT-TA-FIRST); benefits sends
        signals and does not import this app."""
        if apps.is_installed("doudi.benefits"):
            from doudi.benefits.signals import stage_check, stage_paid
            from doudi.relief.services import _hold_stage, _stage_paid

            stage_check.connect(_hold_stage, dispatch_uid="relief.hold_stage")
            stage_paid.connect(_stage_paid, dispatch_uid="relief.stage_paid")
