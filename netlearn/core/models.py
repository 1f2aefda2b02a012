"""The ground floor's one table: the counts of the rate limiter."""

from django.db import models
from django.utils import timezone


class LimitCount(models.Model):
    """How many events one key of a rate limit has counted in its current window
    (core/rate_limits.py). Held in the database, so every web process counts alike with no
    Redis; the key is a keyed hash, never an address or a name in the clear."""

    key = models.CharField(max_length=100, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends_at = models.DateTimeField(db_index=True)

    class Meta:
        # The table accounts made before the limiter came to the ground floor.
        db_table = "accounts_limitcount"

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class IdempotentRequest(models.Model):
    """The answer to one API write sent with an `Idempotency-Key` (core/idempotency.py), kept so
    that a retry is answered with it instead of running again. `key` is a keyed hash of the key
    and the credential that sent it; nothing here names a person."""

    key = models.CharField(max_length=64, unique=True)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.status} at {self.created_at:%Y-%m-%d %H:%M}"
