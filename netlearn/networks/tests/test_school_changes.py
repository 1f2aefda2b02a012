"""Closures and amalgamations: every record carried, the history kept, bad input refused."""

import datetime

import pytest
from django.apps import apps
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netlearn.networks import policy, selectors, services
from netlearn.networks.errors import NotYourSchools, SchoolChangeRefused, SchoolClosed
from netlearn.networks.models import (
    GroupMember,
    NetworkMembership,
    School,
    SchoolChange,
    SchoolChangeKind,
    StaffPost,
)
from netlearn.networks.services.school_changes import app_modules
from netlearn.networks.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_every_foreign_key_to_a_school_is_carried_or_kept_by_its_app():
    """A new app that points at School must say, in its school_changes.py, how it is carried."""
    declared = set()
    for module in app_modules():
        for model, field in (*module.FIELDS, *getattr(module, "KEPT", ())):
            declared.add((model._meta.label_lower, field))
    missing = sorted(
        f"{model._meta.app_label}: {model._meta.label_lower}.{field.name}"
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label
        in {c.label for c in apps.get_app_configs() if c.name.startswith("netlearn.")}
        for field in model._meta.get_fields()
        if field.is_relation
        and field.concrete
        and not field.many_to_many
        and field.related_model is School
        and (model._meta.label_lower, field.name) not in declared
    )
    assert not missing, (
        "Foreign keys to School that no netlearn/<app>/school_changes.py carries or keeps "
        "(docs/school-changes.md):\n" + "\n".join(missing)
    )


def _school_rows(schools):
    return {
        key: count.total
        for key, count in ((c.key, c) for c in services.records_of_schools(schools=schools))
    }


def test_amalgamation_carries_memberships_posts_roles_pupils_and_group_places(world):
    before = _school_rows([world.school_a, world.school_b])
    services.add_group_member(group=world.group, school=world.school_b, by=world.admin)
    change = services.amalgamate_schools(
        schools=[world.school_a, world.school_b],
        name="Alder and Birch Primary",
        on=TODAY,
        reason="Falling rolls",
        by=world.co_leader,
    )
    new = change.school
    assert change.kind == SchoolChangeKind.AMALGAMATION and change.formed_new
    assert {s.pk for s in change.predecessors.all()} == {world.school_a.pk, world.school_b.pk}
    for old in (world.school_a, world.school_b):
        old.refresh_from_db()
        assert old.is_closed and old.closed_on == TODAY and old.successor == new
        assert not StaffPost.objects.filter(school=old).exists()
        assert not NetworkMembership.objects.filter(school=old).exists()
    # One open membership with the history of both: the other ended on the day.
    memberships = NetworkMembership.objects.filter(school=new, network=world.network)
    assert memberships.count() == 2
    assert memberships.filter(left__isnull=True).count() == 1
    assert memberships.get(left__isnull=False).left == TODAY
    assert selectors.is_member_school(network=world.network, school=new)
    world.pupil.refresh_from_db()
    assert world.pupil.pupil_school == new
    # Both schools were in the group: the new school has one place, the other stays kept.
    assert GroupMember.objects.filter(group=world.group, school=new).count() == 1
    assert change.carried["networks.groupmember.school"] == {"moved": 1, "kept": 1}
    # Every staff post moved, the school lead's too.
    assert StaffPost.objects.filter(
        school=new, person=world.school_lead, leads_school=True
    ).exists()
    assert (
        change.carried["networks.staffpost.school"]["moved"] == before["networks.staffpost.school"]
    )


def test_amalgamation_into_a_continuing_school(world):
    change = services.amalgamate_schools(
        schools=[world.school_b], continuing=world.school_a, on=TODAY, by=world.admin
    )
    assert change.school == world.school_a and not change.formed_new
    world.school_b.refresh_from_db()
    assert world.school_b.successor == world.school_a
    assert StaffPost.objects.filter(school=world.school_a, person=world.school_lead).exists()
    assert list(selectors.changes_of_school(school=world.school_b)) == [change]


def _state():
    return (
        School.objects.count(),
        SchoolChange.objects.count(),
        sorted(NetworkMembership.objects.values_list("pk", "school_id", "left")),
        sorted(StaffPost.objects.values_list("pk", "school_id")),
        sorted(School.objects.values_list("pk", "is_closed", "successor_id")),
    )


