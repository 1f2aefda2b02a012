from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "netlearn.notifications"
    label = "notifications"
    verbose_name = "Notifications and email digests"
