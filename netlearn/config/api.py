"""The JSON API under /api/v1/: a session or a personal access token, and errors as JSON.

Routers live with their apps (`networks/api.py`, `accounts/api.py`); they parse, call selectors and
services, and shape the answer. Who may do what stays in each app's `policy.py`.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from ninja import NinjaAPI
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from netlearn.accounts.api import router as accounts_router
from netlearn.accounts.errors import AccountError
from netlearn.accounts.rate_limits import RateLimited
from netlearn.accounts.services import person_for_token
from netlearn.activities.api import router as activities_router
from netlearn.activities.errors import ActivityError
from netlearn.charter.api import router as charter_router
from netlearn.charter.errors import CharterError
from netlearn.discussions.api import router as discussions_router
from netlearn.discussions.errors import DiscussionError, PostingTooFast
from netlearn.enquiry.api import router as enquiry_router
from netlearn.enquiry.errors import EnquiryError
from netlearn.impact.api import router as impact_router
from netlearn.impact.errors import ImpactError
from netlearn.library.api import router as library_router
from netlearn.library.errors import LibraryError
from netlearn.networks.api import router as networks_router
from netlearn.networks.errors import AlreadyHoldsRole, AlreadyMember, NetworkError
from netlearn.notifications.api import router as notifications_router
from netlearn.notifications.errors import NotificationError


class PersonalAccessToken(HttpBearer):
    """`Authorization: Bearer nl_…`. Browsers never send it by themselves, so no CSRF check."""

    def authenticate(self, request, token):
        person = person_for_token(token)
        if person is None:
            return None
        request.user = person
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


class JSONObjectParser(Parser):
    """Every request body of the API is a JSON object.

    Ninja reads a body of `null` as `{}` (a PATCH that changes nothing answered 200) and fails on
    a list; both answer 400 "Cannot parse request body", like malformed JSON.
    """

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("The request body must be a JSON object.")
        return data


api = NinjaAPI(
    title="Netlearn API",
    version="1",
    description="Networks of schools: their schools, people, roles and groups.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=[PersonalAccessToken(), SignedInSession()],
    parser=JSONObjectParser(),
)
api.add_router("/", networks_router)
api.add_router("/", accounts_router)
api.add_router("/", activities_router)
api.add_router("/", charter_router)
api.add_router("/", discussions_router)
api.add_router("/", enquiry_router)
api.add_router("/", library_router)
api.add_router("/", impact_router)
api.add_router("/", notifications_router)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(
        request, {"detail": "You do not have permission to do that."}, status=403
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    # Objects outside the viewer's scope answer exactly like missing ones: say nothing more.
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(NetworkError)
def network_rule_broken(request, exc):
    status = 409 if isinstance(exc, AlreadyMember | AlreadyHoldsRole) else 400
    return api.create_response(request, {"detail": str(exc)}, status=status)


@api.exception_handler(CharterError)
def charter_rule_broken(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(ActivityError)
def activity_rule_broken(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(LibraryError)
def library_rule_broken(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(EnquiryError)
def enquiry_rule_broken(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(ImpactError)
def impact_rule_broken(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(DiscussionError)
def discussion_rule_broken(request, exc):
    status = 429 if isinstance(exc, PostingTooFast) else 400
    return api.create_response(request, {"detail": str(exc)}, status=status)


@api.exception_handler(NotificationError)
def notification_rule_broken(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(RateLimited)
def rate_limited(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=429)


@api.exception_handler(AccountError)
def account_rule_broken(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


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
        request, {"detail": "That conflicts with a change made at the same time."}, status=409
    )
