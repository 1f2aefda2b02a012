import datetime
import secrets
from importlib import import_module

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from netlearn.core.deferred import after_commit
from netlearn.core.languages import is_language

from . import policy
from .errors import AccountError
from .models import AccessToken, Expertise, Person, SignedInSession, hash_token

TOKEN_PREFIX = "nl_"


@transaction.atomic
def create_access_token(
    *, person: Person, name: str, by: Person, expires_at: datetime.datetime | None = None
) -> tuple[AccessToken, str]:
    """Makes a personal access token. Returns it with its secret, which is never stored."""
    if not policy.can_manage_tokens(by, person):
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise AccountError(_("Give the token a name that says what it is for."))
    if expires_at is not None:
        if timezone.is_naive(expires_at):
            raise AccountError(_("Give the expiry time with its time zone."))
        # Stored in UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts.
        expires_at = expires_at.astimezone(datetime.UTC)
        if expires_at <= timezone.now():
            raise AccountError(_("A token must expire in the future."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        person=person,
        name=name,
        prefix=secret[:10],
        token_hash=hash_token(secret),
        expires_at=expires_at,
    )
    return token, secret


@transaction.atomic
def revoke_access_token(*, token: AccessToken, by: Person) -> AccessToken:
    if not policy.can_manage_tokens(by, token.person):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def person_for_token(secret: str) -> Person | None:
    """The active person a token secret belongs to, recording when the token was last used."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        AccessToken.objects.active()
        .select_related("person")
        .filter(token_hash=hash_token(secret))
        .first()
    )
    if token is None or not token.person.is_active:
        return None
    now = timezone.now()
    # Write at most once a minute per token: the API is read far more often than tokens change.
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person


@transaction.atomic
def update_profile(
    *, person: Person, by: Person, name: str, email: str, bio: str, expertise: list[str]
) -> Person:
    if not policy.can_change_account(by, person):
        raise PermissionDenied
    if person.is_pupil:
        # Pupils keep minimal data: no bio, no email, no expertise (ICO Children's Code).
        bio, email, expertise = "", "", []
        if name.strip() != person.name and not by.is_superuser:
            # A pupil's name is the one their school recorded; staff of other schools and pupils
            # in network-wide spaces must be able to trust it (discussions: public names).
            raise AccountError(_("Your school looks after your name: ask a teacher to change it."))
    if email and Person.objects.filter(email__iexact=email).exclude(pk=person.pk).exists():
        raise AccountError(_("Another account already uses that email address."))
    person.name, person.email, person.bio = name.strip(), email.strip(), bio.strip()
    person.full_clean(exclude=["password"])
    person.save(update_fields=["name", "email", "bio"])
    set_expertise(person=person, names=expertise)
    return person


def set_language(*, person: Person, by: Person, language: str) -> Person:
    """Records the language of the person's pages; an empty string hands the choice back to
    their network (netlearn/core/languages.py)."""
    if not policy.can_change_account(by, person):
        raise PermissionDenied
    if language and not is_language(language):
        raise AccountError(_("Netlearn does not speak that language yet."))
    person.language = language
    person.save(update_fields=["language"])
    return person


def set_expertise(*, person: Person, names: list[str]) -> None:
    cleaned = {name.strip().lower(): name.strip() for name in names if name.strip()}
    tags = []
    for key, label in cleaned.items():
        tag = Expertise.objects.filter(name__iexact=key).first()
        tags.append(tag or Expertise.objects.create(name=label[:80]))
    person.expertise.set(tags)


@transaction.atomic
def create_person(
    *,
    username: str,
    name: str,
    kind: str = "staff",
    email: str = "",
    password: str | None = None,
    bio: str = "",
    expertise: list[str] | None = None,
    is_demo: bool = False,
    **extra,
) -> Person:
    """Creates an account. For trusted callers only (admin, imports, the demo)."""
    person = Person.objects.create_user(
        username=username,
        email=email,
        password=password,
        name=name,
        kind=kind,
        bio=bio,
        is_demo=is_demo,
        **extra,
    )
    if expertise:
        set_expertise(person=person, names=expertise)
    return person


def _free_username(email: str) -> str:
    base = "".join(ch for ch in email.split("@")[0].lower() if ch.isalnum() or ch in "._-")[:30]
    base = base or "person"
    username, suffix = base, 1
    while Person.objects.filter(username=username).exists():
        suffix += 1
        username = f"{base}{suffix}"
    return username


@transaction.atomic
def create_person_for_single_sign_on(*, name: str, email: str, is_demo: bool = False) -> Person:
    """An account for someone whose address a single sign-on provider verified, waiting in a
    school's join queue: no password (they sign in through the provider only) and, until the
    school's lead approves, no post, so nothing of any network (networks/services/sign_in.py)."""
    email = email.strip()
    if Person.objects.filter(email__iexact=email).exists():
        raise AccountError(_("Another account already uses that email address."))
    name = name.strip()[:150] or email.split("@")[0]
    return create_person(
        username=_free_username(email),
        name=name,
        email=email,
        kind="staff",
        password=None,
        is_demo=is_demo,
    )


def close_account_made_for_join_request(*, person: Person) -> None:
    """A declined join request closes the account it made: it signs in no more."""
    Person.objects.filter(pk=person.pk).update(is_active=False)
    person.is_active = False


@transaction.atomic
def invite_person(*, name: str, email: str, kind: str, invited_by: Person, **extra) -> Person:
    """Creates an account with an unknown password and emails its owner a link to choose one.

    For services that have already checked the inviter's right to add this person.
    """
    name, email = name.strip(), email.strip()
    if not name or not email:
        raise AccountError(_("Give the person's name and email address."))
    if Person.objects.filter(email__iexact=email).exists():
        raise AccountError(_("Another account already uses that email address."))
    person = create_person(
        username=_free_username(email), name=name, email=email, kind=kind, **extra
    )
    # A random password nobody knows, not an unusable one: Django's password reset only serves
    # accounts with a usable password, and the invitation is a password reset.
    person.set_password(secrets.token_urlsafe(32))
    person.save(update_fields=["password"])
    after_commit("netlearn.accounts.tasks.send_invitation", person.pk, invited_by.pk)
    return person


def send_invitation(*, person_id: int, invited_by_id: int) -> None:
    """The task's body: mails the invitation with a fresh link to choose a password."""
    person = Person.objects.get(pk=person_id)
    invited_by = Person.objects.get(pk=invited_by_id)
    context = {
        "person": person,
        "invited_by": invited_by,
        "uid": urlsafe_base64_encode(force_bytes(person.pk)),
        "token": default_token_generator.make_token(person),
        "base_url": settings.SITE_URL.rstrip("/"),
    }
    send_mail(
        subject=f"{invited_by.name} has added you to Netlearn",
        message=render_to_string("accounts/invitation_email.txt", context),
        from_email=None,
        recipient_list=[person.email],
    )


def ask_for_password_reset(*, person: Person) -> None:
    """Queues the mail with a link to choose a new password, once the request commits.

    For the reset page, which has already found the account by its address and answers alike
    whether or not there was one.
    """
    after_commit("netlearn.accounts.tasks.send_password_reset", person.pk)


def send_password_reset(*, person_id: int) -> None:
    """The task's body: mails the link, made now, unless the account can no longer use one."""
    person = Person.objects.filter(pk=person_id, is_active=True).exclude(email="").first()
    if person is None or not person.has_usable_password():
        return
    context = {
        "person": person,
        "uid": urlsafe_base64_encode(force_bytes(person.pk)),
        "token": default_token_generator.make_token(person),
        "base_url": settings.SITE_URL.rstrip("/"),
    }
    subject = render_to_string("accounts/password_reset_subject.txt", context)
    send_mail(
        # A header holds one line.
        subject="".join(subject.splitlines()),
        message=render_to_string("accounts/password_reset_email.txt", context),
        from_email=None,
        recipient_list=[person.email],
    )


# Where a person is signed in ------------------------------------------------------------------


def describe_device(user_agent: str) -> str:
    """“Firefox on Windows”: enough to recognise one's own device, nothing to track it by."""
    agent = user_agent or ""
    browser = next(
        (
            name
            for token, name in (
                ("Edg/", "Edge"),
                ("OPR/", "Opera"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Safari/", "Safari"),
            )
            if token in agent
        ),
        "A browser",
    )
    system = next(
        (
            name
            for token, name in (
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Android", "Android"),
                ("CrOS", "ChromeOS"),
                ("Windows", "Windows"),
                ("Mac OS X", "macOS"),
                ("Linux", "Linux"),
            )
            if token in agent
        ),
        "",
    )
    return f"{browser} on {system}" if system else browser


def record_sign_in(*, person: Person, session_key: str, user_agent: str) -> SignedInSession:
    """Called by the sign-in page once the session is made."""
    record, _created = SignedInSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "person": person,
            "epoch": person.session_epoch,
            "device": describe_device(user_agent)[:100],
            "signed_in_at": timezone.now(),
        },
    )
    return record


