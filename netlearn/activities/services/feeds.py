"""Calendar feeds: the secret in a person's feed URLs."""

import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction

from netlearn.accounts.models import Person

from ..models import FeedToken
from .common import _now

FEED_TOKEN_PREFIX = "cal_"


def hash_feed_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_feed_token(*, person: Person) -> tuple[FeedToken, str]:
    """A new secret for the person's feed URLs; the old one stops working at once."""
    if person.is_pupil or not person.is_authenticated:
        raise PermissionDenied
    FeedToken.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=_now())
    secret = FEED_TOKEN_PREFIX + secrets.token_urlsafe(24)
    token = FeedToken.objects.create(
        person=person, prefix=secret[:10], token_hash=hash_feed_secret(secret)
    )
    return token, secret


@transaction.atomic
def revoke_feed_token(*, person: Person) -> int:
    return FeedToken.objects.filter(person=person, revoked_at__isnull=True).update(
        revoked_at=_now()
    )
