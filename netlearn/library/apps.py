from django.apps import AppConfig

from netlearn.core.navigation import register_network_page


class LibraryConfig(AppConfig):
    name = "netlearn.library"
    verbose_name = "Library"

    def ready(self):
        register_network_page(label="Library", url_name="library:library", order=90)
        from django.db.models.signals import post_delete

        from .models import Resource

        post_delete.connect(_resource_deleted, sender=Resource, dispatch_uid="library-search")


def _resource_deleted(sender, instance, **kwargs):
    # Cleanup, not business: however a resource goes (a network deleted, the admin), its entry
    # leaves the embedded index once the deletion commits. Search never shows it meanwhile: the
    # database refuses candidates it no longer holds.
    from .indexing import queue_index_update

    queue_index_update([instance.pk])
