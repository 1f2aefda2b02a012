"""Joint courses, purchasing and bids (docs/exchange.md#joint-courses-purchasing-and-bids): places
held per school as numbers only, a purchase placed when enough schools join (its shares become
contributions in the ledger), a joint bid with its schools and its outcome; and the exchange's
withdraw, cancel and calendar-feed additions."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from netlearn.activities import services as activity_services
from netlearn.exchange import joint, policy, selectors, services
from netlearn.exchange.errors import ExchangeClosed, ExchangeError, NoPlacesLeft, NotEnoughSchools
from netlearn.exchange.models import (
    BidStatus,
    Booking,
    Budget,
    CoursePlaces,
    EntryKind,
    ExchangeKind,
    FacilityKind,
    IncomeSource,
    JointBid,
    LedgerEntry,
    PurchaseProposal,
    PurchaseShare,
    PurchaseStatus,
    Purpose,
    RequestStatus,
)
from netlearn.networks import services as network_services
from netlearn.networks.access import load_access
from netlearn.networks.models import PostLevel
from netlearn.networks.tests.factories import PersonFactory
from netlearn.networks.tests.world import SENTINEL
from netlearn.notifications.models import Notification

from . import walk
from .factories import make_budget

pytestmark = pytest.mark.django_db

JSON = "application/json"


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def cedar_lead(world):
    lead = PersonFactory(username="cedarjointhead", name="Cy Head")
    network_services.add_staff_post(
        person=lead,
        school=world.school_c,
        job_title="Headteacher",
        level=PostLevel.HEAD,
        leads_school=True,
    )
    return lead


def a_course(world, **extra):
    fields = {
        "network": world.network,
        "school": world.school_b,
        "title": "Level 2 construction",
        "starts_on": datetime.date(2027, 1, 4),
        "ends_on": datetime.date(2027, 7, 16),
        "places": 20,
        "by": world.school_lead,
    }
    return joint.create_course(**{**fields, **extra})


def a_purchase(world, *, needed=2, budget=None):
    budget = budget or make_budget(world, purpose=Purpose.PURCHASING, income="")
    return joint.propose_purchase(
        network=world.network,
        budget=budget,
        title="Assessment-for-learning course, 40 places",
        supplier="Learning Ltd",
        schools_needed=needed,
        by=world.co_leader,
    )


def a_bid(world):
    return joint.propose_bid(
        network=world.network,
        title="Outdoor learning for five schools",
        funder="Big Lottery Fund",
        amount_sought=Decimal("20000"),
        by=world.co_leader,
    )


# Joint courses ---------------------------------------------------------------------------------


def test_schools_hold_places_as_numbers_up_to_the_course_size(world, cedar_lead):
    course = a_course(world)
    joint.hold_places(course=course, school=world.school_b, places=8, by=world.school_lead)
    joint.hold_places(course=course, school=world.school_c, places=12, by=cedar_lead)
    with pytest.raises(
        NoPlacesLeft,
        match="hold 8 of the 20 places on Level 2 construction: Cedar Academy may hold at most 12",
    ):
        joint.hold_places(course=course, school=world.school_c, places=13, by=cedar_lead)
    # A lead changes their school's number; nothing else changed above.
    joint.hold_places(course=course, school=world.school_c, places=10, by=cedar_lead)
    held = dict(CoursePlaces.objects.values_list("school__name", "places"))
    assert held == {"Birch Primary": 8, "Cedar Academy": 10}
    # Nothing names a pupil: the places are counts per school.
    assert {f.name for f in CoursePlaces._meta.get_fields()} == {
        "id",
        "course",
        "school",
        "places",
        "set_by",
        "set_at",
    }


def test_a_lead_holds_places_for_their_own_school_only(world, cedar_lead):
    course = a_course(world)
    with pytest.raises(PermissionDenied):
        joint.hold_places(course=course, school=world.school_c, places=2, by=world.school_lead)
    with pytest.raises(PermissionDenied):
        joint.hold_places(course=course, school=world.school_b, places=2, by=world.teacher)
    with pytest.raises(ExchangeError, match="between 1 and 1000"):
        joint.hold_places(course=course, school=world.school_b, places=0, by=world.school_lead)
    assert not CoursePlaces.objects.exists()


def test_course_pages_and_api(world, cedar_lead):
    course = a_course(world)
    client = client_for(cedar_lead)
    page = client.post(course.get_absolute_url(), {"school": world.school_c.pk, "places": "x"})
    assert page.status_code == 400 and "whole number from 1 to 1000" in page.content.decode()
    assert not CoursePlaces.objects.exists()
    client.post(course.get_absolute_url(), {"school": world.school_c.pk, "places": "5"})
    html = client_for(world.partner).get(course.get_absolute_url()).content.decode()
    assert "Cedar Academy" in html and "5 of 20 held" in html
    api = f"/api/v1/networks/{world.network.slug}/exchange/courses"
    answer = client.post(
        f"{api}/{course.pk}/places", {"school_id": world.school_b.pk, "places": 3}, JSON
    )
    assert answer.status_code == 403
    made = client_for(world.school_lead).post(
        api,
        {
            "school_id": world.school_b.pk,
            "title": "Hair and beauty",
            "starts_on": "2027-01-04",
            "ends_on": "2026-01-04",
            "places": 10,
        },
        JSON,
    )
    assert made.status_code == 400 and "ends on or after" in made.json()["detail"]
    assert client_for(world.foreign_co_leader).get(f"{api}/{course.pk}").status_code == 404
    new = reverse("exchange:new_course", args=[world.network.slug])
    assert client_for(world.partner).get(new).status_code == 403


def test_a_lead_gives_back_their_own_schools_places_only(world, cedar_lead):
    course = a_course(world)
    joint.hold_places(course=course, school=world.school_b, places=8, by=world.school_lead)
    joint.hold_places(course=course, school=world.school_c, places=4, by=cedar_lead)
    api = f"/api/v1/networks/{world.network.slug}/exchange/courses/{course.pk}/places"
    # Another school's lead, a teacher and another network cannot; nothing changes.
    assert client_for(cedar_lead).delete(f"{api}/{world.school_b.pk}").status_code == 403
    assert client_for(world.teacher).delete(f"{api}/{world.school_b.pk}").status_code == 403
    foreign = client_for(world.foreign_co_leader).delete(f"{api}/{world.school_b.pk}")
    assert foreign.status_code == 404
    assert CoursePlaces.objects.count() == 2
    # The page shows the button to Birch's lead for Birch only.
    lead = client_for(world.school_lead)
    release = reverse(
        "exchange:release_places", args=[world.network.slug, course.pk, world.school_b.pk]
    )
    html = lead.get(course.get_absolute_url()).content.decode()
    assert release in html and "Give back Cedar Academy" not in html
    assert lead.post(release).status_code == 302
    assert set(CoursePlaces.objects.values_list("school", flat=True)) == {world.school_c.pk}
    assert client_for(cedar_lead).delete(f"{api}/{world.school_c.pk}").status_code == 204
    assert not CoursePlaces.objects.exists()
    assert client_for(cedar_lead).delete(f"{api}/{world.school_c.pk}").status_code == 404


# Joint purchasing --------------------------------------------------------------------------------


def test_a_purchase_is_placed_when_enough_schools_join_and_shares_become_contributions(
    world, cedar_lead, django_capture_on_commit_callbacks
):
    proposal = a_purchase(world, needed=2)
    joint.opt_in(proposal=proposal, school=world.school_b, amount="800", by=world.school_lead)
    with pytest.raises(NotEnoughSchools, match="1 of the 2 schools"):
        joint.place_purchase(proposal=proposal, by=world.co_leader)
    with django_capture_on_commit_callbacks(execute=True):
        joint.opt_in(proposal=proposal, school=world.school_c, amount="650.50", by=cedar_lead)
    # The budget holder is told it can be placed; a school lead cannot place it.
    assert Notification.objects.filter(recipient=world.co_leader, url=proposal.get_absolute_url())
    with pytest.raises(PermissionDenied):
        joint.place_purchase(proposal=proposal, by=world.school_lead)
    with django_capture_on_commit_callbacks(execute=True):
        joint.place_purchase(proposal=proposal, by=world.co_leader)
    proposal.refresh_from_db()
    assert proposal.status == PurchaseStatus.PLACED
    entries = LedgerEntry.objects.filter(budget=proposal.budget).order_by("pk")
    assert [(e.kind, e.amount, e.school_id, e.source) for e in entries] == [
        ("income", Decimal("800.00"), world.school_b.pk, IncomeSource.SCHOOL_CONTRIBUTION),
        ("income", Decimal("650.50"), world.school_c.pk, IncomeSource.SCHOOL_CONTRIBUTION),
        ("commitment", Decimal("1450.50"), None, ""),
    ]
    figures = selectors.figures_of(proposal.budget)
    assert figures.cash.amount == Decimal("1450.50") and figures.available.amount == 0
    assert all(share.contribution_id for share in PurchaseShare.objects.all())
    assert Notification.objects.filter(recipient=cedar_lead, text__contains="is placed")
    with pytest.raises(ExchangeClosed):
        joint.place_purchase(proposal=proposal, by=world.co_leader)
    with pytest.raises(ExchangeClosed):
        joint.opt_in(proposal=proposal, school=world.school_b, amount="1", by=world.school_lead)
    assert LedgerEntry.objects.filter(budget=proposal.budget).count() == 3


def test_shares_are_for_your_own_school_and_above_zero(world, cedar_lead):
    proposal = a_purchase(world)
    with pytest.raises(PermissionDenied):
        joint.opt_in(proposal=proposal, school=world.school_c, amount="5", by=world.school_lead)
    for bad in ("-5", "0", "1.001", "abc"):
        with pytest.raises(ExchangeError):
            joint.opt_in(proposal=proposal, school=world.school_b, amount=bad, by=world.school_lead)
    assert not PurchaseShare.objects.exists()
    with pytest.raises(ExchangeError, match="purchasing or CPD"):
        a_purchase(world, budget=make_budget(world, purpose=Purpose.EVENTS, income=""))


def test_purchase_pages_and_api(world, cedar_lead):
    proposal = a_purchase(world)
    url = proposal.get_absolute_url()
    page = client_for(world.school_lead).post(url, {"school": world.school_b.pk, "amount": "-3"})
    assert page.status_code == 400 and not PurchaseShare.objects.exists()
    assert "share as an amount above zero" in page.content.decode()
    api = f"/api/v1/networks/{world.network.slug}/exchange/purchases/{proposal.pk}"
    lead = client_for(world.school_lead)
    assert lead.post(f"{api}/shares", {"school_id": world.school_b.pk, "amount": "-1"}, JSON)
    assert not PurchaseShare.objects.exists()
    answer = lead.post(f"{api}/shares", {"school_id": world.school_b.pk, "amount": "800"}, JSON)
    assert answer.status_code == 200 and answer.json()["schools_joined"] == 1
    early = client_for(world.co_leader).post(f"{api}/place")
    assert early.status_code == 400 and "1 of the 2 schools" in early.json()["detail"]
    client_for(cedar_lead).post(
        f"{api}/shares", {"school_id": world.school_c.pk, "amount": "5"}, JSON
    )
    assert client_for(world.teacher).post(f"{api}/place").status_code == 403
    placed = client_for(world.co_leader).post(f"{api}/place").json()
    assert placed["status"] == "placed" and placed["pledged"] == "805.00"
    assert placed["currency"] == "GBP" and all(s["contribution_id"] for s in placed["shares"])
    assert client_for(world.foreign_co_leader).get(api).status_code == 404
    # Members see the summary: the page shows shares in the network's currency.
    world.network.currency = "NZD"
    world.network.save(update_fields=["currency"])
    html = client_for(world.partner).get(url).content.decode()
    assert "$800.00" in html and "£" not in html


def test_a_lead_takes_their_school_out_of_an_open_purchase_only(world, cedar_lead):
    proposal = a_purchase(world)
    joint.opt_in(proposal=proposal, school=world.school_b, amount="800", by=world.school_lead)
    joint.opt_in(proposal=proposal, school=world.school_c, amount="300", by=cedar_lead)
    api = f"/api/v1/networks/{world.network.slug}/exchange/purchases/{proposal.pk}/shares"
    assert client_for(cedar_lead).delete(f"{api}/{world.school_b.pk}").status_code == 403
    lead = client_for(world.school_lead)
    opt_out = reverse("exchange:opt_out", args=[world.network.slug, proposal.pk, world.school_b.pk])
    assert opt_out in lead.get(proposal.get_absolute_url()).content.decode()
    assert lead.post(opt_out).status_code == 302
    assert set(PurchaseShare.objects.values_list("school", flat=True)) == {world.school_c.pk}
    # Once placed, a share is a contribution in the ledger: it no longer leaves.
    joint.opt_in(proposal=proposal, school=world.school_b, amount="800", by=world.school_lead)
    joint.place_purchase(proposal=proposal, by=world.co_leader)
    refused = client_for(cedar_lead).delete(f"{api}/{world.school_c.pk}")
    assert refused.status_code == 409 and "in the ledger" in refused.json()["detail"]
    assert PurchaseShare.objects.count() == 2
    page = lead.post(opt_out, follow=True).content.decode()
    assert "in the ledger" in page and PurchaseShare.objects.count() == 2


# Joint bids --------------------------------------------------------------------------------------


def test_a_won_bid_records_its_grant_with_the_funders_reference(world, cedar_lead):
    bid = a_bid(world)
    joint.sign_up(bid=bid, school=world.school_b, by=world.school_lead)
    joint.sign_up(bid=bid, school=world.school_c, by=cedar_lead)
    with pytest.raises(PermissionDenied):
        joint.sign_up(bid=bid, school=world.school_a, by=world.school_lead)
    with pytest.raises(ExchangeClosed, match="already signed up"):
        joint.sign_up(bid=bid, school=world.school_b, by=world.school_lead)
    budget = make_budget(world, purpose=Purpose.POOLED, income="")
    with pytest.raises(ExchangeError, match="reference"):
        joint.record_bid_outcome(
            bid=bid, won=True, by=world.co_leader, budget=budget, amount="18000"
        )
    with pytest.raises(PermissionDenied):
        joint.record_bid_outcome(bid=bid, won=False, by=world.school_lead)
    bid.refresh_from_db()
    assert bid.status == BidStatus.OPEN and not LedgerEntry.objects.filter(budget=budget).exists()
    joint.record_bid_outcome(
        bid=bid,
        won=True,
        by=world.co_leader,
        budget=budget,
        amount="18000",
        funder_reference="BLF-2027-88",
    )
    bid.refresh_from_db()
    grant = bid.grant
    assert bid.status == BidStatus.WON and grant.kind == EntryKind.INCOME
    assert (grant.amount, grant.funder, grant.funder_reference, grant.source) == (
        Decimal("18000.00"),
        "Big Lottery Fund",
        "BLF-2027-88",
        IncomeSource.GRANT,
    )
    with pytest.raises(ExchangeClosed):
        joint.record_bid_outcome(bid=bid, won=False, by=world.co_leader)


def test_bid_pages_and_api(world):
    bid = a_bid(world)
    api = f"/api/v1/networks/{world.network.slug}/exchange/bids/{bid.pk}"
    lead = client_for(world.school_lead)
    assert lead.post(f"{api}/schools", {"school_id": world.school_b.pk}, JSON).status_code == 200
    lost = client_for(world.co_leader).post(f"{api}/outcome", {"won": False, "note": "Close"}, JSON)
    assert lost.status_code == 200 and lost.json()["status"] == "lost"
    assert lost.json()["granted"] is None
    html = client_for(world.partner).get(bid.get_absolute_url()).content.decode()
    assert "Lost" in html and "Birch Primary" in html
    outcome = reverse("exchange:bid_outcome", args=[world.network.slug, bid.pk])
    assert client_for(world.school_lead).get(outcome).status_code == 403


def test_joint_lists_answer_in_a_fixed_number_of_queries(
    world, cedar_lead, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            course = a_course(world, title=f"Course {i}")
            joint.hold_places(course=course, school=world.school_c, places=2, by=cedar_lead)
            proposal = a_purchase(world, budget=budget)
            joint.opt_in(proposal=proposal, school=world.school_c, amount="5", by=cedar_lead)
            bid = a_bid(world)
            joint.sign_up(bid=bid, school=world.school_c, by=cedar_lead)

    budget = make_budget(world, purpose=Purpose.PURCHASING, income="")
    add(2)
    client = client_for(world.partner)
    base = f"/api/v1/networks/{world.network.slug}/exchange"
    urls = [f"{base}/courses", f"{base}/purchases", f"{base}/bids"]
    urls.append(reverse("exchange:joint", args=[world.network.slug]))
    counts = {}
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(40) as captured:
            client.get(url)
        counts[url] = len(captured)
    add(5)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            answer = client.get(url)
        assert answer.status_code == 200
    assert client.get(f"{base}/courses").json()["items"][0]["places_held"] == 2
    assert client_for(world.foreign_co_leader).get(f"{base}/bids").status_code == 404


# Withdrawing, cancelling, the calendar ------------------------------------------------------------


def test_the_asker_withdraws_an_open_request_through_the_api(
    world, cedar_lead, django_capture_on_commit_callbacks
):
    asked = services.post_request(
        network=world.network,
        school=world.school_b,
        kind=ExchangeKind.STAFF_TIME,
        title="A SENCo's half day",
        by=world.school_lead,
    )
    services.make_offer(request=asked, school=world.school_c, note="Thursday", by=cedar_lead)
    url = f"/api/v1/networks/{world.network.slug}/exchange/requests/{asked.pk}/withdraw"
    assert client_for(cedar_lead).post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        answer = client_for(world.school_lead).post(url)
    assert answer.status_code == 200 and answer.json()["status"] == RequestStatus.WITHDRAWN
    assert Notification.objects.filter(recipient=cedar_lead, text__contains="withdrew")
    assert client_for(world.school_lead).post(url).status_code == 409


def test_a_booking_is_cancelled_by_its_maker_or_the_facility_school_lead(
    world, cedar_lead, django_capture_on_commit_callbacks
):
    hall = services.create_facility(
        network=world.network,
        school=world.school_c,
        name="Sports hall",
        kind=FacilityKind.SPORTS_HALL,
        by=cedar_lead,
    )
    starts = timezone.now() + datetime.timedelta(days=3)

    def book(hours):
        return services.book_facility(
            facility=hall,
            school=world.school_b,
            starts_at=starts + datetime.timedelta(hours=hours),
            ends_at=starts + datetime.timedelta(hours=hours + 1),
            purpose="Festival",
            by=world.school_lead,
        )

    first, second = book(0), book(2)
    api = f"/api/v1/networks/{world.network.slug}/exchange/facilities/{hall.pk}/bookings"
    assert client_for(world.teacher).delete(f"{api}/{first.pk}").status_code == 403
    assert client_for(world.foreign_co_leader).delete(f"{api}/{first.pk}").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(world.school_lead).delete(f"{api}/{first.pk}").status_code == 204
    assert Notification.objects.filter(recipient=cedar_lead, text__contains="is cancelled")
    page = reverse("exchange:cancel_booking", args=[world.network.slug, hall.pk, second.pk])
    assert client_for(cedar_lead).post(page).status_code == 302
    assert not Booking.objects.exists()


def test_loans_bookings_and_release_days_are_in_the_calendar_feeds(world):
    # The walks' objects: Tia is lent from Cedar to Birch, has release approved for two dates of
    # a triad series, and Birch booked Cedar's sports hall; the foreign network's carry SENTINEL.
    walk.object_ids(world, foreign=False)
    walk.object_ids(world, foreign=True)
    _, secret = activity_services.create_feed_token(person=world.teacher)
    feed = reverse("activities:feed")

    def read(**params):
        answer = Client().get(feed, {"key": secret, **params})
        assert answer.status_code == 200
        return answer.content.decode(), [
            str(e["SUMMARY"]) for e in Calendar.from_ical(answer.content).walk("VEVENT")
        ]

    body, mine = read()
    assert "Staff loan: Tia Teacher at Birch Primary" in mine
    assert mine.count("Release: Tia Teacher, Triad meeting") == 2
    assert not any("Sports hall" in summary for summary in mine)  # not Tia's booking
    body, network = read(network=world.network.slug)
    assert any(s.startswith("Sports hall (Cedar Academy) booked by Birch Primary") for s in network)
    # No recharge or cost in a feed: read the words, not the timestamps and ids (a stamp at
    # 22:09 holds "220").
    words = "\n".join(
        line
        for line in body.splitlines()
        if not line.startswith(("DTSTAMP", "DTSTART", "DTEND", "UID", "CREATED", "LAST-MODIFIED"))
        and not line.startswith(("RRULE", "EXDATE", "RDATE", "RECURRENCE-ID", "SEQUENCE"))
    )
    assert "1234" not in words and "220" not in words
    assert SENTINEL not in body and SENTINEL not in read()[0]


@pytest.mark.parametrize(
    "role, starts, places_purchase, records_outcome",
    [
        ("co_leader", True, True, True),  # the purchasing budget's holder
        ("school_lead", True, False, False),
        ("teacher", False, False, False),
        ("partner", False, False, False),
        ("pupil", False, False, False),
        ("anonymous", False, False, False),
        ("foreign_co_leader", False, False, False),
    ],
)
def test_joint_policy_matrix(
    world, role, starts, places_purchase, records_outcome, django_assert_num_queries
):
    person = getattr(world, role, None) if role != "anonymous" else AnonymousUser()
    budget = Budget(network=world.network, holder=world.co_leader, purpose=Purpose.PURCHASING)
    proposal = PurchaseProposal(network=world.network, budget=budget)
    bid = JointBid(network=world.network)
    if role != "anonymous":
        load_access([person])
    with django_assert_num_queries(0):
        assert policy.can_start_joint(person, world.network) is starts
        assert policy.can_place_purchase(person, proposal) is places_purchase
        assert policy.can_record_bid_outcome(person, bid) is records_outcome
