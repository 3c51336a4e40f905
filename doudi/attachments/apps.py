from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "doudi.attachments"
    label = "attachments"
    verbose_name = "证件与材料"
    default_auto_field = "django.db.models.BigAutoField"
