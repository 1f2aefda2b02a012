"""`Idempotency-Key` for the API's writes: a client that retries a write it never heard back from
gets the first answer again instead of a second row.

The header follows the IETF draft (draft-ietf-httpapi-idempotency-key-header). A write under
/api/ that carries a key runs in one transaction with the record of its key, so the write and the
record commit together or not at all: a worker that dies mid-request leaves neither, and the
retry runs afresh. Then:

- the same key, the same credential and the same request again → the stored answer, with
  `Idempotent-Replayed: true`, and nothing runs;
- the same key with a different request (method, path or body) → 422, nothing runs;
- the same key sent twice at once → the second waits for the first (the key is unique in the
  database) and is answered with its result.

Only successful answers (2xx) are kept: an error changed nothing, so running the request again
is safe and lets a corrected retry through. Keys belong to the credential that sent them (the
bearer token or the session), hashed with the secret key, so nobody else can replay an answer.
Records are forgotten after `IDEMPOTENCY_KEY_HOURS` (24 by default).
"""

import datetime
import hashlib
import hmac
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from netlearn.core.models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
# Printable ASCII without spaces, as most clients make them (UUIDs, ULIDs, random tokens).
SANE_KEY = re.compile(r"[\x21-\x7e]{1,255}")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/api/"


def _credential(request) -> str:
    return request.headers.get("Authorization") or request.COOKIES.get(
        settings.SESSION_COOKIE_NAME, ""
    )


def _keyed(*parts: bytes) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), digestmod=hashlib.sha256)
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _refusal(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def _replay(record: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body), status=record.status, content_type=record.content_type
    )
    response[REPLAYED] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if (
            key is None
            or request.method not in UNSAFE_METHODS
            or not request.path.startswith(API_PREFIX)
        ):
            return self.get_response(request)
        if not SANE_KEY.fullmatch(key):
            return _refusal(
                400,
                _("%(header)s must be 1 to 255 printable characters, no spaces.")
                % {"header": HEADER},
            )
        credential = _credential(request)
        if not credential:
            # Nobody signed in: the API answers 401 whatever the key.
            return self.get_response(request)
        scope = _keyed(credential.encode(), key.encode())
        fingerprint = _keyed(
            request.method.encode(), request.get_full_path().encode(), request.body
        )

        with transaction.atomic():
            forget_expired()
            try:
                with transaction.atomic():
                    record = IdempotentRequest.objects.create(key=scope, fingerprint=fingerprint)
            except IntegrityError:
                record = None  # answered before (or just now, by a request we waited for)
            if record is not None:
                response = self.get_response(request)
                if 200 <= response.status_code < 300 and not response.streaming:
                    record.status = response.status_code
                    record.content_type = response.get("Content-Type", "")
                    record.body = response.content
                    record.save(update_fields=["status", "content_type", "body"])
                else:
                    transaction.set_rollback(True)
                return response

        earlier = IdempotentRequest.objects.filter(key=scope).first()
        if earlier is None:  # forgotten between the two statements: nothing to replay
            return self.get_response(request)
        if not hmac.compare_digest(earlier.fingerprint, fingerprint):
            return _refusal(
                422,
                _("This %(header)s was used for a different request: send a new key.")
                % {"header": HEADER},
            )
        return _replay(earlier)


def forget_expired() -> None:
    cutoff = timezone.now() - datetime.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
