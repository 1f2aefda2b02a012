"""The exchange's objects for the authorization walks (see netlearn/web/tests/walk.py): in both
networks a release budget with income, a commitment, a devolved share and release funding from an
approved request; every text field of the foreign network's carries SENTINEL."""

import datetime
from decimal import Decimal

from netlearn.activities import services as activity_services
from netlearn.activities.models import Kind
from netlearn.activities.tests.factories import in_days
from netlearn.exchange import joint, release, services
from netlearn.exchange.models import ExchangeKind, FacilityKind, IncomeSource, Purpose
from netlearn.networks import services as network_services
from netlearn.networks.models import PostLevel
from netlearn.networks.tests.factories import PersonFactory, SchoolFactory
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
    exchange = _build_exchange(world, foreign=foreign, mark=mark)
    together = _build_joint(world, foreign=foreign, mark=mark, year=year)
    return {
        **exchange,
        **together,
        "exception_request_id": exception_request.pk,
        "budget_id": budget.pk,
        "ledger_entry_id": income.pk,
        "settles_entry_id": commitment.pk,
        "holder_id": leader.pk,
    }


def _build_exchange(world, *, foreign: bool, mark: str) -> dict:
    """A request answered by an offer, a facility with a booking, and a staff loan."""
    network = world.foreign_network if foreign else world.network
    if foreign:
        asking = SchoolFactory(name=f"Elm {SENTINEL}", reference="900099")
        network_services.add_school_to_network(network=network, school=asking, by=world.admin)
        asker = PersonFactory(username="elmhead", name=f"Eli {SENTINEL}")
        network_services.add_staff_post(
            person=asker, school=asking, job_title="Head", level=PostLevel.HEAD, leads_school=True
        )
        offering, offerer, lent = (
            world.foreign_school,
            world.foreign_co_leader,
            world.foreign_teacher,
        )
    else:
        asking, asker, offering, lent = (
            world.school_b,
            world.school_lead,
            world.school_c,
            world.teacher,
        )
        offerer = PersonFactory(username="cedarwalkhead", name="Cass Head")
        network_services.add_staff_post(
            person=offerer,
            school=offering,
            job_title="Head",
            level=PostLevel.HEAD,
            leads_school=True,
        )
    asked = services.post_request(
        network=network,
        school=asking,
        kind=ExchangeKind.STAFF_TIME,
        title=f"A maths specialist{mark}",
        description=f"Two days a week{mark}",
        by=asker,
        needed_from=datetime.date(2027, 1, 4),
        needed_until=datetime.date(2027, 2, 26),
    )
    offer = services.make_offer(
        request=asked, school=offering, note=f"Our head of maths{mark}", by=offerer
    )
    facility = services.create_facility(
        network=network,
        school=offering,
        name=f"Sports hall{mark}",
        kind=FacilityKind.SPORTS_HALL,
        description=f"Sprung floor{mark}",
        by=offerer,
    )
    booking = services.book_facility(
        facility=facility,
        school=asking,
        starts_at=in_days(5),
        ends_at=in_days(5) + datetime.timedelta(hours=2),
        purpose=f"Festival{mark}",
        by=asker,
    )
    loan = services.arrange_loan(
        network=network,
        person=lent,
        from_school=offering,
        to_school=asking,
        starts_on=datetime.date(2027, 1, 4),
        ends_on=datetime.date(2027, 3, 26),
        recharge=Decimal("1234.56"),
        purpose=f"Cover{mark}",
        by=offerer,
    )
    return {
        "exchange_request_id": asked.pk,
        "offer_id": offer.pk,
        "facility_id": facility.pk,
        "booking_id": booking.pk,
        "loan_id": loan.pk,
        "from_school_id": offering.pk,
        "to_school_id": asking.pk,
    }


def _build_joint(world, *, foreign: bool, mark: str, year: int) -> dict:
    """A joint course with places held, a purchase one school has joined, and a bid."""
    network = world.foreign_network if foreign else world.network
    leader = world.foreign_co_leader if foreign else world.co_leader
    running, running_lead = (
        (world.foreign_school, world.foreign_co_leader)
        if foreign
        else (world.school_b, world.school_lead)
    )
    course = joint.create_course(
        network=network,
        school=running,
        title=f"Level 2 construction{mark}",
        description=f"Two afternoons a week{mark}",
        starts_on=datetime.date(2027, 1, 4),
        ends_on=datetime.date(2027, 7, 16),
        places=24,
        by=running_lead,
    )
    joint.hold_places(course=course, school=running, places=6, by=running_lead)
    budget = services.create_budget(
        network=network,
        year=year,
        purpose=Purpose.PURCHASING,
        holder=leader,
        by=leader,
        name=f"Joint purchasing{mark}",
    )
    proposal = joint.propose_purchase(
        network=network,
        budget=budget,
        title=f"Phonics scheme licences{mark}",
        description=f"Whole-school licences{mark}",
        supplier=f"Phonics Ltd{mark}",
        schools_needed=2,
        by=leader,
    )
    joint.opt_in(proposal=proposal, school=running, amount=Decimal("450"), by=running_lead)
    bid = joint.propose_bid(
        network=network,
        title=f"Outdoor learning bid{mark}",
        funder=f"Lottery fund{mark}",
        description=f"Forest school for five schools{mark}",
        amount_sought=Decimal("20000"),
        by=leader,
    )
    joint.sign_up(bid=bid, school=running, by=running_lead)
    return {"joint_course_id": course.pk, "purchase_id": proposal.pk, "joint_bid_id": bid.pk}


def object_ids(world, *, foreign: bool) -> dict[str, object]:
    built = world.__dict__.setdefault("_exchange_walk", {})
    if foreign not in built:
        built[foreign] = _build(world, foreign=foreign)
    return built[foreign]
