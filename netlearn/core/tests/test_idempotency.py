"""`Idempotency-Key` on the API's writes (core/idempotency.py): a retry gets the first answer."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from netlearn.accounts import services
from netlearn.accounts.models import AccessToken
from netlearn.core.models import IdempotentRequest
from netlearn.core.tests.concurrency import THREADED, at_once, status

TOKENS = "/api/v1/me/tokens"


def bearer_client(person) -> tuple[Client, dict]:
    _, secret = services.create_access_token(person=person, name="Retrying client", by=person)
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def make_token(client, headers, name="Sync", key="k-1"):
    return client.post(
        TOKENS,
        {"name": name},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **headers,
    )


def made(person) -> int:
    return AccessToken.objects.filter(person=person, name__in=["Sync", "Other"]).count()


def test_a_retried_write_gets_the_first_answer_and_runs_once(world):
    client, headers = bearer_client(world.teacher)
    first = make_token(client, headers)
    again = make_token(client, headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()  # the same secret: the retry made nothing new
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert made(world.teacher) == 1


def test_without_a_key_every_write_runs(world):
    client, headers = bearer_client(world.teacher)
    for _ in range(2):
        client.post(TOKENS, {"name": "Sync"}, content_type="application/json", **headers)
    assert made(world.teacher) == 2


def test_a_key_reused_for_another_request_is_refused_and_changes_nothing(world):
    client, headers = bearer_client(world.teacher)
    make_token(client, headers, name="Sync")
    other = make_token(client, headers, name="Other")
    assert other.status_code == 422
    assert "different request" in other.json()["detail"]
    assert made(world.teacher) == 1


def test_keys_belong_to_the_credential_that_sent_them(world):
    teacher, teacher_headers = bearer_client(world.teacher)
    other, other_headers = bearer_client(world.foreign_teacher)
    mine = make_token(teacher, teacher_headers, key="shared")
    theirs = make_token(other, other_headers, key="shared")
    assert theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs
    assert theirs.json()["secret"] != mine.json()["secret"]
    assert (made(world.teacher), made(world.foreign_teacher)) == (1, 1)


def test_a_refused_write_is_not_kept_so_a_corrected_retry_runs(world):
    client, headers = bearer_client(world.teacher)
    refused = make_token(client, headers, name="", key="fix-me")
    assert refused.status_code == 422
    assert not IdempotentRequest.objects.exists()
    corrected = make_token(client, headers, name="Sync", key="fix-me")
    assert corrected.status_code == 201
    assert made(world.teacher) == 1


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "é"])
def test_a_malformed_key_is_refused_before_anything_runs(world, key):
    client, headers = bearer_client(world.teacher)
    response = make_token(client, headers, key=key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert made(world.teacher) == 0


def test_reads_and_pages_ignore_the_key(world):
    client, headers = bearer_client(world.teacher)
    for _ in range(2):
        assert client.get(TOKENS, HTTP_IDEMPOTENCY_KEY="k", **headers).status_code == 200
    assert not IdempotentRequest.objects.exists()


def test_answers_are_forgotten_after_a_day(world):
    client, headers = bearer_client(world.teacher)
    make_token(client, headers)
    IdempotentRequest.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    again = make_token(client, headers)
    assert "Idempotent-Replayed" not in again
    assert made(world.teacher) == 2
    assert IdempotentRequest.objects.count() == 1


def test_nothing_stored_names_the_key_or_the_person(world):
    client, headers = bearer_client(world.teacher)
    make_token(client, headers, key="visible-key")
    record = IdempotentRequest.objects.get()
    stored = f"{record.key} {record.fingerprint}"
    assert "visible-key" not in stored
    assert headers["HTTP_AUTHORIZATION"].split()[1] not in stored


class TestSentTwiceAtOnce:
    pytestmark = THREADED

    def test_the_second_waits_and_is_answered_with_the_first(self, world):
        client, headers = bearer_client(world.teacher)
        answers = at_once([lambda: make_token(Client(), headers, key="race")] * 2)
        assert [status(answer) for answer in answers] == [201, 201]
        assert answers[0].json() == answers[1].json()
        assert made(world.teacher) == 1
