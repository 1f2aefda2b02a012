from django.apps import AppConfig


class RosteringConfig(AppConfig):
    name = "netlearn.rostering"
    verbose_name = "Rostering"
