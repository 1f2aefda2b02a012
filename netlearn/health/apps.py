from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from netlearn.core.navigation import register_network_page


class HealthConfig(AppConfig):
    name = "netlearn.health"
    label = "health"
    verbose_name = "Network health"

    def ready(self):
        from netlearn.core.related import register_related

        from . import policy, selectors

        register_network_page(
            label=_("Network health"),
            url_name="health:overview",
            order=75,
            visible=lambda person, network: policy.can_view_health(person, network),
        )
        register_related("charter", selectors.judgements_following_into_charter)
        register_related("activity", selectors.judgements_following_into_activity)
