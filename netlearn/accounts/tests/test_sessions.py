"""Where a person is signed in: each browser listed, one signed out, or all but this one
(issue 22, part 4)."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from netlearn.accounts import services
from netlearn.accounts.models import SignedInSession

PASSWORD = "correct horse battery"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def browser(person, agent=FIREFOX) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    answer = client.post(
        reverse("accounts:login"), {"username": person.username, "password": PASSWORD}
    )
    assert answer.status_code == 302, answer.content
    return client


def signed_in(client) -> bool:
    return client.get(reverse("accounts:profile")).status_code == 200


def test_each_sign_in_is_listed_with_its_device_and_this_browser_marked(world):
    laptop = browser(world.teacher)
    browser(world.teacher, SAFARI)
    page = laptop.get(reverse("accounts:profile")).content.decode()
    assert "Firefox on Windows" in page and "Safari on iPhone" in page
    assert page.count("This browser") == 1
    assert SignedInSession.objects.filter(person=world.teacher).count() == 2
    # Nobody else's sign-ins: the co-leader's browser is not on the teacher's page.
    browser(world.co_leader, SAFARI)
    assert laptop.get(reverse("accounts:profile")).content.decode().count("<td>Safari on") == 1


@pytest.mark.parametrize(
    "engine",
    [
        "django.contrib.sessions.backends.db",
        # As with CACHE_URL=redis://… (settings): a session ended in the database alone would
        # stay signed in from the cache.
        "django.contrib.sessions.backends.cached_db",
    ],
)
def test_one_session_is_signed_out_from_another(world, settings, engine):
    settings.SESSION_ENGINE = engine
    laptop, phone = browser(world.teacher), browser(world.teacher, SAFARI)
    phone_record = SignedInSession.objects.get(device="Safari on iPhone")
    answer = laptop.post(reverse("accounts:end_session", args=[phone_record.pk]))
    assert answer.status_code == 302
    assert not signed_in(phone) and signed_in(laptop)
    assert not Session.objects.filter(session_key=phone_record.session_key).exists()


def test_nobody_ends_anothers_session(world):
    theirs = browser(world.co_leader)
    record = SignedInSession.objects.get(person=world.co_leader)
    mine = browser(world.teacher)
    assert mine.post(reverse("accounts:end_session", args=[record.pk])).status_code == 404
    assert signed_in(theirs)


def test_sign_out_everywhere_ends_every_other_session_even_unlisted_ones(world):
    laptop, phone = browser(world.teacher), browser(world.teacher, SAFARI)
    # A session the list does not know of (signed in another way) ends too.
    unlisted = Client()
    unlisted.force_login(world.teacher)
    assert signed_in(unlisted)
    answer = laptop.post(reverse("accounts:sign_out_everywhere"), follow=True)
    assert "Every other browser and device is signed out" in answer.content.decode()
    assert signed_in(laptop)
    assert not signed_in(phone) and not signed_in(unlisted)
    assert list(SignedInSession.objects.filter(person=world.teacher)) == [
        SignedInSession.objects.get(device="Firefox on Windows")
    ]
    # Signing in afresh works, and is listed.
    again = browser(world.teacher, SAFARI)
    assert signed_in(again)
    page = laptop.get(reverse("accounts:profile")).content.decode()
    assert "Safari on iPhone" in page


def test_the_api_lists_ends_and_signs_out_everywhere(world):
    laptop, phone = browser(world.teacher), browser(world.teacher, SAFARI)
    listed = laptop.get("/api/v1/me/sessions").json()
    assert listed["count"] == 2
    assert {(row["device"], row["is_this_session"]) for row in listed["items"]} == {
        ("Firefox on Windows", True),
        ("Safari on iPhone", False),
    }
    assert "session_key" not in str(listed)
    csrf = {"HTTP_X_CSRFTOKEN": "x"}
    ended = laptop.post("/api/v1/me/sessions/end-all", **csrf)
    assert ended.status_code == 200 and ended.json()["ended"] == 1
    assert not signed_in(phone) and signed_in(laptop)
    assert Client().get("/api/v1/me/sessions").status_code == 401


def test_a_personal_data_export_lists_devices_but_never_session_keys(world):
    browser(world.teacher)
    from netlearn.accounts import personal_data

    document = personal_data.export_person_data(person=world.teacher, by=world.teacher)
    rows = document["data"]["accounts.signedinsession"]
    assert rows and rows[0]["device"] == "Firefox on Windows"
    assert "session_key" not in rows[0]


def test_a_token_signs_out_every_session_and_keeps_none(world):
    laptop = browser(world.teacher)
    _, secret = services.create_access_token(person=world.teacher, name="script", by=world.teacher)
    answer = Client().post("/api/v1/me/sessions/end-all", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 200 and answer.json()["ended"] == 1
    assert not signed_in(laptop)
