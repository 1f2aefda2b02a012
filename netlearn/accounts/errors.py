from netlearn.core.errors import NetlearnError


class AccountError(NetlearnError):
    """A rule about accounts refused the change. The message is written for the person."""


class InvalidPupilFile(AccountError):
    """A CSV of pupils was refused; `args[0]` lists every problem with its row and column."""
