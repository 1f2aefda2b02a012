"""Counts events per key in the cache and refuses the one past a limit (SAFETY.md, rate limits).

The counts live in Django's cache, shared between web processes when CACHE_URL points at Redis.
A `Limit` names its settings, so deployments and tests change the figures without code:

    CSV_EXPORTS = Limit("csv-export", "CSV_EXPORT_LIMIT", "CSV_EXPORT_WINDOW")

    if not CSV_EXPORTS.attempt(f"person:{request.user.pk}"):
        return too_many_requests(request, CSV_EXPORTS)       # a page: 429 with the message
    # in an API operation: raise RateLimited(CSV_EXPORTS)    # answered 429 by config/api.py

`attempt` counts and checks in one step (password resets, exports); sign-in counts only failures,
so it checks `is_exceeded` first and calls `record` when a sign-in fails.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

logger = logging.getLogger(__name__)

# Keys of these kinds are written to the log as they are: an operator blocks an address, and a
# person id is already pseudonymous. Any other key (an email, a username) is logged as a hash.
_PLAIN_KINDS = ("ip", "person")


@dataclass(frozen=True)
class Limit:
    """At most `getattr(settings, count_setting)` events per key within a window of
    `getattr(settings, window_setting)` seconds that starts at the key's first event."""

    name: str
    count_setting: str
    window_setting: str

    @property
    def count(self) -> int:
        return getattr(settings, self.count_setting)

    @property
    def window(self) -> int:
        return getattr(settings, self.window_setting)

    @property
    def window_text(self) -> str:
        minutes = max(1, round(self.window / 60))
        if minutes % 60 == 0:
            hours = minutes // 60
            return "an hour" if hours == 1 else f"{hours} hours"
        return f"{minutes} minutes"

    def _cache_key(self, key: str) -> str:
        # Hashed: an email or username may hold characters memcached refuses in a key, and the
        # cache then holds no address in the clear.
        digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
        return f"rate-limit:{self.name}:{digest}"

    def is_exceeded(self, *keys: str) -> bool:
        counts = cache.get_many([self._cache_key(key) for key in keys])
        return any(count >= self.count for count in counts.values())

    def record(self, *keys: str) -> None:
        for key in keys:
            cache_key = self._cache_key(key)
            # add() starts the window on the first event; incr() keeps its expiry.
            if not cache.add(cache_key, 1, timeout=self.window):
                try:
                    cache.incr(cache_key)
                except ValueError:  # expired between add() and incr()
                    cache.set(cache_key, 1, timeout=self.window)

    def attempt(self, *keys: str) -> bool:
        """Counts one event for every key, or refuses (counting nothing, and logging the
        refusal) when any key has reached the limit."""
        if self.is_exceeded(*keys):
            logger.warning("Rate limit %s reached for %s", self.name, _describe(keys))
            return False
        self.record(*keys)
        return True

    def clear(self, *keys: str) -> None:
        cache.delete_many([self._cache_key(key) for key in keys])


def _describe(keys) -> str:
    parts = []
    for key in keys:
        kind, _, value = key.partition(":")
        if kind not in _PLAIN_KINDS:
            value = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:12]
        parts.append(f"{kind}:{value}")
    return ", ".join(parts)


def client_address(request) -> str:
    # REMOTE_ADDR, as the sign-in limit has always used: the proxy in front of gunicorn must set
    # it to the client's address (docs/operations.md), never trust a header a client can forge.
    return request.META.get("REMOTE_ADDR", "")


class RateLimited(Exception):
    """An API operation refused by a limit; config/api.py answers 429 with this message."""

    def __init__(self, limit: Limit, message: str = ""):
        self.limit = limit
        super().__init__(message or f"Too many requests. Try again in {limit.window_text}.")


def too_many_requests(request, limit: Limit, message: str = "", *, template: str = "", **context):
    """A page's answer to a refused request: 429, with a message a person can act on.

    `template` (default: a page of its own) receives `limit_message` and `context`.
    """
    message = message or f"Too many requests. Try again in {limit.window_text}."
    return render(
        request,
        template or "accounts/rate_limited.html",
        {**context, "limit_message": message},
        status=429,
    )


SIGN_IN_FAILURES = Limit("sign-in-failures", "SIGN_IN_FAILURE_LIMIT", "SIGN_IN_FAILURE_WINDOW")
PASSWORD_RESETS = Limit("password-reset", "PASSWORD_RESET_LIMIT", "PASSWORD_RESET_WINDOW")
PERSONAL_DATA_EXPORTS = Limit(
    "personal-data-export", "PERSONAL_DATA_EXPORT_LIMIT", "PERSONAL_DATA_EXPORT_WINDOW"
)
