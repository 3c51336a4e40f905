from django.apps import AppConfig


class ReliefConfig(AppConfig):
    name = "doudi.relief"
    label = "relief"
    verbose_name = "临时救助"
    default_auto_field = "django.db.models.BigAutoField"
