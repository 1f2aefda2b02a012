class NetworkError(Exception):
    """A rule of the network refused the change. The message is written for the person."""


class AlreadyMember(NetworkError):
    pass


class NotInNetwork(NetworkError):
    pass


class AlreadyHoldsRole(NetworkError):
    pass


class GroupRuleBroken(NetworkError):
    pass


class InvalidDates(NetworkError):
    pass
