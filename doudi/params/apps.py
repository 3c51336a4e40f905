from django.apps import AppConfig


class ParamsConfig(AppConfig):
    name = "doudi.params"
    label = "params"
    verbose_name = "政策参数"
