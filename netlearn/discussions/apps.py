from django.apps import AppConfig

from netlearn.core.navigation import register_network_page


class DiscussionsConfig(AppConfig):
    name = "netlearn.discussions"
    label = "discussions"
    verbose_name = "Discussion spaces and pupil voice"

    def ready(self):
        register_network_page(label="Discussions", url_name="discussions:network_spaces", order=80)
        from . import signals  # noqa: F401  (connects the file cleanup)
