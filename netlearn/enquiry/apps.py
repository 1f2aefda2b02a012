from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from netlearn.core.home import register_home_provider
from netlearn.core.navigation import register_network_page


class EnquiryConfig(AppConfig):
    name = "netlearn.enquiry"
    verbose_name = "Collaborative enquiry"

    def ready(self):
        # Selectors import models, which exist only once the registry is ready.
        from . import policy, selectors

        register_network_page(
            label=_("Enquiry"),
            url_name="enquiry:overview",
            order=70,
            visible=policy.can_view_network_enquiry,
        )
        register_home_provider("enquiry", selectors.home_items)
