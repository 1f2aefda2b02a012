from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "netlearn.core"
    label = "core"
    verbose_name = "Ground floor"
