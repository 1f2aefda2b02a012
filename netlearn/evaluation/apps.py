from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from netlearn.core.home import register_home_provider
from netlearn.core.navigation import register_network_page
from netlearn.core.reach import register_read_reach


class EvaluationConfig(AppConfig):
    name = "netlearn.evaluation"
    verbose_name = "Programme evaluation"

    def ready(self):
        from . import policy, selectors
        from .models import Evaluator, ProgrammeMembership

        register_read_reach(
            "evaluation",
            selectors.evaluated_network_reach,
            sources=[Evaluator, ProgrammeMembership],
        )
        register_home_provider("evaluation", selectors.home_items)
        register_network_page(
            label=_("Programmes"),
            url_name="evaluation:network_programmes",
            order=95,
            visible=lambda person, network: policy.can_view_memberships(person, network),
        )
