"""The demo data: idempotent, true to docs/seed-practices.md, and every printed sign-in works.

The demo is loaded once for the module inside a transaction that is rolled back at the end;
each test runs in a savepoint within it.
"""

from collections import Counter

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netlearn.accounts.models import Kind, Person
from netlearn.core.home import personal_feed
from netlearn.decisions.models import Outcome, Proposal
from netlearn.demo.seed import NETWORKS, PASSWORD, load_demo
from netlearn.exchange import selectors as exchange_selectors
from netlearn.exchange.models import Budget
from netlearn.networks.models import (
    Country,
    Group,
    GroupKind,
    GroupMember,
    Network,
    NetworkKind,
    NetworkMembership,
    NetworkRole,
    Phase,
    PostLevel,
    Role,
    School,
    Setting,
    StaffPost,
)
from netlearn.programmes.models import WavePlace, WaveRole

COUNTED = (Person, School, Network, NetworkMembership, StaffPost, NetworkRole, Group, GroupMember)


# Every module that reads the demo runs on one xdist worker (`--dist loadgroup`), which loads it
# once for them all.
pytestmark = pytest.mark.xdist_group("demo")


@pytest.fixture
def sign_ins(demo_sign_ins):
    return demo_sign_ins  # loaded once for every module of the "demo" group (conftest.py)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def schools_of(slug: str):
    return School.objects.filter(
        memberships__network__slug=slug, memberships__left__isnull=True
    ).distinct()


def school_ids_of(person, network) -> set[int]:
    member_schools = NetworkMembership.objects.current().filter(network=network)
    return set(
        StaffPost.objects.current()
        .filter(person=person, school_id__in=member_schools.values("school_id"))
        .values_list("school_id", flat=True)
    )


def every_table() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_loading_twice_changes_nothing(sign_ins, db):
    before = counts()
    tables = every_table()
    passwords = dict(Person.objects.values_list("username", "password"))
    assert load_demo() == sign_ins
    assert counts() == before
    assert {k: (tables[k], v) for k, v in every_table().items() if tables[k] != v} == {}
    assert dict(Person.objects.values_list("username", "password")) == passwords
    # The seed's networks, and the impact demo's network of 65 Exam study schools.
    assert before["Network"] == len(NETWORKS) + 1


def test_everything_is_fictional_and_marked_demo(sign_ins, db):
    assert not Network.objects.filter(is_demo=False).exists()
    assert not School.objects.filter(is_demo=False).exists()
    assert not Person.objects.filter(is_demo=False).exists()
    for school in School.objects.all():
        floor = 99001 if school.country == Country.NEW_ZEALAND else 990001
        assert int(school.reference) >= floor, school


def test_seeveaz_is_an_action_zone_of_19_primary_and_secondary_schools(sign_ins, db):
    network = Network.objects.get(slug="seeveaz")
    assert network.kind == NetworkKind.ACTION_ZONE
    schools = schools_of("seeveaz")
    assert schools.count() == 19
    assert set(schools.values_list("phase", flat=True)) == {Phase.PRIMARY, Phase.SECONDARY}
    assert len(set(schools.values_list("authority", flat=True))) >= 3


def test_network_a_has_the_seed_phase_mix_low_fsm_and_sen(sign_ins, db):
    assert Network.objects.get(slug="network-a").kind == NetworkKind.COLLABORATIVE
    # Its own eleven schools; Cormorant Primary, of North Hartlepool, belongs to both networks.
    schools = schools_of("network-a").exclude(name="Cormorant Primary School")
    assert schools_of("network-a").filter(name="Cormorant Primary School").exists()
    assert schools_of("north-hartlepool").filter(name="Cormorant Primary School").exists()
    assert Counter(schools.values_list("phase", flat=True)) == {
        Phase.INFANT: 1,
        Phase.PRIMARY: 5,
        Phase.JUNIOR: 1,
        Phase.SECONDARY: 2,
        Phase.COLLEGE: 2,
    }
    assert set(schools.values_list("setting", flat=True)) == {Setting.URBAN, Setting.RURAL}
    assert all(school.fsm_percent < 10 and school.sen_percent < 12 for school in schools)


