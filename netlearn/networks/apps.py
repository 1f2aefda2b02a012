from django.apps import AppConfig

from netlearn.core.navigation import register_network_page


class NetworksConfig(AppConfig):
    name = "netlearn.networks"
    label = "networks"
    verbose_name = "Networks, schools and groups"

    def ready(self):
        register_network_page(label="Overview", url_name="networks:home", order=10)
        register_network_page(label="Schools", url_name="networks:schools", order=20)
        register_network_page(label="People", url_name="networks:people", order=30)
        register_network_page(label="Roles", url_name="networks:roles", order=40)
