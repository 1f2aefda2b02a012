from django.apps import AppConfig

from netlearn.core.navigation import register_network_page


class CharterConfig(AppConfig):
    name = "netlearn.charter"
    verbose_name = "Charter"

    def ready(self):
        register_network_page(label="Charter", url_name="charter:detail", order=60)
