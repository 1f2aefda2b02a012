"""The JSON API under /api/v1/: a session or a personal access token, and errors as JSON.

Routers live with their apps (`networks/api.py`, `accounts/api.py`) and share the types of
`core/api.py`; they parse, call selectors and services, and shape the answer. Who may do what stays
in each app's `policy.py`.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from netlearn.accounts.api import router as accounts_router
from netlearn.accounts.services import person_for_token
from netlearn.activities.api import router as activities_router
from netlearn.charter.api import router as charter_router
from netlearn.core.errors import NetlearnError
from netlearn.decisions.api import router as decisions_router
from netlearn.discussions.api import router as discussions_router
from netlearn.enquiry.api import router as enquiry_router
from netlearn.evaluation.api import router as evaluation_router
from netlearn.exchange.api import router as exchange_router
from netlearn.golden_thread.api import router as golden_thread_router
from netlearn.health.api import router as health_router
from netlearn.impact.api import router as impact_router
from netlearn.library.api import router as library_router
from netlearn.networks.api import router as networks_router
from netlearn.notifications.api import router as notifications_router
from netlearn.programmes.api import router as programmes_router
from netlearn.reports.api import router as reports_router
from netlearn.rostering.api import router as rostering_router


class PersonalAccessToken(HttpBearer):
    """`Authorization: Bearer nl_…`. Browsers never send it by themselves, so no CSRF check."""

    def authenticate(self, request, token):
        person = person_for_token(token)
        if person is None:
            return None
        request.user = person
        # Such a request belongs to no browser's session (accounts/api.py `/me/sessions`).
        request.signed_in_by_token = True
        return person


class SignedInSession(SessionAuth):
    """Django's session, with ninja's CSRF check for unsafe methods.

    Without a signed-in session there is nothing to forge, so the CSRF check is skipped and the
    request answers 401 like any anonymous one: a revoked token, or a stale or made-up session
    cookie, must not answer 403 "CSRF".
    """

    def _get_key(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


class StrictParser(Parser):
    """Every request body of the API is a JSON object, and a parameter that is not a list comes
    once.

    Ninja reads a body of `null` as `{}` (a PATCH that changes nothing answered 200) and fails on
    a list; both answer 400 "Cannot parse request body", like malformed JSON. It reads the last of
    repeated values (`?page=x&page=2` read page 2): they are passed on as a list instead, which the
    parameter's type refuses with 422 like any other value of the wrong type.
    """

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("The request body must be a JSON object.")
        return data

    def parse_querydict(self, data, list_fields, request):
        parsed = super().parse_querydict(data, list_fields, request)
        for key in parsed.keys() - set(list_fields):
            if len(data.getlist(key)) > 1:
                parsed[key] = data.getlist(key)
        return parsed


api = NinjaAPI(
    title="Netlearn API",
    version="1",
    description=(
        "Networks of schools: their schools, people, roles and groups. Writes (POST, PUT, PATCH,"
        " DELETE) accept an `Idempotency-Key` header: a retry with the same key gets the first"
        " answer, marked `Idempotent-Replayed: true`, and changes nothing more."
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # An operation's path as plain text, not a link inside the button that opens it (a link in a
    # button is out of a keyboard's and a screen reader's reach); and no "Try it out", whose
    # request editor is a text area with no label (docs/accessibility.md#the-api-documentation).
    docs=Swagger(settings={"deepLinking": False, "supportedSubmitMethods": []}),
    auth=[PersonalAccessToken(), SignedInSession()],
    parser=StrictParser(),
)
api.add_router("/", networks_router)
api.add_router("/", accounts_router)
api.add_router("/", activities_router)
api.add_router("/", charter_router)
api.add_router("/", golden_thread_router)
api.add_router("/", evaluation_router)
api.add_router("/", reports_router)
api.add_router("/", discussions_router)
api.add_router("/", enquiry_router)
api.add_router("/", library_router)
api.add_router("/", impact_router)
api.add_router("/", notifications_router)
api.add_router("/", decisions_router)
api.add_router("/", exchange_router)
api.add_router("/", health_router)
api.add_router("/", rostering_router)
api.add_router("/", programmes_router)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(
        request, {"detail": _("You do not have permission to do that.")}, status=403
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    # Objects outside the viewer's scope answer exactly like missing ones: say nothing more.
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(NetlearnError)
def rule_broken(request, exc):
    """Every app's errors derive from `NetlearnError`, whose class names the status."""
    return api.create_response(request, {"detail": str(exc)}, status=exc.status)


@api.exception_handler(DjangoValidationError)
def model_validation_failed(request, exc):
    """`full_clean` in a service refused a value: answer like ninja's own 422."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"loc": ["body", field], "msg": message, "type": "value_error"}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"loc": ["body"], "msg": message, "type": "value_error"} for message in exc]
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(IntegrityError)
def conflict(request, exc):
    # A concurrent request won the race for a unique row; the service's transaction rolled back.
    return api.create_response(
        request, {"detail": _("That conflicts with a change made at the same time.")}, status=409
    )