def test_network_b_is_urban_high_fsm_with_leadership_learning_groups(sign_ins, db):
    network = Network.objects.get(slug="network-b")
    assert network.kind == NetworkKind.COLLABORATIVE
    schools = schools_of("network-b")
    assert Counter(schools.values_list("phase", flat=True)) == {
        Phase.SECONDARY: 7,
        Phase.COLLEGE: 2,
    }
    assert set(schools.values_list("setting", flat=True)) == {Setting.URBAN}
    assert all(school.fsm_percent >= 25 for school in schools)
    learning_groups = network.groups.filter(
        kind=GroupKind.DEVELOPMENT, name__istartswith="Collaborative leadership learning group"
    )
    assert learning_groups.count() >= 2
    assert network.roles.current().filter(role=Role.TEACHER_RESEARCHER).count() >= 3


def test_tweedmouth_has_three_tiers_and_a_co_ordinator_in_each_school(sign_ins, db):
    network = Network.objects.get(slug="tweedmouth")
    schools = schools_of("tweedmouth")
    assert set(schools.values_list("phase", flat=True)) == {
        Phase.PRIMARY,
        Phase.MIDDLE,
        Phase.SECONDARY,
    }
    assert schools.filter(establishment_type="First school").count() >= 2
    co_ordinators = network.roles.current().filter(role=Role.CO_ORDINATOR)
    assert set(co_ordinators.values_list("school_id", flat=True)) == set(
        schools.values_list("pk", flat=True)
    )
    lead_learners = network.groups.get(kind=GroupKind.LEAD_LEARNERS)
    assert set(lead_learners.members.values_list("person_id", flat=True)) == set(
        co_ordinators.values_list("person_id", flat=True)
    )


def test_janus_has_two_development_groups(sign_ins, db):
    network = Network.objects.get(slug="janus")
    assert network.groups.filter(kind=GroupKind.DEVELOPMENT).count() == 2


def test_pendle_steering_group_represents_every_level(sign_ins, db):
    network = Network.objects.get(slug="pendle-small-schools")
    schools = schools_of("pendle-small-schools")
    assert set(schools.values_list("setting", flat=True)) == {Setting.RURAL}
    assert all(school.roll < 150 for school in schools)
    steering = network.groups.get(kind=GroupKind.STEERING)
    members = list(steering.members.all())
    assert members and all(member.represents for member in members)
    assert {member.represents for member in members} >= {
        PostLevel.HEAD,
        PostLevel.TEACHER,
        PostLevel.SUPPORT,
        PostLevel.GOVERNOR,
        PostLevel.PUPIL,
    }
    subgroups = network.groups.filter(kind=GroupKind.SCHOOL_SUBGROUP)
    assert subgroups.count() == 3
    for group in subgroups:
        assert group.members.exists()
        assert not group.members.filter(school__isnull=True).exists()


def test_north_hartlepool_triads_are_three_people_from_three_schools(sign_ins, db):
    network = Network.objects.get(slug="north-hartlepool")
    triads = network.groups.filter(kind=GroupKind.TRIAD)
    assert triads.count() == schools_of("north-hartlepool").count()
    in_triads = []
    for triad in triads:
        people = [member.person for member in triad.members.all()]
        assert len(people) == 3 and all(people)
        schools = [school_ids_of(person, network) for person in people]
        assert all(len(ids) == 1 for ids in schools)
        assert len(set().union(*schools)) == 3, triad
        in_triads.extend(person.pk for person in people)
    researchers = network.roles.current().filter(role=Role.TEACHER_RESEARCHER)
    assert sorted(in_triads) == sorted(researchers.values_list("person_id", flat=True))
    per_school = Counter(researchers.values_list("school_id", flat=True))
    assert set(per_school.values()) == {3}


