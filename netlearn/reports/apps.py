from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from netlearn.core.home import register_home_provider
from netlearn.core.navigation import register_network_page


class ReportsConfig(AppConfig):
    name = "netlearn.reports"
    verbose_name = "Progress reports"

    def ready(self):
        # Selectors import models, which exist only once the registry is ready.
        from . import policy, selectors

        register_network_page(
            label=_("Reports"), url_name="reports:list", order=65, visible=policy.can_view_reports
        )
        register_home_provider("reports", selectors.home_items)
