from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import AccessToken, Person


def tokens_of(*, person: Person) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(person=person)


def token_of(*, person: Person, token_id: int) -> AccessToken:
    # Another person's token 404s like a missing one.
    return get_object_or_404(tokens_of(person=person), pk=token_id)


def person_for_site_admin(*, viewer: Person, person_id: int) -> Person:
    # Only site admins answer subject access and erasure requests; to anyone else the person's
    # data pages do not exist.
    if not (viewer.is_authenticated and viewer.is_superuser):
        raise Http404
    return get_object_or_404(Person, pk=person_id)


# People as other apps need them -------------------------------------------------------------


def people_with_ids(*, person_ids) -> QuerySet[Person]:
    """The people with these ids (a list or a subquery of ids)."""
    return Person.objects.filter(pk__in=person_ids)


def people_with_email(*, person_ids) -> QuerySet[Person]:
    """The people with these ids who gave an email address (notifications' digests)."""
    return people_with_ids(person_ids=person_ids).exclude(email="")
