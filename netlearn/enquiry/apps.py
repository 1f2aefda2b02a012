from django.apps import AppConfig


class EnquiryConfig(AppConfig):
    name = "netlearn.enquiry"
    verbose_name = "Collaborative enquiry"
