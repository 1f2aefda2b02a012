from netlearn.core.errors import NetlearnError


class AccountError(NetlearnError):
    """A rule about accounts refused the change. The message is written for the person."""
