"""A new school or a new head joining a network gets one induction plan, made once the join
commits, through `netlearn.core.newcomers` (docs/programmes.md#induction)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from netlearn.networks import services as network_services
from netlearn.networks.models import PostLevel
from netlearn.networks.tests.factories import PersonFactory
from netlearn.notifications.models import Notification

from .. import services
from ..models import InductionPlan

pytestmark = pytest.mark.django_db


def _school(name="Heron Primary School"):
    return network_services.create_school(name=name, phase="primary", authority="Hull")


def _head(school, *, started=None, by=None, username="newhead"):
    person = PersonFactory(username=username, name="Nia Newhead")
    network_services.add_staff_post(
        person=person,
        school=school,
        job_title="Headteacher",
        level=PostLevel.HEAD,
        leads_school=True,
        started=started,
        by=by,
    )
    return person


def test_a_new_school_joining_gets_one_plan_from_the_networks_checklist(
    world, django_capture_on_commit_callbacks
):
    services.set_induction_steps(
        network=world.network, steps=["Meet the co-leaders", "Visit a school"], by=world.co_leader
    )
    school = _school()
    head = _head(school)  # trusted set-up: announces nothing, the school is in no network yet
    assert not InductionPlan.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        membership = network_services.add_school_to_network(
            network=world.network, school=school, by=world.admin
        )
    plan = InductionPlan.objects.get()
    assert (plan.network, plan.school, plan.newcomer, plan.kind) == (
        world.network,
        school,
        head,
        "new_school",
    )
    assert plan.mentor is None and plan.created_by is None and plan.meetings.count() == 0
    assert [task.text for task in plan.tasks.all()] == ["Meet the co-leaders", "Visit a school"]
    assert Notification.objects.filter(recipient=head, kind="learning").count() == 1
    told = Notification.objects.get(recipient=world.co_leader, kind="learning")
    assert "name a mentor" in told.text and school.name in told.text

    # Leaving and joining again starts nothing more.
    network_services.end_school_membership(membership=membership, by=world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        network_services.add_school_to_network(network=world.network, school=school, by=world.admin)
    assert InductionPlan.objects.count() == 1
    assert Notification.objects.filter(recipient=world.co_leader, kind="learning").count() == 1


def test_a_new_head_of_a_school_long_in_the_network_gets_the_default_checklist(
    world, django_capture_on_commit_callbacks
):
    school = _school()
    network_services.add_school_to_network(
        network=world.network, school=school, by=world.admin, joined=datetime.date(2010, 9, 1)
    )
    # The network has no checklist of its own: the default one is the plan's.
    with django_capture_on_commit_callbacks(execute=True):
        head = _head(school, by=world.admin)
    plan = InductionPlan.objects.get()
    assert (plan.kind, plan.newcomer, plan.school) == ("new_head", head, school)
    assert [task.text for task in plan.tasks.all()] == list(services.DEFAULT_STEPS)

    # The same head recorded again (a second post) gets no second plan.
    with django_capture_on_commit_callbacks(execute=True):
        network_services.add_staff_post(
            person=head,
            school=school,
            job_title="Executive head",
            level=PostLevel.HEAD,
            by=world.admin,
        )
    assert InductionPlan.objects.count() == 1


def test_history_and_trusted_set_up_are_not_newcomers(world, django_capture_on_commit_callbacks):
    school = _school()
    with django_capture_on_commit_callbacks(execute=True):
        # A school recorded as joining long ago, with a head in post for years.
        _head(school, started=datetime.date(2012, 9, 1), by=world.admin)
        network_services.add_school_to_network(
            network=world.network, school=school, by=world.admin, joined=datetime.date(2013, 9, 1)
        )
        # A school joining with no head recorded: its induction starts with its head's post.
        other = _school("Plover Primary School")
        network_services.add_school_to_network(network=world.network, school=other, by=world.admin)
        # A teacher is not a head.
        network_services.add_staff_post(
            person=PersonFactory(username="newteacher"),
            school=other,
            job_title="Teacher",
            level=PostLevel.TEACHER,
            by=world.admin,
        )
    assert not InductionPlan.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        head = _head(other, by=world.admin, username="plover")
    assert InductionPlan.objects.get().newcomer == head


def test_an_accepted_invitation_to_lead_a_school_starts_an_induction(
    world, django_capture_on_commit_callbacks
):
    school = _school()
    network_services.add_school_to_network(
        network=world.network, school=school, by=world.admin, joined=datetime.date(2010, 9, 1)
    )
    network_services.add_staff_post(
        person=world.teacher, school=school, job_title="Teacher", level=PostLevel.TEACHER
    )
    invitation = network_services.add_staff_member(
        school=school,
        by=world.admin,
        name="Ines Invited",
        email="ines@example.org",
        job_title="Headteacher",
        level=PostLevel.HEAD,
        leads_school=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        network_services.accept_staff_invitation(invitation=invitation, by=invitation.person)
    plan = InductionPlan.objects.get()
    assert plan.newcomer == invitation.person and plan.kind == "new_head"
    assert plan.created_at <= timezone.now()


def test_a_failing_welcome_never_undoes_the_join(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("the welcome failed")

    monkeypatch.setattr("netlearn.core.newcomers._handlers", [broken])
    school = _school()
    _head(school)
    with django_capture_on_commit_callbacks(execute=True):
        membership = network_services.add_school_to_network(
            network=world.network, school=school, by=world.admin
        )
    membership.refresh_from_db()
    assert membership.left is None and not InductionPlan.objects.exists()


def _joined_plan(world, django_capture_on_commit_callbacks):
    school = _school()
    head = _head(school)
    with django_capture_on_commit_callbacks(execute=True):
        network_services.add_school_to_network(network=world.network, school=school, by=world.admin)
    return InductionPlan.objects.get(newcomer=head)


def test_a_co_leader_names_the_mentor_on_the_plans_page(
    world, client, django_capture_on_commit_callbacks
):
    plan = _joined_plan(world, django_capture_on_commit_callbacks)
    url = reverse("programmes:name_mentor", args=["riverside", plan.pk])
    page = reverse("programmes:induction", args=["riverside", plan.pk])

    # Someone who does not run the network's learning cannot.
    client.force_login(world.teacher)
    assert "Name the mentor" not in client.get(page).content.decode()
    assert client.post(url, {"mentor": world.school_lead.pk}).status_code == 403

    client.force_login(world.co_leader)
    assert "Name the mentor" in client.get(page).content.decode()
    # The newcomer cannot mentor themselves: a clear message, nothing changed.
    refused = client.post(url, {"mentor": plan.newcomer.pk})
    assert refused.status_code == 400
    assert "The mentor is someone other than the newcomer" in refused.content.decode()
    missing = client.post(url, {"mentor": ""})
    assert missing.status_code == 400
    assert "Choose the mentor from the network" in missing.content.decode()
    plan.refresh_from_db()
    assert plan.mentor is None

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"mentor": world.school_lead.pk}, follow=True)
    assert "Sam Head mentors the newcomer." in done.content.decode()
    plan.refresh_from_db()
    assert plan.mentor == world.school_lead
    assert Notification.objects.filter(recipient=world.school_lead, kind="learning").exists()
    assert "Change the mentor" in done.content.decode()


def test_the_api_names_the_mentor(world, client, django_capture_on_commit_callbacks):
    plan = _joined_plan(world, django_capture_on_commit_callbacks)
    url = f"/api/v1/networks/riverside/inductions/{plan.pk}/mentor"
    client.force_login(world.teacher)
    forbidden = client.post(
        url, {"mentor_id": world.school_lead.pk}, content_type="application/json"
    )
    assert forbidden.status_code in (403, 404)
    client.force_login(world.co_leader)
    outsider = client.post(
        url, {"mentor_id": world.foreign_co_leader.pk}, content_type="application/json"
    )
    assert outsider.status_code in (400, 404)
    plan.refresh_from_db()
    assert plan.mentor is None
    named = client.post(url, {"mentor_id": world.school_lead.pk}, content_type="application/json")
    assert named.status_code == 200
    assert named.json()["mentor"]["id"] == world.school_lead.pk
