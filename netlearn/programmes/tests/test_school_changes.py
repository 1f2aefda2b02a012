"""A school pairing whose two schools amalgamate ends, with its reason; nothing is lost
(docs/school-changes.md#support-between-schools)."""

import datetime

import pytest
from django.apps import apps

from netlearn.networks import services as network_services

from .. import services
from ..models import RelationshipKind, SupportRelationship

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 8, 31)


def _counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label == "programmes"
    }


def _pairing(world, supporting, supported):
    return services.create_relationship(
        network=world.network,
        kind=RelationshipKind.SCHOOL_SUPPORT,
        supporter=world.co_leader if supporting == world.school_a else world.school_lead,
        supported=world.school_lead if supported == world.school_b else world.teacher,
        supporting_school=supporting,
        supported_school=supported,
        purpose="Joint staff meetings and visits both ways",
        starts_on=datetime.date(2022, 9, 1),
        by=world.co_leader,
    )


@pytest.mark.parametrize("into", ["new", "continuing"])
def test_a_pairing_of_two_schools_that_become_one_ends_and_says_why(world, into):
    within = _pairing(world, world.school_a, world.school_b)
    outside = _pairing(world, world.school_a, world.school_c)
    coaching = services.create_relationship(
        network=world.network,
        kind=RelationshipKind.COACHING,
        supporter=world.co_leader,
        supported=world.school_lead,
        supporting_school=world.school_a,
        supported_school=world.school_b,
        purpose="Coaching",
        starts_on=datetime.date(2022, 9, 1),
        by=world.co_leader,
    )
    before = _counts()
    terms = (
        {"schools": [world.school_a, world.school_b], "name": "Alder Birch"}
        if into == "new"
        else {"schools": [world.school_a], "continuing": world.school_b}
    )
    change = network_services.amalgamate_schools(on=DAY, by=world.admin, **terms)
    school = change.school

    assert _counts() == before  # nothing lost, nothing added
    within.refresh_from_db()
    assert within.supporting_school == within.supported_school == school
    assert within.ends_on == DAY
    assert within.ended_because == (
        f"{world.school_a} and {world.school_b} amalgamated into {school} on 31 August 2024: "
        "a school does not support itself."
    )
    # A pairing with a third school goes on, from the school that continues.
    outside.refresh_from_db()
    assert outside.ends_on is None and not outside.ended_because
    assert (outside.supporting_school, outside.supported_school) == (school, world.school_c)
    # Two people's coaching goes on: they are still two people.
    coaching.refresh_from_db()
    assert coaching.ends_on is None and not coaching.ended_because
    assert not SupportRelationship.objects.filter(
        kind=RelationshipKind.SCHOOL_SUPPORT,
        supporting_school=school,
        supported_school=school,
        ends_on__isnull=True,
    ).exists()


def test_a_pairing_that_already_ended_is_left_as_it_was(world):
    ended = _pairing(world, world.school_a, world.school_b)
    services.end_relationship(
        relationship=ended, ends_on=datetime.date(2023, 7, 20), by=world.co_leader
    )
    network_services.amalgamate_schools(
        schools=[world.school_a, world.school_b], name="Alder Birch", on=DAY, by=world.admin
    )
    ended.refresh_from_db()
    assert ended.ends_on == datetime.date(2023, 7, 20) and not ended.ended_because
