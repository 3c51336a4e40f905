from django.apps import AppConfig


class CharityConfig(AppConfig):
    name = "doudi.charity"
    label = "charity"
    verbose_name = "慈善与社会帮扶"
    default_auto_field = "django.db.models.BigAutoField"
