from django.apps import AppConfig


class CharterConfig(AppConfig):
    name = "netlearn.charter"
    verbose_name = "Charter"
