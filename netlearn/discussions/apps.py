from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from netlearn.core.home import register_home_provider
from netlearn.core.navigation import register_network_page


class DiscussionsConfig(AppConfig):
    name = "netlearn.discussions"
    label = "discussions"
    verbose_name = "Discussion spaces and pupil voice"

    def ready(self):
        from netlearn.networks import policy as network_policy

        from . import selectors, signals  # noqa: F401  (signals connects the file cleanup)

        # The spaces page is the network's members' (a programme's evaluators never see it).
        register_network_page(
            label=_("Discussions"),
            url_name="discussions:network_spaces",
            order=80,
            visible=network_policy.can_view_network,
        )

        register_home_provider("discussions", selectors.home_items)
