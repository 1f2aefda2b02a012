"""What `/healthz` checks (docs/operations.md#health): the database, the cache, storage and the
task worker. Each check is one small operation, so a load balancer may ask every few seconds.

A failed check answers with the name of the error's class only: messages can name hosts, users
or paths (a refused PostgreSQL connection names all three); the log has the whole error.
"""

import logging
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

logger = logging.getLogger("netlearn.health")

OK, FAIL, SKIPPED = "ok", "fail", "skipped"


class Unhealthy(Exception):
    """A check ran and found a problem it can describe without secrets."""


def check_database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return None


def check_cache() -> str | None:
    key, token = "netlearn:healthz", uuid.uuid4().hex
    cache.set(key, token, timeout=30)
    if cache.get(key) != token:
        raise Unhealthy("the cache did not return what was just stored")
    return None


def check_storage() -> str | None:
    backend = settings.STORAGES["default"]["BACKEND"]
    if not backend.endswith("FileSystemStorage"):
        # A bucket round trip per probe costs money and time; the provider watches the bucket.
        return SKIPPED
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    # Writing is the test: permissions, a read-only mount and a full disk all fail it.
    with tempfile.NamedTemporaryFile(dir=media, prefix=".healthz-") as probe:
        probe.write(b"ok")
        probe.flush()
    return None


def check_task_worker() -> str | None:
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if not backend.startswith("django_tasks_db"):
        return SKIPPED  # tasks run in the request, or on a backend that watches itself
    from django_tasks_db.models import DBTaskResult

    # No worker heartbeat in the database queue: a task still waiting long after it was due
    # means no worker is taking tasks (dead, stuck or never started).
    due_long_ago = timezone.now() - timedelta(seconds=settings.TASK_WORKER_STALE_SECONDS)
    if DBTaskResult.objects.ready().filter(run_after__lt=due_long_ago).exists():
        raise Unhealthy(
            f"tasks have waited over {settings.TASK_WORKER_STALE_SECONDS} s for a worker"
        )
    return None


CHECKS: dict[str, Callable[[], str | None]] = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "task_worker": check_task_worker,
}


def run_checks() -> tuple[bool, dict]:
    """Whether all checks pass, and each check's status, time and (on failure) reason."""
    results, healthy = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            result = {"status": check() or OK}
        except Unhealthy as problem:
            result = {"status": FAIL, "error": str(problem)}
        except Exception as error:  # any failure is an unhealthy answer, never a 500
            logger.exception("Health check %s failed", name)
            result = {"status": FAIL, "error": type(error).__name__}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        healthy = healthy and result["status"] != FAIL
        results[name] = result
    return healthy, results
