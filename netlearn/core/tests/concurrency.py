"""Requests released at the same moment, each thread on its own database connection.

An in-memory SQLite database is shared between threads through SQLite's shared cache, which
refuses a second writer at once instead of waiting: tests using `at_once` carry `pytestmark`
below, so they run on PostgreSQL (and on SQLite files through `netlearn serve` elsewhere).
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection

_DATABASE = settings.DATABASES["default"]
IN_MEMORY_SQLITE = _DATABASE["ENGINE"].endswith("sqlite3") and _DATABASE["NAME"] in ("", ":memory:")
THREADED = [
    pytest.mark.skipif(IN_MEMORY_SQLITE, reason="threads cannot wait for a shared-cache writer"),
    pytest.mark.django_db(transaction=True),
]


def at_once(calls):
    """Runs the calls in threads released together; each thread's connection closes after."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            return call()
        except Exception as error:  # the test client re-raises what a browser would see as a 500
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def status(answer) -> int:
    """An answer's status code; an exception raised in the request counts as the 500 it was."""
    return getattr(answer, "status_code", 500)
