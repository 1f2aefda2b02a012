from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "netlearn.discussions"
    label = "discussions"
    verbose_name = "Discussion spaces and pupil voice"
