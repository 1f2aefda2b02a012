"""Ending a post or a role ends the moderation and safeguarding it gave, at once (issue 13).

A teacher of Birch is appointed moderator of Birch's pupil council and made its safeguarding
lead; a pupil's post waits for a moderator. Once the post and the role are ended (by the
services, the pages or Django's admin), the teacher can no longer read the held post nor approve
it, on the pages or through the API with their own token.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netlearn.accounts import services as account_services
from netlearn.accounts.models import Person
from netlearn.discussions import announcements, policy, selectors, services
from netlearn.discussions.models import Moderation, Status
from netlearn.networks import services as network_services
from netlearn.networks.models import NetworkRole, PostLevel, Role, StaffPost
from netlearn.networks.tests.factories import PersonFactory, SchoolFactory

from .factories import make_pupil, pupil_space


@pytest.fixture
def held(world):
    """The teacher, their post and role, their API token, and a pupil's post held for them."""
    teacher = PersonFactory(username="moderator", name="Mo Derator")
    post = network_services.add_staff_post(
        person=teacher, school=world.school_b, job_title="Teacher", level=PostLevel.TEACHER
    )
    role = network_services.assign_role(
        network=world.network,
        person=teacher,
        role=Role.SAFEGUARDING_LEAD,
        school=world.school_b,
        by=None,  # set-up: the trusted path for a sensitive role
    )
    space = pupil_space(
        world, school=world.school_b, moderation=Moderation.ALL_POSTS, title="Birch council"
    )
    services.add_moderator(space=space, person=teacher, by=world.co_leader)
    pupil = make_pupil(world.school_b, username="birchpupil")
    thread = services.start_thread(space=space, by=pupil, title="Clubs", body="More clubs")
    pupil_post = thread.posts.get()
    assert pupil_post.status == Status.HELD
    report = services.report(by=pupil, post=pupil_post, reason="other", details="Look")
    _, secret = account_services.create_access_token(person=teacher, name="sync", by=teacher)
    teacher.refresh_from_db()
    return {
        "teacher": teacher,
        "post": post,
        "role": role,
        "space": space,
        "thread": thread,
        "pupil_post": pupil_post,
        "report": report,
        "secret": secret,
    }


def _end_by_services(world, held):
    network_services.end_staff_post(post=held["post"], by=world.school_lead)
    network_services.end_role(network_role=held["role"], by=world.co_leader)


def _end_by_pages(world, held):
    lead = Client()
    lead.force_login(world.school_lead)
    response = lead.post(
        reverse("networks:end_staff_post", args=[world.school_b.pk, held["post"].pk]), {"date": ""}
    )
    assert response.status_code == 302
    co_leader = Client()
    co_leader.force_login(world.co_leader)
    response = co_leader.post(
        reverse("networks:end_role", args=[world.network.slug, held["role"].pk]), {"date": ""}
    )
    assert response.status_code == 302


def _end_in_admin(world, held):
    # The Django admin ends posts; roles it only shows (giving and changing them takes the
    # roles page, where sensitive ones need a second person), so the role ends on that page.
    admin = Client()
    admin.force_login(world.admin)
    for model, row in (("staffpost", held["post"]),):
        url = reverse(f"admin:networks_{model}_change", args=[row.pk])
        form = admin.get(url).context["adminform"].form
        data = {name: form[name].value() for name in form.fields}
        data = {key: "" if value is None else value for key, value in data.items()}
        data["ended"] = data["started"] if model == "staffpost" else str(row.started)
        response = admin.post(url, data)
        assert response.status_code == 302, response.content[:2000]
    co_leader = Client()
    co_leader.force_login(world.co_leader)
    response = co_leader.post(
        reverse("networks:end_role", args=[world.network.slug, held["role"].pk]), {"date": ""}
    )
    assert response.status_code == 302
    # The admin's form keeps the start date: today, so the row ended today.
    assert not StaffPost.objects.current().filter(pk=held["post"].pk).exists()
    assert not NetworkRole.objects.current().filter(pk=held["role"].pk).exists()


ENDINGS = {"services": _end_by_services, "pages": _end_by_pages, "admin": _end_in_admin}


