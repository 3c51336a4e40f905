from django.apps import AppConfig


class DisasterConfig(AppConfig):
    name = "doudi.disaster"
    label = "disaster"
    verbose_name = "受灾人员救助"
    default_auto_field = "django.db.models.BigAutoField"
