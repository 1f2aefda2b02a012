"""Parent and whānau spaces: parents invited by a school's staff see only its parent spaces."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from netlearn.accounts.models import Kind, Person
from netlearn.discussions import policy, services
from netlearn.discussions.models import Audience, Moderation, ParentProfile, Status

from .factories import pupil_space, staff_space


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def parent_space(world, *, school=None, title="Alder parents and whānau"):
    return services.open_space(
        network=world.network,
        by=world.co_leader,
        title=title,
        audience=Audience.PARENTS,
        school=school,
    )


@pytest.fixture
def parent(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.invite_parent(
            school=world.school_a, by=world.safeguarding_lead, name="Hemi Parata",
            email="hemi@whanau.example",
        )  # fmt: skip
    return Person.objects.get(pk=invited.pk)


def test_school_staff_invite_a_parent_who_gets_an_email(world, parent):
    assert parent.kind == Kind.PARENT
    assert ParentProfile.objects.get(person=parent).school == world.school_a
    (message,) = mail.outbox
    assert message.to == ["hemi@whanau.example"]
    page = client_for(world.safeguarding_lead).get(
        reverse("discussions:parents", args=[world.school_a.pk])
    )
    assert "Hemi Parata" in page.content.decode()


def test_only_the_schools_staff_invite_its_parents_and_bad_input_changes_nothing(world):
    parents_before = list(Person.objects.filter(kind=Kind.PARENT))  # the world's own parent
    profiles_before = list(ParentProfile.objects.all())
    url = reverse("discussions:parents", args=[world.school_a.pk])
    outsider = client_for(world.teacher)  # teaches at another school
    assert outsider.post(url, {"name": "X", "email": "x@example.org"}).status_code == 404
    assert client_for(world.pupil).get(url).status_code == 404
    staff = client_for(world.safeguarding_lead)
    assert staff.post(url, {"name": "X", "email": "not an email"}).status_code == 400
    world.co_leader.email = "cole@riverside.example"
    world.co_leader.save()
    response = staff.post(url, {"name": "Y", "email": "COLE@riverside.example"})
    assert response.status_code == 400
    assert "already uses that email" in response.content.decode()
    assert list(Person.objects.filter(kind=Kind.PARENT)) == parents_before
    assert list(ParentProfile.objects.all()) == profiles_before


def test_a_parent_sees_only_their_schools_parent_spaces(world, parent):
    own = parent_space(world, school=world.school_a)
    everyone = parent_space(world, title="Riverside whānau")
    other = parent_space(world, school=world.school_b, title="Birch parents")
    pupils = pupil_space(world)
    staff = staff_space(world)
    assert policy.can_view_space(parent, own) and policy.can_view_space(parent, everyone)
    for hidden in (other, pupils, staff):
        assert not policy.can_view_space(parent, hidden)
    client = client_for(parent)
    home = client.get(reverse("discussions:home")).content.decode()
    assert own.title in home and everyone.title in home
    assert other.title not in home and pupils.title not in home and staff.title not in home
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(pupils.get_absolute_url()).status_code == 404
    assert client.get(reverse("networks:my_networks")).status_code in (200, 404)
    assert "My networks" not in client.get(own.get_absolute_url()).content.decode()
    network_page = reverse("discussions:network_spaces", args=[world.network.slug])
    assert client.get(network_page).status_code == 404


def test_pupils_never_see_parent_spaces_and_staff_of_the_school_do(world):
    own = parent_space(world, school=world.school_a)
    assert not policy.can_view_space(world.pupil, own)
    assert policy.can_view_space(world.safeguarding_lead, own)  # staff of Alder
    assert not policy.can_view_space(world.partner, own)
    assert policy.can_moderate(world.co_leader, own)


def test_a_parents_first_post_waits_then_they_are_trusted(world, parent):
    space = parent_space(world, school=world.school_a)
    assert space.moderation == Moderation.FIRST_POSTS
    first = services.start_thread(space=space, by=parent, title="Hello", body="Kia ora")
    assert first.status == Status.HELD
    services.moderate_post(post=first.posts.get(), by=world.co_leader, decision="approve")
    second = services.start_thread(space=space, by=parent, title="Trip", body="When?")
    assert second.status == Status.PUBLISHED
