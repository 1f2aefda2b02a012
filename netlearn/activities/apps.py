from django.apps import AppConfig

from netlearn.core.navigation import register_network_page


class ActivitiesConfig(AppConfig):
    name = "netlearn.activities"
    label = "activities"
    verbose_name = "Activities, calendar and attendance"

    def ready(self):
        register_network_page(label="Calendar", url_name="activities:month", order=50)
