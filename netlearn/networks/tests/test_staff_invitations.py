"""Adding a person to a school is an invitation they accept; no answer says whose address it is."""

import re

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from netlearn.accounts.models import Person
from netlearn.networks import services
from netlearn.networks.models import InvitationStatus, PostLevel, StaffInvitation

from .factories import PersonFactory


def invite(client, world, email, name="Someone Typed"):
    url = reverse("networks:add_staff_member", args=[world.school_b.pk])
    data = {"name": name, "email": email, "job_title": "Teacher", "level": PostLevel.TEACHER}
    return client.post(url, data, follow=True)


def invite_alone(client, world, email):
    """The answer to inviting `email` from the state before it: the school's list of invitations
    then holds this address alone, so two answers compare line for line."""
    with transaction.atomic():
        response = invite(client, world, email)
        transaction.set_rollback(True)
    return response


def answer_text(response, email):
    """The page as the school lead sees it, with the typed address made generic (and the tokens
    that differ on every response anyway)."""
    text = response.content.decode().replace(email, "ADDRESS")
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|nonce=")[^"]*', r"\1", text)


@pytest.fixture
def stranger(world):
    # An account in another network entirely, whose name the school lead must not learn.
    return PersonFactory(username="stranger", name="Quentin Uniquename", email="q@elsewhere.org")


def test_an_existing_address_answers_exactly_as_a_new_one(
    world, client, stranger, django_capture_on_commit_callbacks
):
    client.force_login(world.school_lead)
    with django_capture_on_commit_callbacks(execute=True):
        known = invite_alone(client, world, stranger.email)
        new = invite_alone(client, world, "nobody-yet@example.org")
    assert known.status_code == new.status_code == 200
    assert answer_text(known, stranger.email) == answer_text(new, "nobody-yet@example.org")
    assert "we have sent an invitation" in known.content.decode()
    assert stranger.name not in known.content.decode()
    stranger.refresh_from_db()
    assert stranger.name == "Quentin Uniquename"  # the typed name never overwrites theirs


@pytest.mark.parametrize("kind", ["pupil", "already_staff", "foreign"])
def test_addresses_that_cannot_take_the_post_answer_the_same_too(
    world, client, kind, django_capture_on_commit_callbacks
):
    email = {
        "pupil": "pip-pupil@example.org",
        "already_staff": world.school_lead.email,
        "foreign": world.foreign_teacher.email,
    }[kind]
    if kind == "pupil":
        world.pupil.email = email
        world.pupil.save(update_fields=["email"])
    client.force_login(world.school_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite_alone(client, world, email)
        new = invite_alone(client, world, "someone-new@example.org")
    assert answer_text(response, email) == answer_text(new, "someone-new@example.org")
    assert "ZQXSENTINEL" not in response.content.decode()


def test_an_existing_person_joins_only_when_they_accept(
    world, client, stranger, django_capture_on_commit_callbacks
):
    client.force_login(world.school_lead)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, world, stranger.email)
    assert not stranger.staff_posts.exists()
    invitation = StaffInvitation.objects.get(person=stranger)
    assert invitation.status == InvitationStatus.PENDING
    assert [message.to for message in mail.outbox] == [[stranger.email]]
    assert world.school_b.name in mail.outbox[0].body

    # The school lead cannot accept on their behalf.
    accept = reverse("networks:accept_invitation", args=[invitation.pk])
    assert client.post(accept).status_code == 404
    assert not stranger.staff_posts.exists()

    client.force_login(stranger)
    home = client.get(reverse("networks:my_networks")).content.decode()
    assert reverse("networks:invitations") in home
    page = client.get(reverse("networks:invitations")).content.decode()
    assert world.school_b.name in page
    assert client.post(accept).status_code == 302
    assert stranger.staff_posts.current().get().school == world.school_b
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED


def test_a_declined_invitation_gives_no_post(world, client, stranger):
    invitation = services.add_staff_member(
        school=world.school_b,
        by=world.school_lead,
        name="Anything",
        email=stranger.email,
        job_title="Teacher",
        level=PostLevel.TEACHER,
    )
    client.force_login(stranger)
    response = client.post(f"/api/v1/me/invitations/{invitation.pk}/decline")
    assert response.status_code == 200 and response.json()["status"] == "declined"
    assert not stranger.staff_posts.exists()
    assert client.post(f"/api/v1/me/invitations/{invitation.pk}/accept").status_code == 404
    assert not stranger.staff_posts.exists()


def test_invitations_through_the_api_are_the_invited_persons_alone(world, client, stranger):
    invitation = services.add_staff_member(
        school=world.school_b,
        by=world.school_lead,
        name="Anything",
        email=stranger.email,
        job_title="Teacher",
        level=PostLevel.TEACHER,
    )
    client.force_login(world.school_lead)
    assert client.get("/api/v1/me/invitations").json()["count"] == 0
    assert client.post(f"/api/v1/me/invitations/{invitation.pk}/accept").status_code == 404
    client.force_login(stranger)
    listed = client.get("/api/v1/me/invitations").json()
    assert [row["id"] for row in listed["items"]] == [invitation.pk]
    response = client.post(f"/api/v1/me/invitations/{invitation.pk}/accept")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert stranger.staff_posts.current().filter(school=world.school_b).exists()


def test_a_new_address_gets_an_account_but_no_post_until_accepted(world):
    invitation = services.add_staff_member(
        school=world.school_b,
        by=world.school_lead,
        name="Nia New",
        email="nia@example.org",
        job_title="Teacher",
        level=PostLevel.TEACHER,
    )
    nia = Person.objects.get(email="nia@example.org")
    assert invitation.person == nia and not nia.staff_posts.exists()
