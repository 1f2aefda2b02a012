"""Rate limits on password resets and personal-data exports (docs/safety.md#rate-limits)."""

import logging

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from netlearn.accounts.limits import PASSWORD_RESETS
from netlearn.core.rate_limits import Limit

API = "/api/v1"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def reset(client, email, address="10.0.0.1"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


@pytest.mark.parametrize("known", [True, False])
def test_the_sixth_reset_for_one_address_within_an_hour_answers_429(
    world, known, caplog, django_capture_on_commit_callbacks
):
    email = world.teacher.email if known else "nobody@example.org"
    client = Client()
    # Five from five different clients: the address's own count refuses the sixth.
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            response = reset(client, email, address=f"10.0.0.{n}")
            assert response.status_code == 302
            assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == (5 if known else 0)
    with (
        django_capture_on_commit_callbacks(execute=True),
        caplog.at_level(logging.WARNING, logger="netlearn.core.rate_limits"),
    ):
        response = reset(client, email, address="10.0.0.99")
    assert response.status_code == 429
    assert "Too many password reset requests" in response.content.decode()
    assert len(mail.outbox) == (5 if known else 0)
    # Logged, with the client's address but never the email address itself.
    assert "Rate limit password-reset reached" in caplog.text
    assert "10.0.0.99" in caplog.text and email not in caplog.text


def test_the_sixth_reset_from_one_client_answers_429_whatever_the_address(
    world, django_capture_on_commit_callbacks
):
    client = Client()
    for n in range(5):
        assert reset(client, f"someone{n}@example.org").status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert reset(client, world.teacher.email).status_code == 429
    assert len(mail.outbox) == 0
    # Another client asking for another address is not held up.
    assert reset(client, "another@example.org", address="10.0.0.2").status_code == 302


def test_a_refused_reset_is_not_counted_again(world, settings):
    settings.PASSWORD_RESET_LIMIT = 1
    client = Client()
    assert reset(client, world.teacher.email).status_code == 302
    for _ in range(3):
        assert reset(client, world.teacher.email).status_code == 429
    assert PASSWORD_RESETS.count_of(f"email:{world.teacher.email}") == 1


def test_the_fourth_export_within_an_hour_answers_429(world, caplog):
    client = Client()
    client.force_login(world.teacher)
    for _ in range(3):
        assert client.post(reverse("accounts:my_data")).status_code == 200
    with caplog.at_level(logging.WARNING, logger="netlearn.core.rate_limits"):
        response = client.post(reverse("accounts:my_data"))
    assert response.status_code == 429
    assert "Try again later" in response.content.decode()
    assert f"person:{world.teacher.pk}" in caplog.text
    # Another person's exports are theirs to count.
    client.force_login(world.co_leader)
    assert client.post(reverse("accounts:my_data")).status_code == 200


def test_api_exports_share_the_limit_and_answer_429_as_json(world):
    client = Client()
    client.force_login(world.teacher)
    assert client.post(reverse("accounts:my_data")).status_code == 200
    for _ in range(2):
        response = client.post(f"{API}/me/data-export", content_type="application/json")
        assert response.status_code == 200
    response = client.post(f"{API}/me/data-export", content_type="application/json")
    assert response.status_code == 429
    assert "Try again later" in response.json()["detail"]


def test_the_api_export_describes_the_person(world):
    client = Client()
    client.force_login(world.teacher)
    body = client.post(f"{API}/me/data-export", content_type="application/json").json()
    assert body["person_id"] == world.teacher.pk and body["requested_by"] == "you"
    assert body["data"]["accounts.person"][0]["username"] == "teacher"
    assert body["data"]["networks.staffpost"][0]["job_title"] == "Teacher of English"


@pytest.mark.parametrize("role", ["pupil", "member", "co_leader", "data_lead"])
def test_only_site_admins_export_another_person_through_the_api(world, role):
    client = Client()
    client.force_login(world.people_by_role()[role])
    url = f"{API}/people/{world.partner.pk}/data-export"
    assert client.post(url, content_type="application/json").status_code == 404
    client.force_login(world.admin)
    body = client.post(url, content_type="application/json").json()
    assert body["person_id"] == world.partner.pk
    assert body["requested_by"] == "a site administrator"


def test_a_limit_reads_its_figures_from_settings(db, settings):
    limit = Limit("csv-export", "CSV_TEST_LIMIT", "CSV_TEST_WINDOW")
    settings.CSV_TEST_LIMIT, settings.CSV_TEST_WINDOW = 2, 90 * 60
    assert limit.attempt("person:1") and limit.attempt("person:1")
    assert not limit.attempt("person:1")
    assert limit.attempt("person:2")
    assert limit.window_text == "90 minutes"
    limit.clear("person:1")
    assert limit.attempt("person:1")


def test_a_site_admins_exports_count_against_the_admin(world):
    client = Client()
    client.force_login(world.admin)
    url = reverse("accounts:person_data", args=[world.teacher.pk])
    for _ in range(3):
        assert client.post(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Try again later" in page and "Records that refer to Tia Teacher" in page


def test_a_window_another_request_opens_meanwhile_is_counted_in_not_refused(
    db, settings, monkeypatch
):
    """On PostgreSQL each statement reads afresh: a first attempt's UPDATE can miss a window that
    another request commits just before the next read. That attempt counts in the window."""
    import datetime

    from django.db.models import QuerySet
    from django.utils import timezone

    from netlearn.core.models import LimitCount

    limit = Limit("csv-export", "CSV_TEST_LIMIT", "CSV_TEST_WINDOW")
    settings.CSV_TEST_LIMIT, settings.CSV_TEST_WINDOW = 5, 60
    original = QuerySet.update
    raced = []

    def update_after_another_request(self, **kwargs):
        if self.model is LimitCount and not raced:
            raced.append(True)
            # The row another request commits just after our UPDATE missed it.
            LimitCount.objects.create(
                key=limit._store_key("person:1"),
                count=1,
                window_ends_at=timezone.now() + datetime.timedelta(seconds=60),
            )
            return 0
        return original(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update_after_another_request)
    assert limit.attempt("person:1")
    assert raced
    assert LimitCount.objects.get().count == 2
