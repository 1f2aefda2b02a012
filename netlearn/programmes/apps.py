from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from netlearn.core.navigation import register_network_page
from netlearn.core.related import register_related


class ProgrammesConfig(AppConfig):
    name = "netlearn.programmes"
    label = "programmes"
    verbose_name = "Professional learning: waves, support, courses and induction"

    def ready(self):
        from netlearn.activities import hooks
        from netlearn.core.newcomers import on_newcomer

        from . import policy, selectors, services

        register_network_page(
            label=_("Professional learning"),
            url_name="programmes:index",
            order=62,
            visible=policy.can_view_learning,
        )
        # Registers of a course's sessions make its completions (docs/programmes.md#completion).
        hooks.on_register_taken(services.complete_from_register)
        # Where a school stands in each programme, on the school's page.
        register_related("school", selectors.places_of_school)
        # A new head or a new school gets an induction plan (docs/programmes.md#induction).
        on_newcomer(services.induct_newcomer)
