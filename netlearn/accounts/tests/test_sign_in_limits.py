"""The sign-in limit counts per account whichever name is typed, counts atomically, and logs
(docs/safety.md#rate-limits). test_limits_served.py runs the same against `netlearn serve`."""

import datetime
import logging
import threading
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.cache import caches
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netlearn.accounts.limits import PASSWORD_RESETS, SIGN_IN_FAILURES
from netlearn.core import rate_limits
from netlearn.core.models import LimitCount
from netlearn.core.rate_limits import Limit
from netlearn.networks.tests.world import PASSWORD

SIGN_IN = "/accounts/sign-in/"


def sign_in(username, password, address):
    return Client().post(SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_username_and_email_count_against_one_account(world, caplog):
    names = ["teacher", world.teacher.email, world.teacher.email.upper()]
    with caplog.at_level(logging.INFO, logger="netlearn.accounts"):
        for n in range(5):
            assert sign_in(names[n % 3], "wrong", f"10.1.0.{n}").status_code == 200
        assert sign_in("teacher", "wrong", "10.1.0.5").status_code == 429
        response = sign_in(world.teacher.email, PASSWORD, "10.1.0.6")
    assert response.status_code == 429
    assert "Too many failed sign-ins. Wait 30 minutes" in response.content.decode()
    assert "_auth_user_id" not in response.client.session
    assert sign_in(world.co_leader.email, PASSWORD, "10.1.0.7").status_code == 302
    # Sign-ins, failures and the limit are logged; the email typed is not.
    account = f"person:{world.teacher.pk}"
    assert f"Failed sign-in for {account} from 10.1.0.0" in caplog.text
    assert f"Rate limit sign-in-failures reached for {account}, ip:10.1.0.6" in caplog.text
    assert f"Sign-in by person:{world.co_leader.pk} from 10.1.0.7" in caplog.text
    assert world.teacher.email not in caplog.text.lower()


def test_a_name_that_is_no_account_is_limited_alike(db):
    for n in range(5):
        assert sign_in("nobody@example.org", "wrong", f"10.2.0.{n}").status_code == 200
    assert sign_in("NOBODY@example.org", "wrong", "10.2.0.9").status_code == 429


def test_the_admins_sign_in_page_is_held_by_the_same_limit(world):
    for n in range(5):
        assert sign_in("admin", "wrong", f"10.3.0.{n}").status_code == 200
    client = Client()
    response = client.post(
        "/admin/login/", {"username": "admin", "password": PASSWORD}, REMOTE_ADDR="10.3.0.9"
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_good_sign_in_clears_the_account_and_gives_the_address_its_attempt_back(world):
    address = "10.4.0.1"
    for name in ("teacher", "teacher", "someone", "else"):
        assert sign_in(name, "wrong", address).status_code == 200
    assert sign_in("teacher", PASSWORD, address).status_code == 302
    assert SIGN_IN_FAILURES.count_of(f"person:{world.teacher.pk}") == 0
    assert SIGN_IN_FAILURES.count_of(f"ip:{address}") == 4
    # One more failure from the address, and it is limited whatever account it tries.
    assert sign_in("partner", "wrong", address).status_code == 200
    assert sign_in("co_leader", PASSWORD, address).status_code == 429


def test_the_sixth_failure_from_one_address_answers_429_whatever_the_account(world):
    for n in range(5):
        assert sign_in(f"guess{n}", "wrong", "10.5.0.1").status_code == 200
    assert sign_in("teacher", PASSWORD, "10.5.0.1").status_code == 429
    assert sign_in("teacher", PASSWORD, "10.5.0.2").status_code == 302


def test_a_window_that_ended_starts_again_and_old_counts_are_deleted(db, settings):
    settings.CSV_TEST_LIMIT, settings.CSV_TEST_WINDOW = 2, 60
    limit = Limit("csv-test", "CSV_TEST_LIMIT", "CSV_TEST_WINDOW")
    assert limit.attempt("person:1") and limit.attempt("person:1")
    assert not limit.attempt("person:1")
    LimitCount.objects.update(window_ends_at=timezone.now() - datetime.timedelta(seconds=1))
    assert limit.attempt("person:1") and limit.count_of("person:1") == 1
    LimitCount.objects.update(window_ends_at=timezone.now() - datetime.timedelta(days=2))
    assert limit.attempt("person:2")  # a new key tidies away counts ended long ago
    assert limit.count_of("person:1") == 0 and LimitCount.objects.count() == 1


def test_the_store_holds_no_address_or_email_in_the_clear(world):
    sign_in(world.teacher.email, "wrong", "10.6.0.1")
    Client().post(reverse("accounts:password_reset"), {"email": "x@example.org"})
    stored = " ".join(LimitCount.objects.values_list("key", flat=True))
    assert "10.6.0.1" not in stored and "example.org" not in stored
    assert PASSWORD_RESETS.count_of("email:x@example.org") == 1


def test_a_refused_attempt_counts_nothing_for_any_key(db, settings):
    settings.CSV_TEST_LIMIT, settings.CSV_TEST_WINDOW = 1, 60
    limit = Limit("csv-test", "CSV_TEST_LIMIT", "CSV_TEST_WINDOW")
    assert limit.attempt("ip:10.7.0.1")
    assert not limit.attempt("email:a@example.org", "ip:10.7.0.1")
    assert limit.count_of("email:a@example.org") == 0
    assert limit.attempt("email:a@example.org", "ip:10.7.0.2")


def test_counting_in_a_shared_cache_refuses_alike(db, settings, monkeypatch):
    # Redis and memcached count in the cache (their incr is atomic); LocMemCache stands in here
    # for the same code path, and test_limits_served.py runs it against a real Redis.
    store = rate_limits._CacheCounts(caches["default"])
    monkeypatch.setattr(rate_limits, "_counts", lambda: store)
    settings.CSV_TEST_LIMIT, settings.CSV_TEST_WINDOW = 2, 60
    limit = Limit("csv-test", "CSV_TEST_LIMIT", "CSV_TEST_WINDOW")
    assert limit.attempt("person:1", "ip:1") and limit.attempt("person:1", "ip:2")
    assert not limit.attempt("person:1", "ip:3")
    assert limit.count_of("person:1") == 2 and limit.count_of("ip:3") == 0
    limit.give_back("person:1")
    assert limit.attempt("person:1")
    limit.clear("person:1")
    assert limit.count_of("person:1") == 0 and not LimitCount.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_on_postgresql_pass_exactly_the_limit(settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: test_limits_served.py races it for real")
    settings.CSV_TEST_LIMIT, settings.CSV_TEST_WINDOW = 5, 60
    limit = Limit("csv-test", "CSV_TEST_LIMIT", "CSV_TEST_WINDOW")
    start = threading.Barrier(16)
    results = []

    def attempt(n):
        try:
            start.wait()
            results.append(limit.attempt("email:race@example.org", f"ip:10.8.0.{n}"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 11 + [True] * 5
    assert limit.count_of("email:race@example.org") == 5


def test_a_new_password_from_the_emailed_link_lifts_the_limit(
    world, client, django_capture_on_commit_callbacks
):
    for n in range(6):
        sign_in("teacher", "wrong", f"10.9.0.{n}")
    assert sign_in("teacher", PASSWORD, "10.9.0.9").status_code == 429
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": world.teacher.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    form_page = client.get(urlsplit(link).path, follow=True).redirect_chain[-1][0]
    new_password = "a much better passphrase"
    client.post(form_page, {"new_password1": new_password, "new_password2": new_password})
    assert sign_in("teacher", new_password, "10.9.0.9").status_code == 302
