from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "netlearn.activities"
    label = "activities"
    verbose_name = "Activities, calendar and attendance"
