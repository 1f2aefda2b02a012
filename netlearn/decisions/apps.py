from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from netlearn.core.home import register_home_provider
from netlearn.core.navigation import register_network_page
from netlearn.core.related import register_related


class DecisionsConfig(AppConfig):
    name = "netlearn.decisions"
    verbose_name = "Decisions"

    def ready(self):
        from . import policy, selectors

        register_network_page(
            label=_("Decisions"),
            url_name="decisions:log",
            order=65,
            visible=lambda person, network: policy.can_view_decisions(person, network),
        )
        register_home_provider("decisions", selectors.home_items)
        register_related("charter", selectors.decisions_about_charter)
        register_related("activity", selectors.decisions_at_activity)
