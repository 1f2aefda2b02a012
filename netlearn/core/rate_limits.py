"""Counts events per key and refuses the one past a limit (docs/safety.md#rate-limits): the one
limiter of Netlearn. Each app declares its limits beside the code that counts them.

The counts are shared by every web process: in Redis (or memcached) when CACHE_URL names one,
otherwise in the database (`LimitCount`), so `netlearn serve` with several workers and no Redis
limits alike. A `Limit` names its settings, so deployments and tests change the figures without
code:

    CSV_EXPORTS = Limit("csv-export", "CSV_EXPORT_LIMIT", "CSV_EXPORT_WINDOW")

    if not CSV_EXPORTS.attempt(f"person:{request.user.pk}"):
        return too_many_requests(request, CSV_EXPORTS)       # a page: 429 with the message
    # in an API operation: raise RateLimited(CSV_EXPORTS)    # answered 429 by config/api.py

`attempt` counts and checks in one atomic step: of N concurrent requests at most `count` pass,
whichever process answers them. Sign-in counts each attempt the same way before the password is
checked, and gives the count back when it succeeds (accounts/sign_in_limits.py).
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.memcached import BaseMemcachedCache
from django.core.cache.backends.redis import RedisCache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from netlearn.core.errors import TooMany

logger = logging.getLogger(__name__)

# Keys of these kinds are written to the log as they are: an operator blocks an address, and a
# person id is already pseudonymous. Any other key (an email, a typed name) is logged as a hash.
_PLAIN_KINDS = ("ip", "person")

# Counts whose window ended this long ago are deleted when a new key starts counting.
_KEEP_ENDED_COUNTS = datetime.timedelta(days=1)


class _Refused(Exception):
    pass


class _DatabaseCounts:
    """Counts in `LimitCount` rows. Every change is one conditional UPDATE (`count = count + 1`
    where the window is open and the count below the limit), which the database applies
    atomically whichever process sends it; Django's DatabaseCache would not do: its `incr` is a
    get and a set, so two workers both read 4 and both write 5."""

    def __init__(self):
        from .models import LimitCount  # models load only once the app registry is ready

        self.rows = LimitCount.objects

    def counts(self, keys: list[str]) -> dict[str, int]:
        rows = self.rows.filter(key__in=keys, window_ends_at__gt=timezone.now())
        return dict(rows.values_list("key", "count"))

    def add(self, keys: list[str], *, window: int, below: int | None) -> bool:
        now = timezone.now()
        started = False
        try:
            with transaction.atomic():
                # PostgreSQL locks each updated row until commit: taking the keys in one order
                # makes two requests counting the same keys wait in turn, never deadlock.
                for key in sorted(set(keys)):
                    outcome = self._add_one(key, now=now, window=window, below=below)
                    if outcome is None:
                        raise _Refused
                    started = started or outcome == "started"
        except _Refused:
            return False
        if started:
            self._delete_ended(now)
        return True

    def _add_one(self, key, *, now, window, below) -> str | None:
        open_window = self.rows.filter(key=key, window_ends_at__gt=now)
        ends_at = now + datetime.timedelta(seconds=window)
        while True:
            counting = open_window if below is None else open_window.filter(count__lt=below)
            if counting.update(count=F("count") + 1):
                return "counted"
            if below is not None and open_window.exists():
                if open_window.filter(count__gte=below).exists():
                    return None
                # The window was opened by another request between our update and this read
                # (PostgreSQL reads each statement afresh): count in it, do not refuse.
                continue
            # No open window: reopen an ended one, or start the key's first.
            ended = self.rows.filter(key=key, window_ends_at__lte=now)
            if ended.update(count=1, window_ends_at=ends_at):
                return "counted"
            try:
                with transaction.atomic():
                    self.rows.create(key=key, count=1, window_ends_at=ends_at)
                return "started"
            except IntegrityError:
                continue  # another process started it first: count in theirs

    def _delete_ended(self, now) -> None:
        ended = self.rows.filter(window_ends_at__lt=now - _KEEP_ENDED_COUNTS)
        if not connection.features.has_select_for_update_skip_locked:
            # SQLite has one writer at a time and no row locks: one DELETE, which waits its turn.
            ended.delete()
            return
        # Rows another request holds are skipped, so tidying never waits on (or deadlocks
        # with) a request that is counting.
        with transaction.atomic():
            rows = ended.select_for_update(skip_locked=True).values_list("pk", flat=True)
            ids = list(rows[:500])
            if ids:
                self.rows.filter(pk__in=ids).delete()

    def give_back(self, keys: list[str]) -> None:
        self.rows.filter(key__in=keys, count__gt=0).update(count=F("count") - 1)

    def clear(self, keys: list[str]) -> None:
        self.rows.filter(key__in=keys).delete()


class _CacheCounts:
    """Counts in a cache whose `incr` is atomic across processes (Redis, memcached)."""

    def __init__(self, cache):
        self.cache = cache

    def counts(self, keys: list[str]) -> dict[str, int]:
        return self.cache.get_many(keys)

    def _increment(self, key: str, window: int) -> int:
        while True:
            # add() opens the window on the first event; incr() keeps its expiry.
            self.cache.add(key, 0, timeout=window)
            try:
                count = self.cache.incr(key)
            except ValueError:
                continue  # the window ended between add() and incr()
            if count == 1:
                self.cache.touch(key, window)
            return count

    def add(self, keys: list[str], *, window: int, below: int | None) -> bool:
        counted = []
        for key in dict.fromkeys(keys):
            count = self._increment(key, window)
            counted.append(key)
            if below is not None and count > below:
                # Over the limit: take back what this request counted. Two requests racing for
                # the last place both see a count past it at worst, and both are refused.
                self.give_back(counted)
                return False
        return True

    def give_back(self, keys: list[str]) -> None:
        for key in keys:
            try:
                self.cache.decr(key)
            except ValueError:
                pass  # the window ended meanwhile

    def clear(self, keys: list[str]) -> None:
        self.cache.delete_many(keys)


def _counts():
    cache = caches["default"]
    if isinstance(cache, RedisCache | BaseMemcachedCache):
        return _CacheCounts(cache)
    # A cache in each process's memory (or DatabaseCache, whose incr is not atomic) would let
    # every worker count on its own: count in the database instead.
    return _DatabaseCounts()


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
            return _("an hour") if hours == 1 else _("%(hours)s hours") % {"hours": hours}
        return _("%(minutes)s minutes") % {"minutes": minutes}

    def _store_key(self, key: str) -> str:
        # A keyed hash: the store (a database table, its backups) then holds no email, name or
        # address in the clear, and holds nothing memcached would refuse in a key.
        # The salt keeps the module's first name, so counts already kept keep counting.
        digest = salted_hmac(
            "netlearn.accounts.rate_limits", key.strip().lower(), algorithm="sha256"
        ).hexdigest()[:40]
        return f"rate-limit:{self.name}:{digest}"

    def _store_keys(self, keys) -> list[str]:
        return [self._store_key(key) for key in keys]

    def count_of(self, key: str) -> int:
        """Events counted for `key` in its current window."""
        return _counts().counts([self._store_key(key)]).get(self._store_key(key), 0)

    def is_exceeded(self, *keys: str) -> bool:
        counts = _counts().counts(self._store_keys(keys))
        return any(count >= self.count for count in counts.values())

    def record(self, *keys: str) -> None:
        """Counts one event for every key, whatever their counts."""
        _counts().add(self._store_keys(keys), window=self.window, below=None)

    def attempt(self, *keys: str) -> bool:
        """Counts one event for every key, or refuses (counting nothing, and logging the
        refusal) when any key has reached the limit."""
        if not _counts().add(self._store_keys(keys), window=self.window, below=self.count):
            logger.warning("Rate limit %s reached for %s", self.name, describe(keys))
            return False
        return True

    def give_back(self, *keys: str) -> None:
        """Uncounts one event for every key: an attempt that turned out not to count."""
        _counts().give_back(self._store_keys(keys))

    def clear(self, *keys: str) -> None:
        _counts().clear(self._store_keys(keys))


def describe(keys) -> str:
    """The keys as the log shows them: addresses and person ids as they are, others hashed."""
    parts = []
    for key in keys:
        kind, _, value = key.partition(":")
        if kind not in _PLAIN_KINDS:
            # The first name again: a refusal logged today matches one logged before the move.
            value = salted_hmac(
                "netlearn.accounts.rate_limits.log", value.strip().lower(), algorithm="sha256"
            ).hexdigest()[:12]
        parts.append(f"{kind}:{value}")
    return ", ".join(parts)


def client_address(request) -> str:
    # REMOTE_ADDR, as the sign-in limit has always used: the proxy in front of gunicorn must set
    # it to the client's address (docs/operations.md), never trust a header a client can forge.
    return request.META.get("REMOTE_ADDR", "")


class RateLimited(TooMany):
    """An API operation refused by a limit; config/api.py answers 429 with this message."""

    def __init__(self, limit: Limit, message: str = ""):
        self.limit = limit
        super().__init__(
            message
            or _("Too many requests. Try again in %(window)s.") % {"window": limit.window_text}
        )


def too_many_requests(request, limit: Limit, message: str = "", *, template: str = "", **context):
    """A page's answer to a refused request: 429, with a message a person can act on.

    `template` (default: a page of its own) receives `limit_message` and `context`.
    """
    message = message or _("Too many requests. Try again in %(window)s.") % {
        "window": limit.window_text
    }
    return render(
        request,
        template or "accounts/rate_limited.html",
        {**context, "limit_message": message},
        status=429,
    )
