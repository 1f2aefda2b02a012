"""Counts sign-in attempts per account, whichever name was typed for it, and per client address
(a `rate_limits.Limit`; docs/safety.md#rate-limits: the 6th failure in 30 minutes answers 429).

Each attempt is counted before its password is checked, and given back when it succeeds: so
many guesses sent at once, to any number of web processes, still get only
SIGN_IN_FAILURE_LIMIT of them checked.
"""

from .limits import SIGN_IN_FAILURES


def account_key(*, typed: str, person) -> str:
    # An account counts as one whether its username or its email was typed; a name that is no
    # account is counted as typed, so the answers do not tell which names are accounts.
    if person is not None:
        return f"person:{person.pk}"
    return f"name:{typed.strip().lower()}"


def _keys(*, typed: str, person, address: str) -> list[str]:
    keys = [account_key(typed=typed, person=person)]
    if address:
        keys.append(f"ip:{address}")
    return keys


def begin_attempt(*, typed: str, person, address: str) -> bool:
    """Counts an attempt as a failure until it succeeds; False (nothing counted, the refusal
    logged) when the account or the address has reached the limit."""
    return SIGN_IN_FAILURES.attempt(*_keys(typed=typed, person=person, address=address))


def attempt_succeeded(*, typed: str, person, address: str) -> None:
    account, *address_keys = _keys(typed=typed, person=person, address=address)
    # The account starts afresh; the address only gets this attempt back, so that one good
    # password does not reset an address that guesses at many accounts.
    SIGN_IN_FAILURES.clear(account)
    if address_keys:
        SIGN_IN_FAILURES.give_back(*address_keys)


def clear_account(*, person) -> None:
    SIGN_IN_FAILURES.clear(account_key(typed="", person=person))


def is_locked(*, typed: str, person, address: str) -> bool:
    return SIGN_IN_FAILURES.is_exceeded(*_keys(typed=typed, person=person, address=address))
