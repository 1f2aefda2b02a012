from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class WebConfig(AppConfig):
    name = "netlearn.web"
    label = "web"
    verbose_name = "Web platform"

    def ready(self):
        # Django's own hook for what a session needs from sign-in (as its `update_last_login`).
        from .languages import remember_network_language

        user_logged_in.connect(remember_network_language, dispatch_uid="netlearn-language")
