from netlearn.core.errors import Conflict, NetlearnError


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


class AlreadySignedOff(Conflict, CharterError):
    pass


class CharterExists(Conflict, CharterError):
    """The network has a charter already: perhaps started by someone else a moment ago."""


class StaleCharter(Conflict, CharterError):
    """The purpose or shared values were saved by someone else after this edit was read.

    Carries the charter as it now stands, so the page can show both versions."""

    def __init__(self, charter):
        self.charter = charter
        super().__init__(
            "Someone else saved the purpose and shared values after you opened them. "
            "Nothing of yours was saved: compare the two versions and save again."
        )


class StaleEdit(Conflict, CharterError):
    """A focus, goal or commitment was saved by someone else after this edit was read.

    Carries what it now holds, as (label, value) rows, and its revision, so the page can show
    both versions and the next save can be a choice made having seen them."""

    def __init__(self, what: str, *, rows: list[tuple[str, str]], revision: int):
        self.rows = rows
        self.revision = revision
        super().__init__(
            f"Someone else saved this {what} after you opened it. Nothing of yours was saved: "
            "compare the two versions and save again."
        )


class NoCharter(CharterError):
    pass
