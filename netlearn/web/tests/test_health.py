"""`/healthz` (docs/operations.md#health): each check named, 503 when one fails, no secrets."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from netlearn.web import health

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def queued(*, due_ago: timedelta) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path="netlearn.library.tasks.extract_file_text",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        run_after=timezone.now() - due_ago,
    )


def test_every_check_passes_on_a_working_site(client, db, settings):
    settings.TASKS = DATABASE_TASKS
    queued(due_ago=timedelta(seconds=5))  # just queued: a worker will take it
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
        "task_worker": "ok",
    }
    assert response["Cache-Control"].startswith("max-age=0")


def test_tasks_run_in_the_request_have_no_worker_to_check(client, db):
    checks = client.get("/healthz").json()["checks"]
    assert checks["task_worker"]["status"] == "skipped"


def test_a_task_left_waiting_means_no_worker_takes_them(client, db, settings):
    settings.TASKS = DATABASE_TASKS
    settings.TASK_WORKER_STALE_SECONDS = 300
    queued(due_ago=timedelta(minutes=6))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["task_worker"] == {
        "status": "fail",
        "error": "tasks have waited over 300 s for a worker",
        "ms": body["checks"]["task_worker"]["ms"],
    }
    assert body["checks"]["database"]["status"] == "ok"


def test_a_finished_old_task_is_no_sign_of_trouble(client, db, settings):
    settings.TASKS = DATABASE_TASKS
    done = queued(due_ago=timedelta(hours=2))
    DBTaskResult.objects.filter(pk=done.pk).update(status="SUCCESSFUL")
    assert client.get("/healthz").status_code == 200


def test_storage_that_cannot_be_written_fails_without_naming_the_path(client, db, settings, media):
    media.parent.mkdir(parents=True, exist_ok=True)
    media.write_text("a file where the media folder should be")
    response = client.get("/healthz")
    assert response.status_code == 503
    storage = response.json()["checks"]["storage"]
    assert storage["status"] == "fail" and storage["error"] == "FileExistsError"
    assert str(media) not in response.content.decode()


def test_storage_leaves_no_probe_behind(client, db, media):
    assert client.get("/healthz").status_code == 200
    assert list(media.iterdir()) == []


def test_an_unreachable_cache_fails(client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["status"] == "fail"


def test_a_database_error_answers_503_and_keeps_its_message_out(client, db, monkeypatch):
    def refused():
        raise OperationalError(
            'connection to server at "10.0.0.5", port 5432 failed: password authentication '
            'failed for user "netlearn" (password=hunter2)'
        )

    monkeypatch.setitem(health.CHECKS, "database", refused)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "status": "fail",
        "error": "OperationalError",
        "ms": response.json()["checks"]["database"]["ms"],
    }
    text = response.content.decode()
    assert "hunter2" not in text and "10.0.0.5" not in text and 'netlearn\\"' not in text


def test_the_check_is_cheap(client, db, settings, django_assert_max_num_queries):
    settings.TASKS = DATABASE_TASKS
    with django_assert_max_num_queries(2):
        assert client.get("/healthz").status_code == 200
