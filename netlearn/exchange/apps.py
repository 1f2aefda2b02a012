from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from netlearn.core.home import register_home_provider
from netlearn.core.navigation import register_network_page
from netlearn.core.related import register_related


class ExchangeConfig(AppConfig):
    name = "netlearn.exchange"
    label = "exchange"
    verbose_name = "Exchange: budgets, ledger and release funding"

    def ready(self):
        from netlearn.activities import hooks

        from . import policy, release, selectors

        register_network_page(
            label=_("Budgets"),
            url_name="exchange:budgets",
            order=75,
            visible=policy.can_view_budgets,
        )
        # Approval commits the release budget; the register turns commitments into spending.
        hooks.on_release_decided(release.fund_release)
        hooks.on_register_taken(release.settle_register)
        # Staff loans, facility bookings and release days in the calendar feeds.
        hooks.on_feed(selectors.feed_events)
        register_home_provider("exchange", selectors.home_items)
        register_network_page(
            label=_("Exchange"), url_name="exchange:board", order=76, visible=policy.can_view_board
        )
        # Loans and secondments show on both schools' pages and on the person's page.
        register_related("school", selectors.loans_of_school)
        register_related("person", selectors.loans_of_person)
