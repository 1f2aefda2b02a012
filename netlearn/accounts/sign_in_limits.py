"""Counts failed sign-ins per account and per address (a `rate_limits.Limit` over the cache)."""

from .rate_limits import SIGN_IN_FAILURES


def _keys(username: str, address: str) -> list[str]:
    return [f"user:{username.strip().lower()}", f"ip:{address}"]


def is_locked(*, username: str, address: str) -> bool:
    return SIGN_IN_FAILURES.is_exceeded(*_keys(username, address))


def record_failure(*, username: str, address: str) -> None:
    SIGN_IN_FAILURES.record(*_keys(username, address))


def clear(*, username: str, address: str) -> None:
    # Only the account's count: a success must not reset an address that guesses at many.
    SIGN_IN_FAILURES.clear(_keys(username, address)[0])
