from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import AccessToken, Person


def tokens_of(*, person: Person) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(person=person)


def token_of(*, person: Person, token_id: int) -> AccessToken:
    # Another person's token 404s like a missing one.
    return get_object_or_404(tokens_of(person=person), pk=token_id)