def forget_sessions(records) -> None:
    """Signs the records' sessions out wherever the session engine keeps them: with cached
    sessions (settings: SESSION_ENGINE) a row deleted from the database alone would stay signed
    in from the cache."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in records.values_list("session_key", flat=True):
        store(session_key=key).delete()
    records.delete()


@transaction.atomic
def end_session(*, record: SignedInSession, by: Person) -> None:
    """Signs one of the person's sessions out (the session itself is deleted)."""
    if record.person_id != by.pk:
        raise PermissionDenied
    forget_sessions(SignedInSession.objects.filter(pk=record.pk))


@transaction.atomic
def sign_out_everywhere(*, person: Person, keep_session_key: str | None = None) -> int:
    """Ends every session of the person but the one named (the page's own), whatever device
    or sign-in made it, and returns how many it knew of. The caller keeps its own session
    signed in with `update_session_auth_hash`."""
    Person.objects.filter(pk=person.pk).update(session_epoch=F("session_epoch") + 1)
    person.refresh_from_db(fields=["session_epoch"])
    others = SignedInSession.objects.filter(person=person).exclude(session_key=keep_session_key)
    ended = others.count()
    forget_sessions(others)
    SignedInSession.objects.filter(person=person, session_key=keep_session_key).update(
        epoch=person.session_epoch
    )
    return ended
