from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from netlearn.core.navigation import register_network_page


class HealthConfig(AppConfig):
    name = "netlearn.health"
    label = "health"
    verbose_name = "Network health"

    def ready(self):
        from . import policy

        register_network_page(
            label=_("Network health"),
            url_name="health:overview",
            order=75,
            visible=lambda person, network: policy.can_view_health(person, network),
        )