@pytest.mark.parametrize(
    "case, message",
    [
        ("itself", "cannot be amalgamated with itself"),
        ("one", "at least two schools"),
        ("no_name", "Give the new school its name"),
        ("future", "choose a past date"),
        ("closed", "has already closed"),
        ("bad_phase", "phase"),
    ],
)
def test_bad_amalgamation_is_refused_and_changes_nothing(world, case, message):
    if case == "closed":
        services.close_school(
            school=world.school_c, by=world.admin, on=TODAY, reason="Closed by the authority"
        )
    before = _state()
    terms = {
        "itself": {"schools": [world.school_a, world.school_a], "name": "X"},
        "one": {"schools": [world.school_a], "name": "X"},
        "no_name": {"schools": [world.school_a, world.school_b], "name": "  "},
        "future": {
            "schools": [world.school_a, world.school_b],
            "name": "X",
            "on": timezone.localdate() + datetime.timedelta(days=3),
        },
        "closed": {"schools": [world.school_a, world.school_c], "name": "X"},
        "bad_phase": {"schools": [world.school_a, world.school_b], "name": "X", "phase": "nope"},
    }[case]
    with pytest.raises(SchoolChangeRefused, match=message):
        services.amalgamate_schools(by=world.co_leader, **terms)
    assert _state() == before


def test_a_co_leader_cannot_amalgamate_a_school_that_is_also_in_a_network_they_do_not_lead(world):
    services.add_school_to_network(
        network=world.foreign_network, school=world.school_b, by=world.admin
    )
    before = _state()
    with pytest.raises(NotYourSchools):
        services.amalgamate_schools(
            schools=[world.school_a, world.school_b], name="X", by=world.co_leader
        )
    with pytest.raises(NotYourSchools):
        services.close_school(school=world.school_b, reason="Gone", by=world.foreign_co_leader)
    assert _state() == before
    # A site admin may: both networks keep the new school as their member.
    change = services.amalgamate_schools(
        schools=[world.school_a, world.school_b], name="X", by=world.admin
    )
    assert selectors.is_member_school(network=world.foreign_network, school=change.school)


@pytest.mark.parametrize(
    "who, schools, allowed",
    [
        ("admin", ["school_a", "outside_school"], True),
        ("co_leader", ["school_a", "school_b"], True),
        ("co_leader", ["school_a", "foreign_school"], False),
        ("co_leader", ["school_a", "outside_school"], False),  # in no network: a site admin's
        ("foreign_co_leader", ["foreign_school"], True),
        ("foreign_co_leader", ["school_a"], False),
        ("school_lead", ["school_b", "school_c"], False),
        ("partner", ["school_a", "school_b"], False),
        ("teacher", ["school_a", "school_c"], False),
        ("pupil", ["school_a", "school_b"], False),
    ],
)
def test_who_may_change_schools(world, who, schools, allowed, django_assert_num_queries):
    person = getattr(world, who)
    school_networks = selectors.current_network_ids_by_school(
        schools=[getattr(world, name) for name in schools]
    )
    policy.can_change_schools(person, {})  # loads the person's access once
    with django_assert_num_queries(0):
        assert policy.can_change_schools(person, school_networks) is allowed


def test_closing_a_school_ends_its_memberships_and_it_can_join_no_network(world):
    change = services.close_school(
        school=world.school_c, by=world.co_leader, reason="Falling rolls"
    )
    assert change.kind == SchoolChangeKind.CLOSURE
    world.school_c.refresh_from_db()
    assert world.school_c.is_closed and world.school_c.closed_on == timezone.localdate()
    assert not selectors.is_member_school(network=world.network, school=world.school_c)
    assert NetworkMembership.objects.get(school=world.school_c).left == timezone.localdate()
    with pytest.raises(SchoolClosed):
        services.add_school_to_network(network=world.network, school=world.school_c, by=world.admin)
    # Still readable where it was a member, with its history.
    assert selectors.school_for(viewer=world.co_leader, school_id=world.school_c.pk)
    with pytest.raises(SchoolChangeRefused, match="already closed"):
        services.close_school(school=world.school_c, by=world.admin, reason="Again")


