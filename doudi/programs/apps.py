from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "doudi.programs"
    label = "programs"
    verbose_name = "专项救助"
    default_auto_field = "django.db.models.BigAutoField"
