from django.apps import AppConfig

from netlearn.core import choices
from netlearn.core.languages import extend_django_locale_data


class CoreConfig(AppConfig):
    name = "netlearn.core"
    label = "core"
    verbose_name = "Ground floor"

    def ready(self):
        extend_django_locale_data()
        choices.install()