def test_a_closure_needs_a_reason(world):
    with pytest.raises(SchoolChangeRefused, match="Say why"):
        services.close_school(school=world.school_c, by=world.co_leader, reason=" ")
    world.school_c.refresh_from_db()
    assert not world.school_c.is_closed


def test_predecessors_stay_readable_to_the_network_and_hidden_from_others(world):
    services.amalgamate_schools(
        schools=[world.school_a, world.school_b], name="Alder and Birch", by=world.co_leader
    )
    assert selectors.school_for(viewer=world.teacher, school_id=world.school_a.pk)
    with pytest.raises(Http404):
        selectors.school_for(viewer=world.foreign_teacher, school_id=world.school_a.pk)


# Pages and API ------------------------------------------------------------------------------


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_page_previews_then_amalgamates_and_the_new_school_shows_its_history(world):
    client = _client(world.co_leader)
    url = reverse("networks:amalgamate_schools", args=[world.network.slug])
    data = {
        "schools": [world.school_a.pk, world.school_b.pk],
        "name": "Alder and Birch Primary",
        "reason": "Falling rolls",
    }
    preview = client.post(url, data)
    assert preview.status_code == 200
    assert b"Check before you confirm" in preview.content and b"Staff posts" in preview.content
    assert not School.objects.filter(name="Alder and Birch Primary").exists()
    done = client.post(url, {**data, "confirm": "yes"})
    new = School.objects.get(name="Alder and Birch Primary")
    assert done.status_code == 302 and done["Location"] == new.get_absolute_url()
    page = client.get(new.get_absolute_url()).content.decode()
    assert "Formed from" in page and "Alder Primary" in page and "Birch Primary" in page
    assert "Sam Head" in page  # the school lead's post moved
    old = client.get(world.school_a.get_absolute_url()).content.decode()
    assert "amalgamated into" in old and "Alder and Birch Primary" in old
    changes = client.get(reverse("networks:school_changes", args=[world.network.slug]))
    assert b"Alder and Birch Primary" in changes.content


def test_the_page_refuses_bad_input_with_a_message_and_changes_nothing(world):
    client = _client(world.co_leader)
    url = reverse("networks:amalgamate_schools", args=[world.network.slug])
    before = _state()
    response = client.post(
        url, {"schools": [world.school_a.pk, world.school_b.pk], "name": "", "confirm": "yes"}
    )
    assert response.status_code == 400
    assert b"Give the new school its name" in response.content
    response = client.post(
        url,
        {"schools": [world.school_a.pk], "continuing": world.school_a.pk, "confirm": "yes"},
    )
    assert response.status_code == 400 and b"with itself" in response.content
    # The foreign network's school is not even offered.
    response = client.post(
        url, {"schools": [world.school_a.pk, world.foreign_school.pk], "name": "X"}
    )
    assert response.status_code == 400
    assert _state() == before


def test_only_those_who_may_see_the_pages(world):
    url = reverse("networks:amalgamate_schools", args=[world.network.slug])
    assert _client(world.teacher).get(url).status_code == 403
    assert _client(world.foreign_co_leader).get(url).status_code == 404
    close = reverse("networks:close_school", args=[world.school_c.pk])
    assert _client(world.teacher).get(close).status_code == 403
    assert _client(world.foreign_co_leader).get(close).status_code == 404
    response = _client(world.co_leader).post(close, {"reason": "Falling rolls"})
    assert response.status_code == 302
    world.school_c.refresh_from_db()
    assert world.school_c.is_closed


