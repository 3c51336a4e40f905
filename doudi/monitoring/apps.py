from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """监测预警: the low-income register, warning rules, 应保尽保 and the tasks that follow (PR-7)."""

    name = "doudi.monitoring"
    label = "monitoring"
    verbose_name = "低收入人口动态监测"
    default_auto_field = "django.db.models.BigAutoField"
