from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "netlearn.library"
    verbose_name = "Library"
