from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from netlearn.core.home import register_home_provider
from netlearn.core.navigation import register_network_page


class CharterConfig(AppConfig):
    name = "netlearn.charter"
    verbose_name = "Charter"

    def ready(self):
        # Selectors import models, which exist only once the registry is ready.
        from . import policy, selectors

        register_network_page(
            label=_("Charter"), url_name="charter:detail", order=60, visible=policy.can_view_charter
        )
        register_home_provider("charter", selectors.home_items)