def test_bransholme_coaches_come_in_waves(sign_ins, db):
    network = Network.objects.get(slug="bransholme")
    schools = schools_of("bransholme")
    assert Counter(schools.values_list("phase", flat=True)) == {
        Phase.PRIMARY: 8,
        Phase.SECONDARY: 2,
    }
    coaches = network.roles.current().filter(role=Role.COACH)
    # Which wave each coach coaches is professional learning's record (the wave's places), not a
    # note on the role (docs/programmes.md#waves).
    coaching = {
        (place.person_id, place.school_id): place.wave
        for place in WavePlace.objects.filter(
            wave__programme__network=network,
            wave__programme__title="Co-operative learning",
            role=WaveRole.COACH,
        ).select_related("wave")
    }
    started_by_wave = {}
    for coach in coaches:
        wave = coaching.get((coach.person_id, coach.school_id))
        assert wave, coach
        assert not coach.note, coach.note
        assert coach.started == wave.starts_on, coach
        started_by_wave.setdefault(wave.number, set()).add(coach.started)
    assert sorted(started_by_wave) == [1, 2]
    assert max(started_by_wave[1]) < min(started_by_wave[2])


def test_kahui_ako_is_in_new_zealand_with_the_equity_index(sign_ins, db):
    network = Network.objects.get(kind=NetworkKind.KAHUI_AKO)
    assert network.country == Country.NEW_ZEALAND
    schools = schools_of(network.slug)
    assert set(schools.values_list("country", flat=True)) == {Country.NEW_ZEALAND}
    assert schools.filter(phase=Phase.EARLY_LEARNING).exists()
    assert not schools.filter(fsm_percent__isnull=False).exists()
    assert not schools.exclude(phase=Phase.EARLY_LEARNING).filter(equity_index__isnull=True)
    assert network.roles.current().filter(role=Role.ACROSS_COMMUNITY_TEACHER).count() >= 2


def test_every_network_has_co_leaders_heads_teachers_a_partner_and_groups(sign_ins, db):
    for network in Network.objects.filter(slug__in=[spec.slug for spec in NETWORKS]):
        co_leaders = network.roles.current().filter(role=Role.CO_LEADER)
        assert co_leaders.count() == 2, network
        schools = [school_ids_of(role.person, network) for role in co_leaders]
        assert all(schools) and not schools[0] & schools[1], network
        for school in schools_of(network.slug):
            assert (
                school.staff_posts.current()
                .filter(level=PostLevel.HEAD, leads_school=True)
                .exists()
            ), school
        facilitators = network.roles.current().filter(role=Role.FACILITATOR)
        assert (
            facilitators.filter(person__kind=Kind.PARTNER).exclude(person__organisation="").exists()
        ), network
        teachers = Person.objects.filter(
            staff_posts__school__in=schools_of(network.slug),
            staff_posts__level__in=[PostLevel.TEACHER, PostLevel.MIDDLE],
            expertise__isnull=False,
        ).exclude(bio="")
        assert teachers.exists(), network
        assert network.groups.exists(), network


def test_every_printed_sign_in_authenticates(sign_ins, db):
    assert [sign_in.role for sign_in in sign_ins] == [
        "Site admin",
        "Co-leader",
        "School lead (head)",
        "Network member (teacher)",
        "External partner",
        "Kāhui Ako lead (NZ)",
        "Data lead",
        "Programme evaluator",
        "Pupil",
    ]
    people = {}
    for sign_in in sign_ins:
        assert sign_in.password == PASSWORD
        person = authenticate(None, username=sign_in.username, password=sign_in.password)
        assert person is not None, sign_in.username
        people[sign_in.role] = person
    assert people["Site admin"].username == "admin"
    assert people["Site admin"].is_superuser and people["Site admin"].is_staff
    assert NetworkRole.objects.current().filter(person=people["Co-leader"], role=Role.CO_LEADER)
    assert StaffPost.objects.current().filter(
        person=people["School lead (head)"], level=PostLevel.HEAD, leads_school=True
    )
    assert people["External partner"].kind == Kind.PARTNER
    assert NetworkRole.objects.current().filter(
        person=people["Kāhui Ako lead (NZ)"],
        role=Role.CO_LEADER,
        network__slug="matatahi-kahui-ako",
    )
    pupil = people["Pupil"]
    assert pupil.kind == Kind.PUPIL and pupil.email == "" and pupil.pupil_school is not None


