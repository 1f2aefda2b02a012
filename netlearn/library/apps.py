from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from netlearn.core.home import register_home_provider
from netlearn.core.navigation import register_network_page


class LibraryConfig(AppConfig):
    name = "netlearn.library"
    verbose_name = "Library"

    def ready(self):
        from django.db.models.signals import post_delete

        from . import policy, selectors
        from .models import Resource

        register_network_page(
            label=_("Library"),
            url_name="library:library",
            order=90,
            visible=policy.can_view_library,
        )
        register_home_provider("library", selectors.home_items)

        post_delete.connect(_resource_deleted, sender=Resource, dispatch_uid="library-search")


def _resource_deleted(sender, instance, **kwargs):
    # Cleanup, not business: however a resource goes (a network deleted, the admin), its entry
    # leaves the embedded index once the deletion commits. Search never shows it meanwhile: the
    # database refuses candidates it no longer holds.
    from .indexing import queue_index_update

    queue_index_update([instance.pk])
