"""The ground floor's one table: the counts of the rate limiter."""

from django.db import models


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
