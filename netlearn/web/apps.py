from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "netlearn.web"
    label = "web"
    verbose_name = "Web platform"
