from django.apps import AppConfig


class WelfareConfig(AppConfig):
    """TA-5 (funeral fees waived for 低保 recipients) and EL-1 (the elderly allowance)."""

    name = "doudi.welfare"
    label = "welfare"
    verbose_name = "丧葬费减免与困难老年人补贴"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # EL-1's benefit is named in the benefits app's lists without editing that app.
        try:
            from doudi.benefits.models import PROGRAM_NAMES
        except ImportError:
            return
        PROGRAM_NAMES.setdefault("elderly", "困难老年人补贴")
