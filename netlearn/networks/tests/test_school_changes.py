"""Closures and amalgamations: every record carried, the history kept, bad input refused."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from netlearn.networks import policy, selectors, services
from netlearn.networks.errors import NotYourSchools, SchoolChangeRefused, SchoolClosed
from netlearn.networks.models import (
    GroupMember,
    NetworkMembership,
    Role,
    School,
    SchoolChange,
    SchoolChangeKind,
    StaffPost,
)
from netlearn.networks.services.school_changes import app_modules

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
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.school_for(viewer=world.foreign_teacher, school_id=world.school_a.pk)
