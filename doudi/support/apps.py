from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "doudi.support"
    label = "support"
    verbose_name = "特困人员救助供养"
    default_auto_field = "django.db.models.BigAutoField"