def test_the_api_previews_amalgamates_and_lists_the_history(world):
    client = _client(world.co_leader)
    body = {"school_ids": [world.school_a.pk, world.school_b.pk], "name": "Alder and Birch"}
    preview = client.post(
        "/api/v1/school-amalgamations/preview", body, content_type="application/json"
    )
    assert preview.status_code == 200
    assert any(row["key"] == "networks.staffpost.school" for row in preview.json()["carried"])
    assert not School.objects.filter(name="Alder and Birch").exists()
    foreign = {**body, "school_ids": [world.school_a.pk, world.foreign_school.pk]}
    response = client.post("/api/v1/school-amalgamations", foreign, content_type="application/json")
    assert response.status_code == 404
    response = client.post(
        "/api/v1/school-amalgamations", {**body, "name": ""}, content_type="application/json"
    )
    assert response.status_code == 400 and "name" in response.json()["detail"]
    response = client.post("/api/v1/school-amalgamations", body, content_type="application/json")
    assert response.status_code == 201
    new_id = response.json()["school"]["id"]
    history = client.get(f"/api/v1/schools/{new_id}/changes").json()["items"]
    assert [s["name"] for s in history[0]["predecessors"]] == ["Alder Primary", "Birch Primary"]
    refused = _client(world.teacher).post(
        f"/api/v1/schools/{new_id}/closure", {"reason": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403


def test_a_loan_between_two_schools_that_become_one_stays_as_it_was(world):
    from decimal import Decimal

    from netlearn.exchange.models import StaffLoan

    loan = StaffLoan.objects.create(
        network=world.network,
        person=world.teacher,
        from_school=world.school_a,
        to_school=world.school_b,
        starts_on=TODAY,
        ends_on=TODAY,
        recharge=Decimal("0"),
        purpose="Cover",
        arranged_by=world.co_leader,
    )
    outward = StaffLoan.objects.create(
        network=world.network,
        person=world.teacher,
        from_school=world.school_a,
        to_school=world.school_c,
        starts_on=TODAY,
        ends_on=TODAY,
        recharge=Decimal("0"),
        purpose="Cover",
        arranged_by=world.co_leader,
    )
    change = services.amalgamate_schools(
        schools=[world.school_a, world.school_b], name="Alder and Birch", by=world.co_leader
    )
    loan.refresh_from_db()
    outward.refresh_from_db()
    assert (loan.from_school, loan.to_school) == (world.school_a, world.school_b)
    assert (outward.from_school, outward.to_school) == (change.school, world.school_c)
    assert change.carried["exchange.staffloan.from_school"] == {"moved": 1, "kept": 1}


def test_the_school_that_continues_keeps_one_lead_the_longer_serving(world):
    """Both schools have a lead: the one in post longer goes on leading; the other's lead post
    ends on the day and a post that does not lead begins, so nothing is lost and the history
    shows both (docs/school-changes.md#leads)."""
    veteran = PersonFactory(username="veteran", name="Vera Longserve")
    services.add_staff_post(
        person=veteran,
        school=world.school_a,
        job_title="Headteacher",
        level="head",
        leads_school=True,
        started=datetime.date(2009, 9, 1),
    )
    newer = StaffPost.objects.get(school=world.school_b, person=world.school_lead)
    assert newer.started > datetime.date(2009, 9, 1)
    posts_before = StaffPost.objects.count()
    moved = StaffPost.objects.filter(school__in=[world.school_a, world.school_b]).count()

    change = services.amalgamate_schools(
        schools=[world.school_a], continuing=world.school_b, on=TODAY, by=world.admin
    )

    # One post more (the one who stepped down, in a post that does not lead); none lost.
    assert StaffPost.objects.count() == posts_before + 1
    assert StaffPost.objects.filter(school=world.school_b).count() == moved + 1
    assert change.carried["networks.staffpost.school"]["moved"] >= 1
    leading = StaffPost.objects.current().filter(school=world.school_b, leads_school=True)
    assert [post.person for post in leading] == [veteran]
    newer.refresh_from_db()
    assert newer.leads_school and newer.ended == TODAY
    follow_on = StaffPost.objects.current().get(school=world.school_b, person=world.school_lead)
    assert not follow_on.leads_school and follow_on.started == TODAY
    assert follow_on.job_title == newer.job_title and follow_on.level == newer.level


def test_a_school_with_no_lead_takes_the_other_schools_lead(world):
    change = services.amalgamate_schools(
        schools=[world.school_a, world.school_b], name="Alder Birch", on=TODAY, by=world.admin
    )
    leading = StaffPost.objects.current().filter(school=change.school, leads_school=True)
    assert [post.person for post in leading] == [world.school_lead]
    assert not StaffPost.objects.filter(ended=TODAY, leads_school=True).exists()
