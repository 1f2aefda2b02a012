from django.apps import AppConfig


class GoldenThreadConfig(AppConfig):
    name = "netlearn.golden_thread"
    verbose_name = "Golden thread"
