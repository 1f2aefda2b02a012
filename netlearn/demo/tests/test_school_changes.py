"""Amalgamating two demo schools loses nothing: every row of every table that points at a
school is still there, now pointing at the school they became (docs/school-changes.md)."""

import datetime

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from netlearn.accounts.models import Person
from netlearn.networks import services
from netlearn.networks.models import Network, NetworkMembership, School, StaffPost
from netlearn.networks.services.school_changes import app_modules
from netlearn.programmes.models import RelationshipKind, SupportRelationship

pytestmark = pytest.mark.xdist_group("demo")


def _school_fields():
    """(model, field, carried?) for every foreign key to School the apps declare."""
    for module in app_modules():
        for model, field in module.FIELDS:
            yield model, field, True
        for model, field in getattr(module, "KEPT", ()):
            yield model, field, False


def _pointing_at(schools) -> dict[str, int]:
    return {
        f"{model._meta.label_lower}.{field}": model._default_manager.filter(
            **{f"{field}__in": schools}
        ).count()
        for model, field, _ in _school_fields()
    }


def _every_table() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def _richest_pair() -> tuple[School, School]:
    """The two open schools of one demo network that hold the most kinds of record."""
    best = None
    for network in Network.objects.filter(is_demo=True):
        schools = list(
            School.objects.filter(
                pk__in=NetworkMembership.objects.current()
                .filter(network=network)
                .values("school_id"),
                is_closed=False,
            )
        )
        kinds = {
            school: sum(1 for count in services.records_of_schools(schools=[school]) if count.total)
            for school in schools
        }
        ranked = sorted(schools, key=lambda school: (-kinds[school], school.pk))[:2]
        score = sum(kinds[school] for school in ranked)
        if len(ranked) == 2 and (best is None or score > best[0]):
            best = (score, ranked)
    return tuple(best[1])


def _leads_stepping_down(*schools) -> list[StaffPost]:
    """The lead posts that an amalgamation of `schools` ends: all but the longer-serving lead's
    school's."""
    leads = [
        list(StaffPost.objects.current().filter(school=school, leads_school=True))
        for school in schools
    ]
    if sum(1 for posts in leads if posts) < 2:
        return []
    longest = min((post for posts in leads for post in posts), key=lambda p: (p.started, p.pk))
    return [post for posts in leads if longest not in posts for post in posts]


def _assert_one_lead(school: School, stepping_down: list[StaffPost]) -> None:
    leading = StaffPost.objects.current().filter(school=school, leads_school=True)
    assert leading.exists()
    assert not leading.filter(person__in=[post.person for post in stepping_down]).exists()
    for post in stepping_down:
        post.refresh_from_db()
        assert post.school == school and post.ended is not None and post.leads_school
        # The one who stepped down stays, in a post that does not lead, from the same day.
        assert (
            StaffPost.objects.current()
            .filter(
                school=school,
                person=post.person,
                leads_school=False,
                job_title=post.job_title,
                started=post.ended,
            )
            .exists()
        )


def test_amalgamating_two_demo_schools_keeps_every_record(demo_sign_ins):
    first, second = _richest_pair()
    admin = Person.objects.get(username="admin")
    tables = _every_table()
    before = _pointing_at([first, second])
    # The pair holds a fair share of what the demo has: memberships, posts, roles, activities,
    # outcomes, at least.
    for kind in (
        "networks.networkmembership.school",
        "networks.staffpost.school",
        "networks.networkrole.school",
        "activities.attendance.school",
        "impact.schoolresult.school",
    ):
        assert before[kind] > 0, kind

    # Both schools have a lead: the new school keeps the longer-serving one, and the other's
    # lead post is followed by a post that does not lead (docs/school-changes.md#leads).
    stepping_down = _leads_stepping_down(first, second)

    change = services.amalgamate_schools(
        schools=[first, second], name="Amalgamated Demo School", reason="Falling rolls", by=admin
    )
    new = change.school

    after_tables = _every_table()
    grown = {
        label: after_tables[label] - tables[label]
        for label in tables
        if after_tables[label] != tables[label]
    }
    # Nothing lost anywhere: one school and one change more, the change names two schools, and
    # a post more for each lead who stepped down.
    assert grown == {
        "networks.school": 1,
        "networks.schoolchange": 1,
        "networks.schoolchange_predecessors": 2,
        **({"networks.staffpost": len(stepping_down)} if stepping_down else {}),
    }
    _assert_one_lead(new, stepping_down)
    at_old = _pointing_at([first, second])
    at_new = _pointing_at([new])
    for model, field, carried in _school_fields():
        kind = f"{model._meta.label_lower}.{field}"
        if carried:
            kept = change.carried[kind]["kept"]
            more = len(stepping_down) if kind == "networks.staffpost.school" else 0
            assert at_old[kind] == kept, kind
            assert at_new[kind] == before[kind] - kept + more, kind
        elif model not in (School, change._meta.model, change.predecessors.through):
            # Kept by design (the append-only ledger): still with the schools it was written for.
            assert at_old[kind] == before[kind], kind
    kept = {kind: counts["kept"] for kind, counts in change.carried.items() if counts["kept"]}
    # Only records the schools held twice stay behind (the same group, the same charter
    # version signed, a result for the same dataset and year).
    assert set(kept) <= {
        "networks.groupmember.school",
        "charter.signoff.school",
        "impact.schoolresult.school",
        "exchange.courseplaces.school",
        "exchange.purchaseshare.school",
        "exchange.bidschool.school",
        "enquiry.enquiry_schools.school",
    }, kept

    # The new school's page, read by a co-leader of its network, shows where it came from.
    network_id = NetworkMembership.objects.filter(school=new).values_list("network_id", flat=True)[
        0
    ]
    co_leader = Person.objects.filter(
        network_roles__network_id=network_id, network_roles__role="co_leader"
    ).first()
    client = Client()
    client.force_login(co_leader)
    page = client.get(new.get_absolute_url()).content.decode()
    assert "Formed from" in page and first.name in page and second.name in page
    old_page = client.get(first.get_absolute_url())
    assert old_page.status_code == 200 and "amalgamated into" in old_page.content.decode()


