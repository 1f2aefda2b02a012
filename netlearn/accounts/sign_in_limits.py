"""Counts failed sign-ins per account and per address in the cache (shared with CACHE_URL)."""

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[str]:
    return [f"sign-in-failures:user:{username.strip().lower()}", f"sign-in-failures:ip:{address}"]


def is_locked(*, username: str, address: str) -> bool:
    counts = cache.get_many(_keys(username, address))
    return any(count >= settings.SIGN_IN_FAILURE_LIMIT for count in counts.values())


def record_failure(*, username: str, address: str) -> None:
    for key in _keys(username, address):
        # add() starts the window on the first failure; incr() keeps its expiry.
        if not cache.add(key, 1, timeout=settings.SIGN_IN_FAILURE_WINDOW):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=settings.SIGN_IN_FAILURE_WINDOW)


def clear(*, username: str, address: str) -> None:
    cache.delete(_keys(username, address)[0])
