"""The accounts part of the JSON API: who am I, my personal access tokens, and my data."""

import datetime
from enum import StrEnum
from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from netlearn.core import rate_limits
from netlearn.core.api import Detail, Id, Pages, Text

from . import limits, personal_data, selectors, services

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    username: str
    name: str
    email: str
    kind: str
    bio: str
    expertise: list[str]
    is_site_admin: bool = Field(..., alias="is_superuser")
    language: str = Field(
        ..., description="The language of the person's pages; empty: their network's."
    )

    @staticmethod
    def resolve_expertise(person) -> list[str]:
        return [tag.name for tag in person.expertise.all()]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime.datetime
    expires_at: datetime.datetime | None
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    is_active: bool


class NewTokenOut(TokenOut):
    secret: str = Field(..., description="Shown once: only its hash is stored.")


class TokenIn(Schema):
    name: Text = Field(..., min_length=1, max_length=100)
    expires_at: datetime.datetime | None = None


@router.get("/me", response=MeOut)
def get_me(request):
    return request.auth


class AccountLanguage(StrEnum):
    """The languages Netlearn speaks (settings.LANGUAGES); empty: the network's."""

    NETWORK = ""
    ENGLISH_UK = "en-gb"
    ENGLISH_NZ = "en-nz"
    MAORI = "mi"


class LanguageIn(Schema):
    language: AccountLanguage


@router.put("/me/language", response=MeOut)
def set_my_language(request, payload: LanguageIn):
    """Chooses the language of the person's pages (empty: their network's)."""
    return services.set_language(
        person=request.auth, by=request.auth, language=payload.language.value
    )


@router.get("/me/tokens", response=list[TokenOut])
@paginate(Pages)
def list_tokens(request):
    return selectors.tokens_of(person=request.auth)


@router.post("/me/tokens", response={201: NewTokenOut})
def create_token(request, payload: TokenIn):
    token, secret = services.create_access_token(
        person=request.auth, name=payload.name, by=request.auth, expires_at=payload.expires_at
    )
    token.secret = secret
    return Status(201, token)


@router.post("/me/tokens/{token_id}/revoke", response=TokenOut)
def revoke_token(request, token_id: int):
    token = selectors.token_of(person=request.auth, token_id=token_id)
    return services.revoke_access_token(token=token, by=request.auth)


class SessionOut(Schema):
    id: int
    device: str
    signed_in_at: datetime.datetime
    is_this_session: bool = Field(..., description="The session this request was sent in.")


class SignedOutEverywhereOut(Schema):
    ended: int = Field(..., description="How many other signed-in sessions were ended.")
    detail: str


def _this_session_key(request) -> str | None:
    # A request signed in by a token belongs to no browser's session.
    if getattr(request, "signed_in_by_token", False):
        return None
    return request.session.session_key


@router.get("/me/sessions", response=list[SessionOut])
@paginate(Pages)
def list_sessions(request):
    this = _this_session_key(request)
    sessions = list(selectors.sessions_of(person=request.auth))
    for session in sessions:
        session.is_this_session = session.session_key == this
    return sessions


@router.post("/me/sessions/{session_id}/end", response={204: None})
def end_session(request, session_id: int):
    record = selectors.session_of(person=request.auth, session_id=session_id)
    services.end_session(record=record, by=request.auth)
    return Status(204, None)


@router.post("/me/sessions/end-all", response=SignedOutEverywhereOut)
def sign_out_everywhere(request):
    """Ends every signed-in session but the one this request came in (none, with a token).
    Access tokens stay until revoked."""
    this = _this_session_key(request)
    ended = services.sign_out_everywhere(person=request.auth, keep_session_key=this)
    if this:
        update_session_auth_hash(request, request.auth)
    return {
        "ended": ended,
        "detail": _("Signed out everywhere else; tokens stay until revoked."),
    }


class PersonalDataOut(Schema):
    format: str = Field(..., description="netlearn-personal-data/1")
    exported_at: datetime.datetime
    person_id: int
    requested_by: str = Field(..., description="“you”, or “a site administrator”.")
    data: dict[str, list[dict[str, Any]]] = Field(
        ...,
        description="Rows by kind of record (“app.model”). Other people appear as “another "
        "person”; uploaded files are in the zip the web page gives.",
    )


def _count_export(person) -> None:
    limit = limits.PERSONAL_DATA_EXPORTS
    if not limit.attempt(f"person:{person.pk}"):
        raise rate_limits.RateLimited(
            limit,
            _("You have exported personal data %(count)s times within %(window)s. Try again later.")
            % {"count": limit.count, "window": limit.window_text},
        )


# POST, not GET: every export counts against PERSONAL_DATA_EXPORT_LIMIT, and a GET may be
# prefetched or retried by anything on the way.
@router.post("/me/data-export", response={200: PersonalDataOut, 429: Detail})
def export_my_data(request):
    """Everything Netlearn holds about you."""
    _count_export(request.auth)
    return personal_data.export_person_data(person=request.auth, by=request.auth)


@router.post("/people/{person_id}/data-export", response={200: PersonalDataOut, 429: Detail})
def export_person_data(request, person_id: Id):
    """Site admins: everything held about a person, to answer a subject access request."""
    person = selectors.person_for_site_admin(viewer=request.auth, person_id=person_id)
    _count_export(request.auth)
    return personal_data.export_person_data(person=person, by=request.auth)
