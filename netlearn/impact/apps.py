from django.apps import AppConfig

from netlearn.core.navigation import register_network_page


class ImpactConfig(AppConfig):
    name = "netlearn.impact"
    verbose_name = "Impact"

    def ready(self):
        register_network_page(label="Impact", url_name="impact:overview", order=100)