def _page_client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _api(client: Client, method: str, path: str, secret: str, body: dict | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    if method == "get":
        return client.get(f"/api/v1{path}", **headers)
    return client.post(f"/api/v1{path}", body or {}, content_type="application/json", **headers)


def test_before_the_ending_the_teacher_moderates(world, held):
    teacher, pupil_post = held["teacher"], held["pupil_post"]
    assert policy.can_moderate(teacher, held["space"])
    client = _page_client(teacher)
    assert client.get(reverse("discussions:thread", args=[held["thread"].pk])).status_code == 200
    response = _api(Client(), "get", f"/discussions/posts/{pupil_post.pk}", held["secret"])
    assert response.status_code == 200


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_a_moderator_whose_post_and_role_ended_no_longer_reads_or_approves(world, held, ending):
    ENDINGS[ending](world, held)
    teacher, pupil_post, report = held["teacher"], held["pupil_post"], held["report"]

    client = _page_client(teacher)
    assert client.get(reverse("discussions:thread", args=[held["thread"].pk])).status_code == 404
    assert client.get(reverse("discussions:space", args=[held["space"].pk])).status_code == 404
    response = client.post(
        reverse("discussions:moderate_post", args=[pupil_post.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    response = client.get(reverse("discussions:moderation", args=[world.network.slug]))
    assert response.status_code == 404

    api = Client()
    secret = held["secret"]
    assert _api(api, "get", f"/discussions/posts/{pupil_post.pk}", secret).status_code == 404
    assert _api(api, "get", f"/discussions/spaces/{held['space'].pk}", secret).status_code == 404
    for step, body in (("acknowledge", {"note": "seen"}), ("resolve", {"resolution": "done"})):
        response = _api(api, "post", f"/discussions/reports/{report.pk}/{step}", secret, body)
        assert response.status_code == 404, (step, response.content)

    pupil_post.refresh_from_db()
    report.refresh_from_db()
    assert pupil_post.status == Status.HELD
    assert report.acknowledged_at is None and report.resolved_at is None


def test_ending_only_the_post_ends_the_moderator_appointment(world, held):
    """Still safeguarding lead, no longer staff: the role keeps what it gives, the post's
    appointment goes."""
    teacher = held["teacher"]
    network_services.end_staff_post(post=held["post"], by=world.school_lead)
    network_services.end_role(network_role=held["role"], by=world.co_leader)
    network_services.add_staff_post(
        person=teacher, school=world.school_c, job_title="Teacher", level=PostLevel.TEACHER
    )
    teacher.refresh_from_db()
    # A post at another school of the network does not revive an appointment for Birch's space.
    assert not policy.can_moderate(teacher, held["space"])
    assert not policy.can_view_space(teacher, held["space"])


def test_a_post_ending_later_still_holds_today(world, held):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    network_services.end_staff_post(post=held["post"], by=world.school_lead, ended=tomorrow)
    network_services.end_role(network_role=held["role"], by=world.co_leader, ended=tomorrow)
    teacher = held["teacher"]
    teacher.refresh_from_db()
    assert policy.can_moderate(teacher, held["space"])


def test_reports_no_longer_reach_a_moderator_who_left(world, held):
    teacher = held["teacher"]
    assert teacher in announcements.moderators_of(held["space"])
    _end_by_services(world, held)
    assert teacher not in announcements.moderators_of(held["space"])
    assert world.co_leader in announcements.moderators_of(held["space"])


def test_the_manage_page_lists_only_current_moderators(world, held):
    network_services.end_staff_post(post=held["post"], by=world.school_lead)
    client = _page_client(world.co_leader)
    response = client.get(reverse("discussions:manage_space", args=[held["space"].pk]))
    assert response.status_code == 200
    assert f"<li>{held['teacher'].name}</li>" not in response.content.decode()
    assert held["teacher"] not in response.context["moderators"]


def test_ending_within_a_request_takes_effect_for_the_same_person_object(world, held):
    """Services forget what they loaded: the same object is refused straight after."""
    teacher = held["teacher"]
    assert policy.can_moderate(teacher, held["space"])
    held["post"].person = teacher
    held["role"].person = teacher
    _end_by_services(world, held)
    assert not policy.can_moderate(teacher, held["space"])


def test_a_group_space_closes_to_staff_of_a_school_that_left_the_network(world):
    """A school's place in a group gives its staff the group's space only while the school is
    in the network, even for someone who stays in the network through a role."""
    school = SchoolFactory(name="Elm Primary", reference="900005")
    membership = network_services.add_school_to_network(
        network=world.network, school=school, by=world.admin
    )
    person = PersonFactory(username="elmteacher", name="Ely Elm")
    network_services.add_staff_post(
        person=person, school=school, job_title="Teacher", level=PostLevel.TEACHER
    )
    network_services.assign_role(
        network=world.network, person=person, role=Role.COACH, by=world.admin
    )
    group = network_services.create_group(
        network=world.network, name="Elm and friends", kind="other", by=world.admin
    )
    network_services.add_group_member(group=group, school=school, by=world.admin)
    space = services.open_space(
        network=world.network, by=world.co_leader, title="Elm group", group=group
    )
    assert policy.can_view_space(Person.objects.get(pk=person.pk), space)
    network_services.end_school_membership(membership=membership, by=world.admin)
    again = Person.objects.get(pk=person.pk)  # the next request's person
    assert not policy.can_view_space(again, space)
    assert not selectors.spaces_for(viewer=again).filter(pk=space.pk).exists()