def test_bransholme_shows_its_amalgamation(demo_sign_ins):
    tern_hill = School.objects.get(name="Tern Hill Primary School", is_demo=True)
    kittiwake = School.objects.get(name="Kittiwake Infant School", is_demo=True)
    assert kittiwake.is_closed and kittiwake.successor == tern_hill
    # Tern Hill holds both memberships of Bransholme: its own, open, and Kittiwake's, ended.
    memberships = NetworkMembership.objects.filter(school=tern_hill, network__slug="bransholme")
    assert sorted(str(m.left) for m in memberships) == ["2005-09-01", "None"]
    head = Person.objects.filter(
        staff_posts__school=tern_hill, staff_posts__leads_school=True
    ).first()
    client = Client()
    client.force_login(head)
    page = client.get(tern_hill.get_absolute_url()).content.decode()
    assert "Joined by" in page and "Kittiwake Infant School" in page
    old = client.get(kittiwake.get_absolute_url()).content.decode()
    assert "amalgamated into" in old and "Falling rolls" in old


def test_two_seeveaz_schools_that_support_each_other_amalgamate(demo_sign_ins):
    """Weald Oak supports Estuary View (a school pairing and a mentor for its new head); when
    they amalgamate, the pairing ends with its reason, the new school has one lead, and every
    row is still there."""
    weald = School.objects.get(name__startswith="Weald Oak", is_demo=True)
    estuary = School.objects.get(name__startswith="Estuary View", is_demo=True)
    pairings = SupportRelationship.objects.filter(
        kind=RelationshipKind.SCHOOL_SUPPORT, supporting_school=weald, supported_school=estuary
    )
    assert pairings.filter(ends_on__isnull=True).count() == 1
    pairing = pairings.get(ends_on__isnull=True)
    mentoring = SupportRelationship.objects.get(
        kind=RelationshipKind.MENTORING, supporting_school=weald, supported_school=estuary
    )
    stepping_down = _leads_stepping_down(weald, estuary)
    assert len(stepping_down) == 1
    tables = _every_table()
    before = _pointing_at([weald, estuary])

    change = services.amalgamate_schools(
        schools=[weald, estuary],
        name="Weald Oak and Estuary View School",
        reason="Falling rolls",
        on=datetime.date(2024, 8, 31),
        by=None,
    )
    new = change.school

    after_tables = _every_table()
    grown = {
        label: after_tables[label] - tables[label]
        for label in tables
        if after_tables[label] != tables[label]
    }
    assert grown == {
        "networks.school": 1,
        "networks.schoolchange": 1,
        "networks.schoolchange_predecessors": 2,
        "networks.staffpost": 1,
    }
    at_new = _pointing_at([new])
    assert (
        at_new["programmes.supportrelationship.supporting_school"]
        == (before["programmes.supportrelationship.supporting_school"])
    )
    # The pairing is no self-pair left running: it ended on the day, and says why.
    pairing.refresh_from_db()
    assert pairing.supporting_school == pairing.supported_school == new
    assert pairing.ends_on == datetime.date(2024, 8, 31)
    assert "amalgamated into" in pairing.ended_because and weald.name in pairing.ended_because
    # A mentoring of one person by another goes on as it was: it already ended in 2003.
    mentoring.refresh_from_db()
    assert mentoring.ends_on == datetime.date(2003, 7, 18) and not mentoring.ended_because
    _assert_one_lead(new, stepping_down)
    co_leader = Person.objects.filter(
        network_roles__network__slug="seeveaz", network_roles__role="co_leader"
    ).first()
    client = Client()
    client.force_login(co_leader)
    page = client.get(
        reverse("programmes:relationship", args=["seeveaz", pairing.pk])
    ).content.decode()
    assert "Why it ended" in page and "a school does not support itself" in page
