from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from netlearn.core.navigation import register_network_page


class ImpactConfig(AppConfig):
    name = "netlearn.impact"
    verbose_name = "Impact"

    def ready(self):
        from . import policy

        register_network_page(
            label=_("Impact"), url_name="impact:overview", order=100, visible=policy.can_view_impact
        )
