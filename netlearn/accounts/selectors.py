from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.socialaccount.models import SocialAccount
from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import AccessToken, Expertise, Kind, Person, SignedInSession

if TYPE_CHECKING:
    from netlearn.networks.models import School


def tokens_of(*, person: Person) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(person=person)


def token_of(*, person: Person, token_id: int) -> AccessToken:
    # Another person's token 404s like a missing one.
    return get_object_or_404(tokens_of(person=person), pk=token_id)


def sessions_of(*, person: Person) -> QuerySet[SignedInSession]:
    """Where the person is signed in now: sessions that still exist, unexpired, made since they
    last signed out everywhere."""
    live = Session.objects.filter(
        session_key=OuterRef("session_key"), expire_date__gt=timezone.now()
    )
    return SignedInSession.objects.filter(person=person, epoch=person.session_epoch).filter(
        Exists(live)
    )


def session_of(*, person: Person, session_id: int) -> SignedInSession:
    return get_object_or_404(sessions_of(person=person), pk=session_id)


def person_for_site_admin(*, viewer: Person, person_id: int) -> Person:
    # Only site admins answer subject access and erasure requests; to anyone else the person's
    # data pages do not exist.
    if not (viewer.is_authenticated and viewer.is_superuser):
        raise Http404
    return get_object_or_404(Person, pk=person_id)


def people() -> QuerySet[Person]:
    """Every account, for another app to narrow by its own relations (`network_roles__…`)."""
    return Person.objects.all()


def active_people(*, ids) -> QuerySet[Person]:
    return Person.objects.filter(pk__in=ids, is_active=True)


def pupils_of_school(*, school: School) -> QuerySet[Person]:
    """The school's pupil accounts, unordered: the caller manages the school's pupils."""
    return Person.objects.filter(kind=Kind.PUPIL, pupil_school=school)


def people_by_id(ids) -> dict[int, Person]:
    return Person.objects.in_bulk(ids)


def site_admins() -> QuerySet[Person]:
    return Person.objects.filter(is_superuser=True, is_active=True)


def site_admin_candidates() -> QuerySet[Person]:
    """Who may be proposed as a site admin: active staff and partners who are not one yet."""
    return Person.objects.filter(
        is_active=True, is_superuser=False, kind__in=[Kind.STAFF, Kind.PARTNER]
    ).order_by("name")


def person_with_email(email: str) -> Person | None:
    return Person.objects.filter(email__iexact=email).first()


def people_with_usernames(usernames) -> QuerySet[Person]:
    return Person.objects.filter(username__in=usernames)


def linked_accounts_of(*, person: Person):
    """The single sign-on identities linked to the person (allauth's table; accounts/sso.py)."""
    return SocialAccount.objects.filter(user_id=person.pk).only("provider")


def expertise_named(*, name: str) -> Expertise | None:
    """A tag of the expertise directory, by its name (any case)."""
    return Expertise.objects.filter(name__iexact=name.strip()).first()


def expertise_of_people(*, person_ids) -> QuerySet:
    """(person id, tag name) of the people's expertise, by name."""
    return (
        Person.expertise.through.objects.filter(person_id__in=list(person_ids))
        .order_by("expertise__name", "pk")
        .values_list("person_id", "expertise__name")
    )


def expertise_tags() -> QuerySet[Expertise]:
    return Expertise.objects.all()
