from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "doudi.web"
    label = "web"
    verbose_name = "网页"
