"""Counts each person's posts in the cache (shared with CACHE_URL), as sign-in failures are.

SAFETY.md: pupil posts are rate-limited; pupils get a lower limit than staff.
"""

from django.conf import settings
from django.core.cache import cache


def _key(person_id: int) -> str:
    return f"discussion-posts:person:{person_id}"


def limit_for(person) -> int:
    if person.kind == "pupil":
        return settings.DISCUSSION_PUPIL_POST_LIMIT
    return settings.DISCUSSION_STAFF_POST_LIMIT


def is_limited(person) -> bool:
    return (cache.get(_key(person.pk)) or 0) >= limit_for(person)


def record_post(person) -> None:
    key = _key(person.pk)
    # add() starts the window on the first post; incr() keeps its expiry.
    if not cache.add(key, 1, timeout=settings.DISCUSSION_POST_WINDOW):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=settings.DISCUSSION_POST_WINDOW)
