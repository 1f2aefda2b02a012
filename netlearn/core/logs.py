"""Structured logs: one JSON object a line on stderr, each record carrying the id of the request
it was written in (docs/operations.md#logs).

`RequestIdMiddleware` takes the client's or the proxy's `X-Request-ID` when it is short and plain,
or makes one; it answers with it in the same header, so a person reporting an error page can
quote the id and an operator can find every line of that request.
"""

import contextvars
import datetime
import json
import logging
import re
import uuid

# Letters, digits and a few separators, at most 128: nothing that could forge a log line, a header
# or a terminal escape, and nothing large enough to bloat every record.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@+=-]{1,128}")
HEADER = "X-Request-ID"

current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "netlearn_request_id", default=None
)


def accepted_request_id(offered: str | None) -> str:
    """The offered id when it is sane, otherwise a new one."""
    if offered and SANE_REQUEST_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Outermost middleware: every record logged while the request runs carries its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accepted_request_id(request.headers.get(HEADER))
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to each record: the running request's, or, for Django's own record of a
    4xx/5xx answer (written after the middleware has returned), the id of the request it names."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = current_request_id.get()
        if request_id is None:
            request_id = getattr(getattr(record, "request", None), "request_id", None)
        record.request_id = request_id
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: newlines in messages and tracebacks are escaped, so a value a
    client sent cannot start a forged line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if getattr(record, "request_id", None):
            entry["request_id"] = record.request_id
        if getattr(record, "status_code", None):
            entry["status"] = record.status_code
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            # The path only: query strings may carry tokens (password reset, calendar feeds).
            entry["method"] = request.method
            entry["path"] = request.path
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """For a person at a terminal (LOG_FORMAT=text): the same fields, one line and a traceback."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = None
        return super().format(record)
