"""The exchange's objects for the authorization walks (see netlearn/web/tests/walk.py): in both
networks a release budget with income, a commitment, a devolved share and release funding from an
approved request; every text field of the foreign network's carries SENTINEL."""

import datetime
from decimal import Decimal

from netlearn.activities import services as activity_services
from netlearn.activities.models import Kind
from netlearn.activities.tests.factories import in_days
from netlearn.exchange import release, services
from netlearn.exchange.models import IncomeSource, Purpose
from netlearn.networks.tests.world import SENTINEL


def _build(world, *, foreign: bool) -> dict:
    mark = f" {SENTINEL}" if foreign else ""
    network = world.foreign_network if foreign else world.network
    leader = world.foreign_co_leader if foreign else world.co_leader
    member = world.foreign_teacher if foreign else world.teacher
    school = world.foreign_school if foreign else world.school_c
    starts_at = in_days(10)
    year = release.budget_year(network, starts_at.date())
    budget = services.create_budget(
        network=network,
        year=year,
        purpose=Purpose.RELEASE,
        holder=leader,
        by=leader,
        name=f"Cover fund{mark}",
    )
    income = services.record_income(
        budget=budget,
        amount=Decimal("2000"),
        by=leader,
        description=f"Programme grant{mark}",
        source=IncomeSource.NATIONAL_PROGRAMME,
        funder=f"National College{mark}",
        funder_reference=f"NC-1{mark}",
    )
    commitment = services.commit(
        budget=budget,
        amount=Decimal("100"),
        by=leader,
        description=f"Supply teacher{mark}",
        school=school,
    )
    services.devolve(
        budget=budget,
        amount=Decimal("300"),
        by=leader,
        description=f"Devolved{mark}",
        school=school,
        holder=leader,
    )
    services.set_cover_rate(network=network, per_session=Decimal("110"), by=leader)
    activity = activity_services.create_activity(
        network=network,
        by=leader,
        title=f"Triad meeting{mark}",
        kind=Kind.LEARNING_MEETING,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        recurrence="FREQ=WEEKLY;COUNT=2",
        notify=False,
    )
    request = activity_services.request_release(
        activity=activity, by=member, sessions=Decimal("1"), reason=f"Cover{mark}"
    )
    activity_services.decide_release(
        release_request=request, by=leader, approve=True, amount=Decimal("220"), note=f"Yes{mark}"
    )
    asker = world.foreign_co_leader if foreign else world.school_lead
    asked_for = world.foreign_school if foreign else world.school_b
    exception_request = services.request_exception(
        budget=budget, school=asked_for, by=asker, reason=f"New head{mark}"
    )
    return {
        "exception_request_id": exception_request.pk,
        "budget_id": budget.pk,
        "ledger_entry_id": income.pk,
        "settles_entry_id": commitment.pk,
        "holder_id": leader.pk,
    }


def object_ids(world, *, foreign: bool) -> dict[str, object]:
    built = world.__dict__.setdefault("_exchange_walk", {})
    if foreign not in built:
        built[foreign] = _build(world, foreign=foreign)
    return built[foreign]
