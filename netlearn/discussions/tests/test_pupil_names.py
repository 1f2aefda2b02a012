"""Outside their own school, a pupil is seen only by the public name their school's staff set;
no pupil renames themselves (page, API or service)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from netlearn.accounts import services as account_services
from netlearn.accounts.errors import AccountError
from netlearn.accounts.models import Person
from netlearn.discussions import policy, services
from netlearn.discussions.errors import DiscussionError
from netlearn.discussions.models import Audience, Moderation
from netlearn.networks.access import access_for
from netlearn.notifications.models import Notification

from .factories import make_pupil


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def _network_wide_space(world):
    return services.open_space(
        network=world.network,
        by=world.co_leader,
        title="Eco councils of every school",
        audience=Audience.PUPILS,
        school=None,
        moderation=Moderation.NONE,
    )


@pytest.fixture
def amira_and_ben(world):
    amira = make_pupil(world.school_a, username="amira", name="Amira Khan-Ellis")
    classmate = make_pupil(world.school_a, username="cara", name="Cara Lund")
    ben = make_pupil(world.school_b, username="ben", name="Ben Ogunleye")
    space = _network_wide_space(world)
    thread = services.start_thread(
        space=space, by=amira, title="Litter pick plan", body="Who joins? @ben @cara"
    )
    return amira, classmate, ben, space, thread


def _seen(client, space, thread) -> str:
    pages = [
        client.get(reverse("discussions:space", args=[space.pk])),
        client.get(reverse("discussions:thread", args=[thread.pk])),
    ]
    assert all(page.status_code == 200 for page in pages)
    api = [
        client.get(f"/api/v1/discussions/spaces/{space.pk}/threads"),
        client.get(f"/api/v1/discussions/threads/{thread.pk}"),
        client.get(f"/api/v1/discussions/threads/{thread.pk}/posts"),
    ]
    assert all(answer.status_code == 200 for answer in api)
    return " ".join(page.content.decode() for page in pages + api)


def test_a_pupil_of_another_school_sees_a_pupil_only_by_the_name_their_school_set(
    world, amira_and_ben
):
    amira, classmate, ben, space, thread = amira_and_ben
    services.set_pupil_public_name(pupil=amira, by=world.co_leader, public_name="Amira (Alder)")
    # As in a later request: her account loaded afresh.
    amira_again = Person.objects.get(pk=amira.pk)
    services.reply(thread=thread, by=amira_again, body="Bring gloves, @ben and @cara")

    seen_by_ben = _seen(client_for(ben), space, thread)
    assert "Amira (Alder)" in seen_by_ben
    assert "Khan-Ellis" not in seen_by_ben
    told_ben = Notification.objects.filter(recipient=ben).order_by("pk").last()
    assert told_ben.text.startswith("Amira (Alder) mentioned you")

    # Staff of another school are outside her school too.
    seen_by_other_staff = _seen(client_for(world.school_lead), space, thread)
    assert "Amira (Alder)" in seen_by_other_staff and "Khan-Ellis" not in seen_by_other_staff

    # Her own school sees her full name.
    seen_by_classmate = _seen(client_for(classmate), space, thread)
    assert "Amira Khan-Ellis" in seen_by_classmate
    told_cara = Notification.objects.filter(recipient=classmate).order_by("pk").last()
    assert told_cara.text.startswith("Amira Khan-Ellis mentioned you")


def test_until_the_school_sets_one_the_public_name_is_first_name_and_school(world, amira_and_ben):
    amira, classmate, ben, space, thread = amira_and_ben
    seen_by_ben = _seen(client_for(ben), space, thread)
    assert "Amira, Alder Primary" in seen_by_ben
    assert "Khan-Ellis" not in seen_by_ben
    told_ben = Notification.objects.get(recipient=ben)
    assert told_ben.text.startswith("Amira, Alder Primary mentioned you")


def test_only_the_pupils_school_staff_set_the_public_name(world, amira_and_ben):
    amira, classmate, ben, space, thread = amira_and_ben
    for not_allowed in (amira, classmate, ben, world.school_lead, world.teacher):
        with pytest.raises(PermissionDenied):
            services.set_pupil_public_name(pupil=amira, by=not_allowed, public_name="Queen Amira")
    amira.pupil_profile.refresh_from_db()
    assert amira.pupil_profile.public_name == ""

    with pytest.raises(DiscussionError, match="family name"):
        services.set_pupil_public_name(pupil=amira, by=world.co_leader, public_name="A Khan-Ellis")
    amira.pupil_profile.refresh_from_db()
    assert amira.pupil_profile.public_name == ""


def test_staff_set_the_public_name_on_the_pupils_page_and_nobody_else_can(world, amira_and_ben):
    amira, classmate, ben, space, thread = amira_and_ben
    url = reverse("discussions:set_public_name", args=[world.school_a.pk, amira.pk])
    # Staff of another school reach no page of Alder's pupils.
    assert client_for(world.school_lead).post(url, {"public_name": "X"}).status_code == 404
    refused = client_for(amira).post(url, {"public_name": "Queen Amira"})
    assert refused.status_code in (403, 404)
    staff = client_for(world.co_leader)
    bad = staff.post(url, {"public_name": "Amira Khan-Ellis"})
    assert bad.status_code == 400 and "family name" in bad.content.decode()
    assert staff.post(url, {"public_name": "Amira A."}).status_code == 302
    amira.pupil_profile.refresh_from_db()
    assert amira.pupil_profile.public_name == "Amira A."


def test_a_pupil_cannot_change_their_own_name_on_the_page(world, amira_and_ben):
    amira = amira_and_ben[0]
    client = client_for(amira)
    form = client.get(reverse("accounts:edit_profile"))
    assert form.status_code == 200
    assert 'name="name"' in form.content.decode() and "disabled" in form.content.decode()
    client.post(reverse("accounts:edit_profile"), {"name": "Queen of Everything"})
    amira.refresh_from_db()
    assert amira.name == "Amira Khan-Ellis"


def test_a_pupil_cannot_change_their_own_name_through_the_api_or_the_service(world, amira_and_ben):
    amira = amira_and_ben[0]
    client = client_for(amira)
    for method in ("put", "patch", "post"):
        answer = getattr(client, method)(
            "/api/v1/me", {"name": "Queen of Everything"}, content_type="application/json"
        )
        assert answer.status_code in (404, 405)
    with pytest.raises(AccountError, match="school"):
        account_services.update_profile(
            person=amira, by=amira, name="Queen of Everything", email="", bio="", expertise=[]
        )
    amira.refresh_from_db()
    assert amira.name == "Amira Khan-Ellis"
    assert client.get("/api/v1/me").json()["name"] == "Amira Khan-Ellis"


@pytest.mark.parametrize(
    "viewer, full",
    [
        ("amira", True),  # herself
        ("classmate", True),  # a pupil of her school
        ("co_leader", True),  # staff of her school (Alder)
        ("admin", True),  # a site admin, who manages accounts
        ("ben", False),  # a pupil of another school
        ("school_lead", False),  # staff of another school
        ("teacher", False),
        ("foreign_co_leader", False),
    ],
)
def test_who_sees_a_pupils_full_name(world, amira_and_ben, viewer, full, django_assert_num_queries):
    amira, classmate, ben, space, thread = amira_and_ben
    people = {"amira": amira, "classmate": classmate, "ben": ben}
    person = people.get(viewer) or getattr(world, viewer)
    person = Person.objects.get(pk=person.pk)
    author = Person.objects.select_related("pupil_profile", "pupil_school").get(pk=amira.pk)
    access_for(person)  # the viewer's reach, loaded once per request
    with django_assert_num_queries(0):
        seen = policy.name_seen_by(person, author)
    assert seen == ("Amira Khan-Ellis" if full else "Amira, Alder Primary")
