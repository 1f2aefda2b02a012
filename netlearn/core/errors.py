"""The root of every rule a person can break, and the HTTP status the API answers it with.

Each app's error root derives from `NetlearnError`, so the API needs one exception handler
(config/api.py) that answers `{"detail": <the message>}` with the error's `status`. Messages are
written for the person: pages show them as they are.
"""


class NetlearnError(Exception):
    """A rule refused the change: 400 by default."""

    status = 400


class Conflict(NetlearnError):
    """The change clashes with what is already there (already a member, already holds the role)."""

    status = 409


class TooMany(NetlearnError):
    """Too many requests within a window: try again later."""

    status = 429
