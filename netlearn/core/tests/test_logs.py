"""Errors reach the log with their traceback and the request's id (docs/operations.md#logs)."""

import io
import json
import logging

import pytest
from django.test import Client

from netlearn.core.logs import HEADER, RequestIdFilter, accepted_request_id


def console_of(logger_name: str) -> logging.Handler:
    """The handler LOGGING gives the logger (pytest adds its own capturing ones beside it)."""
    (console,) = [
        handler
        for handler in logging.getLogger(logger_name).handlers
        if any(isinstance(found, RequestIdFilter) for found in handler.filters)
    ]
    return console


@pytest.fixture
def log_lines(settings):
    """What the configured console handler writes (the real formatter and filter), as JSON."""
    settings.ROOT_URLCONF = "netlearn.core.tests.raising_urls"
    handler = console_of("django")
    written = io.StringIO()
    previous = handler.setStream(written)
    try:
        yield lambda: [json.loads(line) for line in written.getvalue().splitlines()]
    finally:
        handler.setStream(previous)


def test_a_failing_view_is_logged_with_its_traceback_and_request_id(db, log_lines):
    client = Client(raise_request_exception=False)
    response = client.get("/test-boom/", headers={HEADER: "lb-7f3a.42"})
    assert response.status_code == 500
    assert response[HEADER] == "lb-7f3a.42"
    (record,) = [line for line in log_lines() if line["logger"] == "django.request"]
    assert record["level"] == "ERROR" and record["status"] == 500
    assert record["request_id"] == "lb-7f3a.42"
    assert record["path"] == "/test-boom/"
    assert "Traceback" in record["exception"]
    assert 'raise Boom("the view fell over")' in record["exception"]


def test_a_request_without_an_id_gets_one_in_the_header_and_the_log(db, log_lines):
    response = Client(raise_request_exception=False).get("/test-boom/")
    made = response[HEADER]
    assert len(made) == 32
    (record,) = [line for line in log_lines() if line["logger"] == "django.request"]
    assert record["request_id"] == made


@pytest.mark.parametrize(
    "hostile",
    [
        "abc\ndef",
        'abc"}\n{"level": "INFO", "message": "forged',
        "a" * 10_000,
        "x\x1b[31m",
        "",
        "with space",
    ],
)
def test_a_hostile_request_id_is_replaced(db, log_lines, hostile):
    response = Client(raise_request_exception=False).get("/test-boom/", headers={HEADER: hostile})
    replaced = response[HEADER]
    assert replaced != hostile and len(replaced) == 32 and replaced.isalnum()
    lines = log_lines()
    (record,) = [line for line in lines if line["logger"] == "django.request"]
    assert record["request_id"] == replaced
    assert all("forged" not in line["message"] for line in lines)


def test_every_record_of_a_request_carries_its_id(db, log_lines, settings):
    seen = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record)

    # A record of the app's own, written in the middle of the request: the filter gives it the
    # request's id on its way out through the console handler.
    logger = logging.getLogger("netlearn.web")
    console = console_of("netlearn")
    keep = Keep()
    keep.addFilter(console.filters[0])
    logger.addHandler(keep)
    from netlearn.web import views

    original = views.checks.run_checks

    def run_and_log():
        logger.warning("checking health")
        return original()

    views.checks.run_checks = run_and_log
    try:
        response = Client().get("/healthz", headers={HEADER: "probe-1"})
    finally:
        views.checks.run_checks = original
        logger.removeHandler(keep)
    assert response[HEADER] == "probe-1"
    assert [record.request_id for record in seen] == ["probe-1"]


def test_a_sane_id_is_kept_and_an_overlong_one_is_not():
    assert accepted_request_id("0f8e-aa:01@edge") == "0f8e-aa:01@edge"
    assert accepted_request_id("a" * 128) == "a" * 128
    assert accepted_request_id("a" * 129) != "a" * 129
