from django.apps import AppConfig

from netlearn.core.navigation import register_network_page


class LibraryConfig(AppConfig):
    name = "netlearn.library"
    verbose_name = "Library"

    def ready(self):
        register_network_page(label="Library", url_name="library:library", order=90)
