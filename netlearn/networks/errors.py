from netlearn.core.errors import Conflict, NetlearnError
from netlearn.core.intake import FileRefused


class NetworkError(NetlearnError):
    """A rule of the network refused the change. The message is written for the person."""


class AlreadyMember(Conflict, NetworkError):
    pass


class SchoolClosed(NetworkError):
    pass


class NotInNetwork(NetworkError):
    pass


class AlreadyHoldsRole(Conflict, NetworkError):
    pass


class GroupRuleBroken(NetworkError):
    pass


class InvalidDates(NetworkError):
    pass


class NeedsSecondPerson(NetworkError):
    """A sensitive role is proposed, never given by one person alone."""


class ProposalClosed(NetworkError):
    pass


class InvitationClosed(NetworkError):
    pass


class ColleagueListRefused(FileRefused, NetworkError):
    """A list of colleagues to invite was refused as a whole; nobody was invited."""


class JoinRequestClosed(NetworkError):
    pass


class SchoolChangeRefused(NetworkError):
    """A closure or an amalgamation was refused as a whole; no school and no record changed."""


class NotYourSchools(SchoolChangeRefused):
    """A school in the change is also a member of a network the person does not lead."""

    status = 403
