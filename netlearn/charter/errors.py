from netlearn.core.errors import NetlearnError


class CharterError(NetlearnError):
    """A rule of the charter refused the change. The message is written for the person."""


class InvalidGoal(CharterError):
    """A goal's measure, unit, values or dates do not make a measurable goal."""


class InvalidProgress(CharterError):
    pass


class ReasonRequired(CharterError):
    """Changing or dropping a goal or focus is a digression: the seed asks that it be charted."""


class NotProposed(CharterError):
    pass


class CannotSignOff(CharterError):
    pass


class AlreadySignedOff(CharterError):
    pass


class NoCharter(CharterError):
    pass
