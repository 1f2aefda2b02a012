from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "netlearn.discussions"
    label = "discussions"
    verbose_name = "Discussion spaces and pupil voice"

    def ready(self):
        from . import signals  # noqa: F401  (connects the file cleanup)
