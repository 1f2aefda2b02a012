from django.apps import AppConfig

from netlearn.core.navigation import register_network_page


class EnquiryConfig(AppConfig):
    name = "netlearn.enquiry"
    verbose_name = "Collaborative enquiry"

    def ready(self):
        register_network_page(label="Enquiry", url_name="enquiry:overview", order=70)
