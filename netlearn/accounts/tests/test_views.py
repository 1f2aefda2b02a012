import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from netlearn.accounts import services
from netlearn.accounts.models import AccessToken
from netlearn.networks.tests.world import PASSWORD


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_staff_sign_in_with_email_and_pupils_with_username(world, client):
    response = client.post(
        reverse("accounts:login"), {"username": world.co_leader.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": "pupil", "password": PASSWORD})
    assert response.status_code == 302


def test_the_sixth_failed_sign_in_within_30_minutes_answers_429(world, client):
    url = reverse("accounts:login")
    for _ in range(5):
        assert client.post(url, {"username": "teacher", "password": "wrong"}).status_code == 200
    response = client.post(url, {"username": "teacher", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_that_sets_a_new_password(
    world, client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://netlearn.example.org/"
    with django_capture_on_commit_callbacks(execute=True) as queued:
        client.post(reverse("accounts:password_reset"), {"email": world.teacher.email})
        # The mail waits for the commit, and goes from a task like every other email.
        assert len(mail.outbox) == 0
    assert len(queued) == 1 and len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your Netlearn password"
    assert mail.outbox[0].to == [world.teacher.email]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    assert link.startswith("https://netlearn.example.org/accounts/reset/")
    path = link.removeprefix("https://netlearn.example.org")
    response = client.get(path, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {
            "new_password1": "a much better passphrase",
            "new_password2": "a much better passphrase",
        },
    )
    assert response.status_code == 302
    world.teacher.refresh_from_db()
    assert world.teacher.check_password("a much better passphrase")


def test_a_person_creates_sees_once_and_revokes_a_token(world, client):
    client.force_login(world.teacher)
    response = client.post(reverse("accounts:create_token"), {"name": "MIS sync"})
    assert response.status_code == 200
    secret = response.context["new_secret"]
    assert secret.startswith("nl_") and secret in response.content.decode()
    token = AccessToken.objects.get(person=world.teacher)
    assert secret not in token.token_hash
    page = client.get(reverse("accounts:profile")).content.decode()
    assert secret not in page and "MIS sync" in page
    client.post(reverse("accounts:revoke_token", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_token_without_a_name_is_refused_and_nothing_is_stored(world, client):
    client.force_login(world.teacher)
    response = client.post(reverse("accounts:create_token"), {"name": "  "})
    assert response.status_code == 400
    assert not AccessToken.objects.exists()


def test_nobody_revokes_another_persons_token(world, client):
    client.force_login(world.co_leader)
    client.post(reverse("accounts:create_token"), {"name": "Mine"})
    token = AccessToken.objects.get()
    client.force_login(world.teacher)
    assert client.post(reverse("accounts:revoke_token", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_profile_edit_keeps_email_unique_and_pupils_minimal(world, client):
    client.force_login(world.teacher)
    url = reverse("accounts:edit_profile")
    response = client.post(
        url, {"name": "Tia T", "email": world.co_leader.email, "bio": "", "expertise": ""}
    )
    assert response.status_code == 200 and "already uses" in response.content.decode()
    world.teacher.refresh_from_db()
    assert world.teacher.name == "Tia Teacher"
    client.post(
        url,
        {
            "name": "Tia T",
            "email": "tia@example.org",
            "bio": "Writing",
            "expertise": "Lesson study, KS2 writing",
        },
    )
    world.teacher.refresh_from_db()
    assert sorted(world.teacher.expertise.values_list("name", flat=True)) == [
        "KS2 writing",
        "Lesson study",
    ]
    client.force_login(world.pupil)
    client.post(
        url, {"name": "Pip", "email": "pip@example.org", "bio": "My address is", "expertise": "x"}
    )
    world.pupil.refresh_from_db()
    assert (world.pupil.email, world.pupil.bio) == ("", "")


def test_a_token_expiry_with_an_extreme_offset_is_stored_in_utc(world):
    far_east = datetime.timezone(datetime.timedelta(hours=23, minutes=59))
    expires = datetime.datetime(2030, 1, 1, 12, tzinfo=far_east)
    token, _ = services.create_access_token(
        person=world.teacher, name="Odd clock", by=world.teacher, expires_at=expires
    )
    token.refresh_from_db()
    assert token.expires_at == expires
