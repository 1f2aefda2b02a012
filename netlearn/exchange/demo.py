"""Money for the demo's seed networks (docs/seed-practices.md#money-and-exchange).

Tweedmouth devolved its budget to its schools; North Hartlepool funds cover for its triads at a
cover rate; Network A pools CPD money for greater purchasing power (a joint purchase its schools
opt into, placed into the ledger); Network B, the collaborative, runs a joint vocational course
for its schools' pupils and bids jointly for outside money; the Kāhui Ako counts in New Zealand
dollars. `load(admin=...)` skips a network that has budgets, so a second run changes
nothing. Everything is written through the services, by each network's co-leader.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from netlearn.accounts import selectors as account_selectors
from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import Role

from . import joint, release, selectors, services
from .models import Budget, ExchangeKind, FacilityKind, IncomeSource, Purpose

D = Decimal


def _year(network) -> int:
    return release.budget_year(network, datetime.date.today())


def _through_the_gate(budget, school, leader) -> None:
    """A school under the attendance commitment draws only with the holder's exception; the
    demo records one, as a co-leader would, so the page shows the gate and its exception."""
    standing = selectors.attendance_standing(network=budget.network, school=school)
    if standing.below and not selectors.has_exception(budget=budget, school=school):
        release.grant_exception(
            budget=budget,
            school=school,
            by=leader,
            reason="New headteacher this year; attendance agreed to recover by the spring term.",
        )


def _tweedmouth(network, leader, schools):
    budget = services.create_budget(
        network=network, year=_year(network), purpose=Purpose.POOLED, holder=leader, by=leader
    )
    services.record_income(
        budget=budget,
        amount=D("25000"),
        by=leader,
        description="NLC programme grant, year 2",
        source=IncomeSource.NATIONAL_PROGRAMME,
        funder="National College for School Leadership",
        funder_reference="NLC-2025-0417",
    )
    for school in schools[:4]:
        services.record_income(
            budget=budget,
            amount=D("1500"),
            by=leader,
            description=f"Contribution of {school.name}",
            source=IncomeSource.SCHOOL_CONTRIBUTION,
            funder=school.name,
            school=school,
        )
    # The network devolved its budget to its schools (docs/seed-practices.md#money-and-exchange).
    for school in schools[:3]:
        share = services.devolve(
            budget=budget,
            amount=D("4000"),
            by=leader,
            description="Devolved for the school's own enquiry release",
            school=school,
            holder=leader,
        )
        _through_the_gate(budget, school, leader)
        services.spend(
            budget=share,
            amount=D("1180.00"),
            by=leader,
            description="Supply cover for two enquiry days",
            school=school,
        )
    services.spend(
        budget=budget,
        amount=D("2350.00"),
        by=leader,
        description="Conference venue and lunch, spring term",
    )


def _north_hartlepool(network, leader, schools):
    services.set_cover_rate(network=network, per_session=D("95.00"), by=leader)
    budget = services.create_budget(
        network=network, year=_year(network), purpose=Purpose.RELEASE, holder=leader, by=leader
    )
    services.record_income(
        budget=budget,
        amount=D("12000"),
        by=leader,
        description="Release for triads: network grant",
        source=IncomeSource.GRANT,
        funder="Hartlepool Local Authority",
        funder_reference="HLA-CPD-26",
    )
    for school in schools[:3]:
        _through_the_gate(budget, school, leader)
        commitment = services.commit(
            budget=budget,
            amount=D("380.00"),
            by=leader,
            description="Triad research lesson: two half days",
            school=school,
        )
        services.spend(
            budget=budget,
            amount=D("380.00"),
            by=leader,
            description="Triad research lesson: cover paid",
            commitment=commitment,
        )


def _network_a(network, leader, schools):
    budget = services.create_budget(
        network=network, year=_year(network), purpose=Purpose.CPD, holder=leader, by=leader
    )
    for school in schools[:5]:
        services.record_income(
            budget=budget,
            amount=D("800"),
            by=leader,
            description=f"{school.name}'s share of the pooled CPD purchase",
            source=IncomeSource.SCHOOL_CONTRIBUTION,
            funder=school.name,
            school=school,
        )
    commitment = services.commit(
        budget=budget,
        amount=D("3600"),
        by=leader,
        description="Joint purchase: assessment-for-learning course, 40 places",
    )
    services.spend(
        budget=budget,
        amount=D("1800"),
        by=leader,
        description="First instalment to the course provider",
        commitment=commitment,
    )


def _kahui_ako(network, leader, schools):
    budget = services.create_budget(
        network=network, year=_year(network), purpose=Purpose.POOLED, holder=leader, by=leader
    )
    services.record_income(
        budget=budget,
        amount=D("48000"),
        by=leader,
        description="Community of Learning release time and inquiry funding",
        source=IncomeSource.NATIONAL_PROGRAMME,
        funder="Ministry of Education",
        funder_reference="CoL-2026-112",
    )
    services.spend(
        budget=budget,
        amount=D("6400"),
        by=leader,
        description="Relief teachers for across-community teachers' inquiry days",
    )
    services.commit(
        budget=budget,
        amount=D("2500"),
        by=leader,
        description="Whānau hui and kai, term 3",
    )


BUILDERS = {
    "tweedmouth": _tweedmouth,
    "north-hartlepool": _north_hartlepool,
    "network-a": _network_a,
    "matatahi-kahui-ako": _kahui_ako,
}


def _lead_of(school):
    ids = list(network_selectors.school_lead_ids(school_ids=[school.pk])[:1])
    return (
        account_selectors.people_by_id([row["person_id"] for row in ids]).get(ids[0]["person_id"])
        if ids
        else None
    )


def _staff_of(school, *, but=()):
    ids = [
        row["person_id"]
        for row in network_selectors.staff_ids_of_schools(school_ids=[school.pk])
        if row["person_id"] not in but
    ]
    return account_selectors.people_by_id(ids[:1]).get(ids[0]) if ids else None


def _network_b_loans(network, leader, schools):
    """Network B moves teachers to fill gaps: a staff loan arranged by its co-leader, and a
    request for a SENCo answered by another school."""
    if len(schools) < 2:
        return
    lender, borrower = schools[0], schools[1]
    lead = _lead_of(lender)
    person = _staff_of(lender, but={lead.pk} if lead else set())
    if person is not None:
        today = datetime.date.today()
        services.arrange_loan(
            network=network,
            person=person,
            from_school=lender,
            to_school=borrower,
            starts_on=today + datetime.timedelta(days=14),
            ends_on=today + datetime.timedelta(days=14 + 12 * 7),
            days_a_week=D("2"),
            recharge=D("7800"),
            purpose="Year 6 maths two days a week while the school recruits",
            by=leader,
        )
    asker, offerer = _lead_of(borrower), _lead_of(lender)
    if asker and offerer:
        asked = services.post_request(
            network=network,
            school=borrower,
            kind=ExchangeKind.STAFF_TIME,
            title="A SENCo's half day to review our provision map",
            by=asker,
        )
        services.make_offer(
            request=asked,
            school=lender,
            note="Our SENCo can come on a Thursday afternoon this half term.",
            recharge=D("150"),
            by=offerer,
        )


def _shared_facility(network, leader, schools):
    """A school lends its sports hall; another school books it for a festival."""
    if len(schools) < 2:
        return
    owner, guest = schools[0], schools[1]
    hall = services.create_facility(
        network=network,
        school=owner,
        name="Sports hall",
        kind=FacilityKind.SPORTS_HALL,
        description="Four badminton courts; changing rooms.",
        by=leader,
    )
    booker = _lead_of(guest)
    if booker is None:
        return
    starts = timezone.make_aware(
        datetime.datetime.combine(
            datetime.date.today() + datetime.timedelta(days=10), datetime.time(13, 0)
        )
    )
    services.book_facility(
        facility=hall,
        school=guest,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        purpose="Key stage 2 sports festival",
        by=booker,
    )


EXCHANGE_BUILDERS = {"network-b": _network_b_loans, "north-hartlepool": _shared_facility}


def load_exchange() -> None:
    for slug, build in EXCHANGE_BUILDERS.items():
        network = network_selectors.network_with_slug(slug=slug)
        if network is None or selectors.has_exchange(network=network):
            continue
        leader = network_selectors.first_holder_of(network=network, role=Role.CO_LEADER)
        if leader is None:
            continue
        schools = list(network_selectors.schools_in_network(network=network).order_by("name"))
        build(network, leader, schools)


def _leads(schools) -> list:
    """(school, its lead) for the schools that have a lead."""
    return [(school, lead) for school in schools if (lead := _lead_of(school)) is not None]


def _network_b_joint(network, leader, schools):
    """The collaborative's joint vocational course, an option none of its schools could run alone
    (docs/seed-practices.md#money-and-exchange), and a joint bid it won."""
    led = _leads(schools)
    if len(led) < 2:
        return
    (runner, runner_lead), *others = led
    today = datetime.date.today()
    course = joint.create_course(
        network=network,
        school=runner,
        title="Level 2 engineering: a vocational option for Years 10 and 11",
        description="Two afternoons a week in the engineering workshop, with a local employer; "
        "transport by the collaborative's minibus.",
        starts_on=today + datetime.timedelta(days=21),
        ends_on=today + datetime.timedelta(days=21 + 36 * 7),
        places=24,
        by=runner_lead,
    )
    joint.hold_places(course=course, school=runner, places=8, by=runner_lead)
    for (school, lead), places in zip(others, (6, 5, 4), strict=False):
        joint.hold_places(course=course, school=school, places=places, by=lead)
    bid = joint.propose_bid(
        network=network,
        title="Transition mentors for vulnerable Year 6 pupils",
        funder="Education Endowment Foundation",
        description="A mentor shared by the collaborative's primary and secondary schools.",
        amount_sought=D("36000"),
        deadline=today - datetime.timedelta(days=30),
        by=leader,
    )
    for school, lead in led[:4]:
        joint.sign_up(bid=bid, school=school, by=lead)
    fund = selectors.budgets_for(viewer=leader, network=network).filter(
        purpose=Purpose.POOLED, parent__isnull=True, year=_year(network)
    ).first() or services.create_budget(
        network=network,
        year=_year(network),
        purpose=Purpose.POOLED,
        holder=leader,
        by=leader,
        name="Collaborative fund",
    )
    joint.record_bid_outcome(
        bid=bid,
        won=True,
        by=leader,
        note="Funded for two years; the second year's grant follows a progress report.",
        budget=fund,
        amount=D("18000"),
        funder_reference="EEF-2026-0219",
    )


def _network_a_purchase(network, leader, schools):
    """Network A pools CPD money "to give greater purchasing power and input into design" (seed
    001): its schools opt into a course with their shares; the holder places it."""
    led = _leads(schools)
    if len(led) < 3:
        return
    budget = services.create_budget(
        network=network,
        year=_year(network),
        purpose=Purpose.PURCHASING,
        holder=leader,
        by=leader,
        name="Joint purchasing",
    )
    proposal = joint.propose_purchase(
        network=network,
        budget=budget,
        title="Pooled CPD: Thinking Maths, 30 places across the network",
        supplier="Maths Hub North",
        description="The provider shapes the course with our lead learners.",
        schools_needed=3,
        by=leader,
    )
    for (school, lead), share in zip(led, (D("1200"), D("950"), D("950"), D("700")), strict=False):
        joint.opt_in(proposal=proposal, school=school, amount=share, by=lead)
    joint.place_purchase(proposal=proposal, by=leader)


JOINT_BUILDERS = {"network-b": _network_b_joint, "network-a": _network_a_purchase}


def load_joint() -> None:
    for slug, build in JOINT_BUILDERS.items():
        network = network_selectors.network_with_slug(slug=slug)
        if network is None or selectors.has_joint_work(network=network):
            continue
        leader = network_selectors.first_holder_of(network=network, role=Role.CO_LEADER)
        if leader is None:
            continue
        schools = list(network_selectors.schools_in_network(network=network).order_by("name"))
        build(network, leader, schools)


def load(*, admin) -> None:
    load_exchange()
    for slug, build in BUILDERS.items():
        network = network_selectors.network_with_slug(slug=slug)
        if network is None or Budget.objects.filter(network=network).exists():
            continue
        leader = network_selectors.first_holder_of(network=network, role=Role.CO_LEADER)
        if leader is None:
            continue
        schools = list(network_selectors.schools_in_network(network=network).order_by("name"))
        build(network, leader, schools)
    load_joint()
