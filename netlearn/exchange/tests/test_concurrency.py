"""Two spends and two approvals racing, each on its own database connection, never overdraw a
budget: the service locks the budget row before it reads the balance (PostgreSQL waits at
`select_for_update`; SQLite files take turns at BEGIN IMMEDIATE). Skipped on in-memory SQLite,
whose shared cache refuses a second writer instead of waiting (core/tests/concurrency.py)."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from netlearn.activities import services as activity_services
from netlearn.core.tests.concurrency import THREADED, at_once, status
from netlearn.exchange import selectors, services
from netlearn.exchange.errors import Overdrawn
from netlearn.exchange.models import ReleaseFunding

from .factories import make_budget
from .test_release import release_budget, two_dates

pytestmark = THREADED


def test_two_spends_at_once_never_overdraw(world):
    budget = make_budget(world, income="1000")

    def spend():
        return services.spend(
            budget=budget, amount="600", by=world.co_leader, description="Minibus"
        )

    answers = at_once([spend, spend, spend])
    made = [answer for answer in answers if not isinstance(answer, Exception)]
    refused = [answer for answer in answers if isinstance(answer, Overdrawn)]
    assert len(made) == 1 and len(refused) == 2
    assert selectors.figures_of(budget).cash.amount == Decimal("400.00")


def test_two_approvals_at_once_never_overspend_the_release_budget(world):
    # Room for one teacher's two dates (2 × 180), not for two teachers'.
    budget = release_budget(world, income="500")
    activity = two_dates(world)
    requests = [
        activity_services.request_release(activity=activity, by=person, sessions=Decimal("2"))
        for person in (world.teacher, world.school_lead)
    ]
    url = "activities:decide_release"

    def approve(request):
        client = Client()
        client.force_login(world.co_leader)
        path = reverse(url, args=[world.network.slug, request.pk])
        return lambda: client.post(path, {"decision": "approve", "amount": "0"})

    answers = at_once([approve(request) for request in requests])
    assert [status(answer) for answer in answers] == [302, 302]
    figures = selectors.figures_of(budget)
    assert figures.available.amount >= 0
    assert figures.committed.amount == Decimal("360.00")
    assert ReleaseFunding.objects.count() == 2
