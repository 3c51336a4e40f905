from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "doudi.registry"
    label = "registry"
    verbose_name = "家庭登记"
