from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from netlearn.core.home import register_home_provider
from netlearn.core.navigation import register_network_page


class ActivitiesConfig(AppConfig):
    name = "netlearn.activities"
    label = "activities"
    verbose_name = "Activities, calendar and attendance"

    def ready(self):
        # Selectors import models, which exist only once the registry is ready.
        from netlearn.networks import policy as network_policy

        from . import selectors

        register_network_page(
            label=_("Calendar"),
            url_name="activities:month",
            order=50,
            visible=network_policy.can_view_network,
        )
        register_home_provider("activities", selectors.home_items)
