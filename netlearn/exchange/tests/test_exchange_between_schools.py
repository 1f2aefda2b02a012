"""Exchange between schools: requests, offers, agreement and feedback; facilities and bookings
that never overlap; staff loans with their recharge (docs/exchange.md#exchange-between-schools)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netlearn.accounts.models import Expertise
from netlearn.exchange import policy, services
from netlearn.exchange.errors import BookingClash, ExchangeClosed, ExchangeError
from netlearn.exchange.models import (
    Booking,
    ExchangeKind,
    ExchangeRequest,
    FacilityKind,
    Offer,
    RequestStatus,
    StaffLoan,
)
from netlearn.networks import services as network_services
from netlearn.networks.access import load_access
from netlearn.networks.models import PostLevel
from netlearn.networks.tests.factories import PersonFactory
from netlearn.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def cedar_lead(world):
    lead = PersonFactory(username="cedarhead", name="Cy Head")
    network_services.add_staff_post(
        person=lead,
        school=world.school_c,
        job_title="Headteacher",
        level=PostLevel.HEAD,
        leads_school=True,
    )
    return lead


def a_request(world, **extra):
    fields = {
        "network": world.network,
        "school": world.school_b,
        "kind": ExchangeKind.STAFF_TIME,
        "title": "A science specialist two days a week",
        "by": world.school_lead,
        "needed_from": datetime.date(2027, 1, 4),
        "needed_until": datetime.date(2027, 3, 26),
    }
    return services.post_request(**{**fields, **extra})


def at(day, hour):
    return timezone.make_aware(datetime.datetime(2027, 2, day, hour))


# Services --------------------------------------------------------------------------------------


def test_the_flow_from_request_to_feedback_makes_a_loan(
    world, cedar_lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asked = a_request(world)
    assert Notification.objects.filter(
        recipient=cedar_lead, kind=NotificationKind.EXCHANGE_REQUESTED
    ).exists()
    with django_capture_on_commit_callbacks(execute=True):
        offer = services.make_offer(
            request=asked,
            school=world.school_c,
            note="Tia can teach chemistry on Tuesdays",
            person=world.teacher,
            recharge="1500",
            by=cedar_lead,
        )
    assert offer.offerer_agreed_by == cedar_lead and not offer.agreed
    assert Notification.objects.filter(
        recipient=world.school_lead, kind=NotificationKind.EXCHANGE_ANSWERED
    ).exists()
    with pytest.raises(ExchangeClosed):
        services.close_request(request=asked, feedback="Early", by=world.school_lead)
    services.agree_offer(offer=offer, by=world.school_lead)
    asked.refresh_from_db()
    assert asked.status == RequestStatus.AGREED
    loan = StaffLoan.objects.get(offer=offer)
    assert (loan.person, loan.from_school, loan.to_school) == (
        world.teacher,
        world.school_c,
        world.school_b,
    )
    assert loan.recharge == Decimal("1500.00")
    services.close_request(
        request=asked, feedback="Results up; thank you Cedar", by=world.school_lead
    )
    asked.refresh_from_db()
    assert asked.status == RequestStatus.DONE and asked.feedback_by == world.school_lead


def test_only_a_schools_lead_acts_for_it(world, cedar_lead):
    with pytest.raises(PermissionDenied):
        a_request(world, by=world.teacher)
    with pytest.raises(PermissionDenied):
        a_request(world, school=world.school_c)  # Sam leads Birch, not Cedar
    asked = a_request(world)
    with pytest.raises(PermissionDenied):
        services.make_offer(request=asked, school=world.school_c, note="x", by=world.teacher)
    offer = services.make_offer(request=asked, school=world.school_c, note="Cover", by=cedar_lead)
    with pytest.raises(PermissionDenied):
        services.agree_offer(offer=offer, by=world.teacher)
    with pytest.raises(PermissionDenied):
        services.agree_offer(offer=offer, by=world.foreign_co_leader)
    with pytest.raises(ExchangeError):
        services.make_offer(request=asked, school=world.school_b, note="x", by=world.school_lead)


def test_bad_input_changes_nothing(world, cedar_lead):
    with pytest.raises(ExchangeError):
        a_request(world, title="   ")
    with pytest.raises(ExchangeError):
        a_request(world, kind="bribe")
    with pytest.raises(ExchangeError, match="expertise directory"):
        a_request(world, kind=ExchangeKind.EXPERTISE, expertise="Nonexistent tag")
    with pytest.raises(ExchangeError):
        a_request(
            world, needed_from=datetime.date(2027, 3, 1), needed_until=datetime.date(2027, 1, 1)
        )
    assert not ExchangeRequest.objects.exists()
    asked = a_request(world)
    with pytest.raises(ExchangeError, match="negative"):
        services.make_offer(
            request=asked, school=world.school_c, note="x", recharge="-5", by=cedar_lead
        )
    with pytest.raises(ExchangeError, match="does not work at"):
        services.make_offer(
            request=asked, school=world.school_c, note="x", person=world.school_lead, by=cedar_lead
        )
    assert not Offer.objects.exists()
    with pytest.raises(ExchangeError):
        services.arrange_loan(
            network=world.network,
            person=world.teacher,
            from_school=world.school_c,
            to_school=world.school_b,
            starts_on=datetime.date(2027, 2, 1),
            ends_on=datetime.date(2027, 1, 1),
            recharge="100",
            purpose="Cover",
            by=world.co_leader,
        )
    with pytest.raises(ExchangeError):
        services.arrange_loan(
            network=world.network,
            person=world.teacher,
            from_school=world.school_c,
            to_school=world.foreign_school,
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2027, 2, 1),
            recharge="100",
            purpose="Cover",
            by=world.co_leader,
        )
    assert not StaffLoan.objects.exists()


def test_expertise_requests_link_the_directory(world):
    tag = Expertise.objects.create(name="Phonics")
    asked = a_request(world, kind=ExchangeKind.EXPERTISE, expertise="phonics")
    assert asked.expertise == tag


def test_bookings_never_overlap(world, cedar_lead):
    lab = services.create_facility(
        network=world.network,
        school=world.school_c,
        name="Chemistry lab",
        kind=FacilityKind.LAB,
        by=cedar_lead,
    )
    services.book_facility(
        facility=lab,
        school=world.school_b,
        starts_at=at(3, 9),
        ends_at=at(3, 12),
        purpose="Year 6 practicals",
        by=world.school_lead,
    )
    with pytest.raises(BookingClash, match="already booked by Birch Primary"):
        services.book_facility(
            facility=lab,
            school=world.school_c,
            starts_at=at(3, 11),
            ends_at=at(3, 13),
            purpose="Year 9",
            by=cedar_lead,
        )
    with pytest.raises(ExchangeError, match="ends after"):
        services.book_facility(
            facility=lab,
            school=world.school_c,
            starts_at=at(3, 14),
            ends_at=at(3, 13),
            purpose="Year 9",
            by=cedar_lead,
        )
    assert Booking.objects.count() == 1
    # Back to back is fine.
    services.book_facility(
        facility=lab,
        school=world.school_c,
        starts_at=at(3, 12),
        ends_at=at(3, 13),
        purpose="Year 9",
        by=cedar_lead,
    )
    assert Booking.objects.count() == 2


# Policy ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, sees_board, sees_recharge",
    [
        ("co_leader", True, True),  # runs the network's money
        ("school_lead", True, True),  # leads Birch, the receiving school
        ("member", True, True),  # Tia is the person lent
        ("partner", True, False),
        ("data_lead", True, False),  # staff at Birch, not its lead: no staff costs
        ("site_admin", True, True),
        ("pupil", False, False),
        ("parent", False, False),
        ("anonymous", False, False),
        ("post_ended", False, False),
    ],
)
def test_policy_matrix(world, role, sees_board, sees_recharge, django_assert_num_queries):
    person = world.people_by_role()[role] or AnonymousUser()
    loan = StaffLoan(
        network=world.network,
        person=world.teacher,
        from_school=world.school_c,
        to_school=world.school_b,
        recharge=Decimal("100"),
    )
    if role != "anonymous":
        load_access([person])
    with django_assert_num_queries(0):
        assert policy.can_view_board(person, world.network) is sees_board
        assert policy.can_see_loan_recharge(person, loan) is sees_recharge
        assert policy.can_view_board_item(person, loan) is sees_board


def test_another_network_sees_nothing(world):
    assert policy.can_view_board(world.foreign_co_leader, world.network) is False
    assert policy.can_act_for(world.foreign_co_leader, world.network, world.school_b) is False


# Pages -------------------------------------------------------------------------------------------


def a_loan(world, **extra):
    fields = {
        "network": world.network,
        "person": world.teacher,
        "from_school": world.school_c,
        "to_school": world.school_b,
        "starts_on": datetime.date(2027, 1, 4),
        "ends_on": datetime.date(2027, 3, 26),
        "recharge": "2400",
        "purpose": "English cover for a long absence",
        "by": world.co_leader,
    }
    return services.arrange_loan(**{**fields, **extra})


def test_the_board_lists_requests_in_a_fixed_number_of_queries(
    world, cedar_lead, django_assert_max_num_queries
):
    url = reverse("exchange:board", args=[world.network.slug])
    for n in range(3):
        asked = a_request(world, title=f"Need {n}")
        services.make_offer(request=asked, school=world.school_c, note="We can", by=cedar_lead)
        a_loan(world)
    client = client_for(world.partner)
    client.get(url)
    with django_assert_max_num_queries(40) as captured:
        page = client.get(url)
    few = len(captured)
    for n in range(6):
        asked = a_request(world, title=f"More {n}")
        services.make_offer(request=asked, school=world.school_c, note="We can", by=cedar_lead)
        a_loan(world)
    with django_assert_max_num_queries(few):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "More 5" in html
    assert "2,400" not in html  # a partner sees no staff costs
    assert "£2,400.00" in client_for(world.teacher).get(url).content.decode()  # Tia's own loans
    assert client_for(world.foreign_co_leader).get(url).status_code == 404
    assert client_for(world.pupil).get(url).status_code == 404


def test_the_flow_through_the_pages(world, cedar_lead):
    lead = client_for(world.school_lead)
    response = lead.post(
        reverse("exchange:new_request", args=[world.network.slug]),
        {
            "school": world.school_b.pk,
            "kind": ExchangeKind.STAFF_TIME,
            "title": "A SENCo's advice on provision maps",
            "needed_from": "2027-01-04",
            "needed_until": "2027-01-29",
        },
    )
    asked = ExchangeRequest.objects.get()
    assert response.status_code == 302 and response.url == asked.get_absolute_url()
    cedar = client_for(cedar_lead)
    offer_url = reverse("exchange:new_offer", args=[world.network.slug, asked.pk])
    bad = cedar.post(offer_url, {"school": world.school_c.pk, "note": "x", "recharge": "-1"})
    assert bad.status_code == 400 and not Offer.objects.exists()
    cedar.post(
        offer_url,
        {
            "school": world.school_c.pk,
            "note": "Tia, our SENCo, for two mornings",
            "person": world.teacher.pk,
            "recharge": "300",
        },
    )
    offer = Offer.objects.get()
    page = lead.get(asked.get_absolute_url()).content.decode()
    assert "Agree for my school" in page and "£300.00" in page
    partner_page = client_for(world.partner).get(asked.get_absolute_url()).content.decode()
    assert "Tia, our SENCo" in partner_page and "£300.00" not in partner_page
    lead.post(reverse("exchange:agree_offer", args=[world.network.slug, asked.pk, offer.pk]))
    asked.refresh_from_db()
    assert asked.status == RequestStatus.AGREED
    lead.post(
        reverse("exchange:close_request", args=[world.network.slug, asked.pk]),
        {"feedback": "Clear, practical advice"},
    )
    asked.refresh_from_db()
    assert asked.status == RequestStatus.DONE
    assert client_for(world.foreign_co_leader).get(asked.get_absolute_url()).status_code == 404
    agree = reverse("exchange:agree_offer", args=[world.network.slug, asked.pk, offer.pk])
    assert client_for(world.teacher).post(agree).status_code == 403


def test_the_booking_calendar_refuses_an_overlap_with_a_clear_message(world, cedar_lead):
    lab = services.create_facility(
        network=world.network,
        school=world.school_c,
        name="Chemistry lab",
        kind=FacilityKind.LAB,
        by=cedar_lead,
    )
    services.book_facility(
        facility=lab,
        school=world.school_c,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        ends_at=timezone.now() + datetime.timedelta(days=2, hours=2),
        purpose="Year 9 practicals",
        by=cedar_lead,
    )
    clash = timezone.localtime(timezone.now() + datetime.timedelta(days=2, hours=1))
    response = client_for(world.school_lead).post(
        lab.get_absolute_url(),
        {
            "school": world.school_b.pk,
            "starts_at": clash.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (clash + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "purpose": "Year 6 visit",
        },
    )
    assert response.status_code == 400
    assert "already booked by Cedar Academy" in response.content.decode()
    assert Booking.objects.count() == 1
    page = client_for(world.teacher).get(lab.get_absolute_url()).content.decode()
    assert "Year 9 practicals" in page and "Book it" not in page
    assert client_for(world.foreign_co_leader).get(lab.get_absolute_url()).status_code == 404


def test_loans_show_on_both_schools_and_the_persons_page(world):
    loan = a_loan(world)
    for url in (
        reverse("networks:school", args=[world.school_b.pk]),
        reverse("networks:school", args=[world.school_c.pk]),
        reverse("networks:person", args=[world.teacher.pk]),
    ):
        lead_page = client_for(world.school_lead).get(url).content.decode()
        assert loan.get_absolute_url() in lead_page and "£2,400.00" in lead_page
        partner_page = client_for(world.partner).get(url).content.decode()
        assert loan.get_absolute_url() in partner_page and "£2,400.00" not in partner_page
    assert client_for(world.foreign_co_leader).get(loan.get_absolute_url()).status_code == 404
    assert "£2,400.00" in client_for(world.teacher).get(loan.get_absolute_url()).content.decode()


# API ---------------------------------------------------------------------------------------------


def test_the_exchange_through_the_api(world, cedar_lead):
    base = f"/api/v1/networks/{world.network.slug}/exchange"
    sam, cy = client_for(world.school_lead), client_for(cedar_lead)
    made = sam.post(
        f"{base}/requests",
        {"school_id": world.school_b.pk, "kind": "staff_time", "title": "Cover for a week"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    asked = made.json()["id"]
    bad = cy.post(
        f"{base}/requests/{asked}/offers",
        {"school_id": world.school_c.pk, "note": "x", "recharge": "-3"},
        content_type="application/json",
    )
    assert bad.status_code in (400, 422) and not Offer.objects.exists()
    offered = cy.post(
        f"{base}/requests/{asked}/offers",
        {"school_id": world.school_c.pk, "note": "Our cover supervisor", "recharge": "450"},
        content_type="application/json",
    )
    assert offered.status_code == 201, offered.content
    offer = offered.json()["offers"][0]
    assert offer["recharge"] == "450.00" and offer["currency"] == "GBP"
    seen = client_for(world.partner).get(f"{base}/requests/{asked}").json()
    assert seen["offers"][0]["recharge"] is None
    agreed = sam.post(f"{base}/requests/{asked}/offers/{offer['id']}/agree")
    assert agreed.status_code == 200 and agreed.json()["status"] == "agreed"
    closed = sam.post(
        f"{base}/requests/{asked}/close", {"feedback": "Smooth"}, content_type="application/json"
    )
    assert closed.json()["status"] == "done"
    assert client_for(world.foreign_co_leader).get(f"{base}/requests/{asked}").status_code == 404

    facility = cy.post(
        f"{base}/facilities",
        {"school_id": world.school_c.pk, "name": "Minibus", "kind": "minibus"},
        content_type="application/json",
    ).json()
    slot = {
        "school_id": world.school_c.pk,
        "starts_at": "2027-02-03T09:00:00Z",
        "ends_at": "2027-02-03T15:00:00Z",
        "purpose": "Trip",
    }
    url = f"{base}/facilities/{facility['id']}/bookings"
    assert cy.post(url, slot, content_type="application/json").status_code == 201
    clash = sam.post(
        url,
        {
            **slot,
            "school_id": world.school_b.pk,
            "starts_at": "2027-02-03T14:00:00Z",
            "ends_at": "2027-02-03T16:00:00Z",
        },
        content_type="application/json",
    )
    assert clash.status_code == 409 and "already booked" in clash.content.decode()
    assert Booking.objects.count() == 1

    loan = client_for(world.co_leader).post(
        f"{base}/loans",
        {
            "person_id": world.teacher.pk,
            "from_school_id": world.school_c.pk,
            "to_school_id": world.school_b.pk,
            "starts_on": "2027-01-04",
            "ends_on": "2027-03-26",
            "recharge": "2400",
            "purpose": "Maternity cover",
        },
        content_type="application/json",
    )
    assert loan.status_code == 201, loan.content
    listed = client_for(world.partner).get(f"{base}/loans").json()
    assert listed["items"][0]["recharge"] is None
    assert client_for(world.foreign_co_leader).get(f"{base}/loans").status_code == 404
