from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "netlearn.demo"
    label = "demo"
    verbose_name = "Demo data"
