from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "netlearn.impact"
    verbose_name = "Impact"
