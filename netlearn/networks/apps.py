from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "netlearn.networks"
    label = "networks"
    verbose_name = "Networks, schools and groups"