def test_each_co_leader_sign_in_sees_its_network_home(sign_ins, client, db):
    co_leaders = [sign_in for sign_in in sign_ins if sign_in.role == "Co-leader"]
    assert co_leaders
    for sign_in in co_leaders:
        roles = NetworkRole.objects.current().filter(
            person__username=sign_in.username, role=Role.CO_LEADER
        )
        assert roles.exists()
        assert client.login(username=sign_in.username, password=sign_in.password)
        for role in roles.select_related("network"):
            response = client.get(reverse("networks:home", args=[role.network.slug]))
            assert response.status_code == 200
            assert role.network.name in response.content.decode()
        client.logout()


# Every printed sign-in finds something to act on ------------------------------------------------


def _client(username: str) -> Client:
    client = Client()
    client.force_login(Person.objects.get(username=username))
    return client


def _unanswered_coming_date(username: str, slug: str) -> bool:
    """An invitation to a coming date in `slug` that the person can still answer on its page."""
    from netlearn.activities.models import Activity

    person = Person.objects.get(username=username)
    coming = Activity.objects.filter(
        network__slug=slug,
        invitations__person=person,
        occurrences__starts_at__gt=timezone.now(),
        occurrences__cancelled_at__isnull=True,
    ).exclude(occurrences__rsvps__person=person)
    for activity in coming.distinct():
        page = _client(username).get(activity.get_absolute_url()).content.decode()
        if '<button type="submit">Going' in page:
            return True
    return False


def _something_to_do(username: str) -> bool:
    from netlearn.discussions.models import Poll
    from netlearn.enquiry.models import Enquiry, Method

    if username == "admin":
        return _client(username).get("/admin/").status_code == 200
    if username == "coleader":
        page = _client(username).get("/n/pendle-small-schools/charter/").content.decode()
        return "Charter of Pendle Small Schools NLC" in page and "New learning focus" in page
    if username in ("head", "teacher"):
        return _unanswered_coming_date(username, "north-hartlepool")
    if username == "partner":
        pdsa = Enquiry.objects.get(network__slug="network-b", method=Method.PDSA)
        page = _client(username).get(pdsa.get_absolute_url()).content.decode()
        return "run-chart-median" in page
    if username == "kahuilead":
        spiral = Enquiry.objects.get(network__slug="matatahi-kahui-ako", method=Method.SPIRAL)
        return _client(username).get(spiral.get_absolute_url()).status_code == 200 and (
            _client(username).get("/n/matatahi-kahui-ako/activities/new/").status_code == 200
        )
    if username == "datalead":
        page = _client(username).get("/n/exam-study/impact/").content.decode()
        return reverse("impact:upload", args=["exam-study"]) in page
    if username == "evaluator":
        # The national programme's networks side by side; the charter read-only, no discussion.
        client = _client(username)
        page = client.get("/programmes/national-nlc-programme-demo/").content.decode()
        return (
            page.count('class="programme-network"') == 4
            and client.get("/n/tweedmouth/charter/").status_code == 200
            and client.get("/n/tweedmouth/discussions/").status_code == 404
        )
    if username == "pupil":
        pupil = Person.objects.get(username="pupil")
        poll = Poll.objects.filter(space__school=pupil.pupil_school, closed_at__isnull=True).first()
        return (
            poll is not None
            and ">Vote<" in _client(username).get(poll.get_absolute_url()).content.decode()
        )
    raise AssertionError(f"No check written for the demo sign-in {username}")


def test_every_printed_sign_in_has_something_to_do(sign_ins, db):
    missing = [s.username for s in sign_ins if not _something_to_do(s.username)]
    assert missing == []


def test_some_school_belongs_to_two_networks(sign_ins, db):
    assert (
        NetworkMembership.objects.current()
        .values("school")
        .annotate(networks=Count("network"))
        .filter(networks__gt=1)
        .exists()
    )


