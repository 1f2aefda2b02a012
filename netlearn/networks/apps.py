from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from netlearn.core.home import register_home_provider
from netlearn.core.navigation import register_network_page
from netlearn.core.reach import watch_reach_sources


class NetworksConfig(AppConfig):
    name = "netlearn.networks"
    label = "networks"
    verbose_name = "Networks, schools and groups"

    def ready(self):
        # Selectors import models, which exist only once the registry is ready.
        from . import policy, selectors
        from .models import NetworkMembership, NetworkRole, StaffPost

        # Whose roles, posts and schools' memberships decide their access (`access.py`).
        watch_reach_sources(NetworkMembership, NetworkRole, StaffPost)
        register_home_provider("networks", selectors.home_items)
        register_network_page(
            label=_("Overview"), url_name="networks:home", order=10, visible=policy.can_view_network
        )
        register_network_page(
            label=_("Schools"),
            url_name="networks:schools",
            order=20,
            visible=policy.can_view_network,
        )
        register_network_page(
            label=_("People"), url_name="networks:people", order=30, visible=policy.can_view_network
        )
        register_network_page(
            label=_("Roles"), url_name="networks:roles", order=40, visible=policy.can_view_network
        )
