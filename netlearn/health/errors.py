from netlearn.core.errors import Conflict, NetlearnError


class HealthError(NetlearnError):
    """A rule of surveys and self-evaluation refused the change. The message is for the person."""


class SurveyClosed(HealthError):
    pass


class AlreadyResponded(Conflict, HealthError):
    """One response per person: an anonymous one cannot be found again to change it."""