def test_the_demo_has_a_whanau_space_and_a_notification_waiting(sign_ins, db):
    from netlearn.discussions.models import Audience, Space
    from netlearn.notifications.models import Notification

    assert Space.objects.filter(
        network__slug="matatahi-kahui-ako", audience=Audience.PARENTS
    ).exists()
    assert Notification.objects.filter(recipient__username="teacher").exists()
    from netlearn.discussions.models import Attachment

    assert Attachment.objects.filter(post__thread__space__network__slug="north-hartlepool").exists()


def test_a_seed_network_has_outcome_data(sign_ins, db):
    from netlearn.impact.models import Dataset

    dataset = Dataset.objects.get(network__slug="north-hartlepool")
    page = _client("head").get(f"/impact/datasets/{dataset.pk}/").content.decode()
    assert "KS2 maths" in page


def test_each_staff_sign_in_finds_something_waiting_for_them_on_their_home(sign_ins, db):
    """The home ("what needs me", issue 19) is where a demo visitor starts: never empty."""
    empty = []
    for sign_in in sign_ins:
        person = Person.objects.get(username=sign_in.username)
        if person.kind == Kind.PUPIL:
            continue  # pupils' home is their pupil spaces, with no nudges
        feed = personal_feed(person=person)
        if not feed.waiting:
            empty.append((sign_in.username, [item.title for item in feed.coming + feed.new]))
    assert empty == []


def test_pendles_heads_have_a_decided_and_an_open_proposal(sign_ins, db):
    proposals = Proposal.objects.filter(network__slug="pendle-small-schools")
    decided = proposals.get(closed_at__isnull=False)
    assert decided.outcome == Outcome.CONSENTED and decided.current_revision.number == 2
    assert decided.revisions.get(number=1).positions.filter(stance="block").exists()
    assert proposals.filter(closed_at__isnull=True, group__name="Headteacher group").exists()
    assert decided.activity is not None  # filed beside a meeting's notes
    assert proposals.filter(concerns_charter=True).exists()  # and one on the charter


def test_the_demo_holds_money_in_each_networks_currency(sign_ins, db):
    kahui = Budget.objects.get(network__slug="matatahi-kahui-ako", parent__isnull=True)
    assert kahui.network.currency == "NZD"
    assert str(exchange_selectors.figures_of(kahui).available) == "NZ$39,100.00"
    tweedmouth = Budget.objects.filter(network__slug="tweedmouth")
    assert tweedmouth.filter(school__isnull=False).count() == 3  # its devolved shares
    for budget in Budget.objects.select_related("network"):
        assert exchange_selectors.figures_of(budget).available.amount >= 0, budget
    assert Budget.objects.filter(network__slug="north-hartlepool", purpose="release").exists()


def test_the_demo_exchanges_staff_and_facilities_between_schools(sign_ins, db):
    from netlearn.exchange.models import Booking, Offer, StaffLoan

    loan = StaffLoan.objects.select_related("network").get(network__slug="network-b")
    assert loan.from_school_id != loan.to_school_id and loan.recharge > 0
    assert Offer.objects.filter(request__network__slug="network-b").exists()
    assert Booking.objects.filter(facility__network__slug="north-hartlepool").exists()


def test_the_demo_has_a_joint_course_a_pooled_purchase_and_a_joint_bid(sign_ins, db):
    from netlearn.exchange.models import (
        BidStatus,
        CoursePlaces,
        JointBid,
        JointCourse,
        PurchaseProposal,
        PurchaseStatus,
    )

    course = JointCourse.objects.get(network__slug="network-b")
    held = CoursePlaces.objects.filter(course=course)
    assert held.count() >= 2 and sum(held.values_list("places", flat=True)) <= course.places
    purchase = PurchaseProposal.objects.select_related("budget").get(network__slug="network-a")
    assert purchase.status == PurchaseStatus.PLACED
    assert purchase.shares.filter(contribution__isnull=False).count() >= purchase.schools_needed
    assert exchange_selectors.figures_of(purchase.budget).available.amount == 0
    bid = JointBid.objects.select_related("grant").get(network__slug="network-b")
    assert bid.status == BidStatus.WON and bid.grant.funder_reference == "EEF-2026-0219"
