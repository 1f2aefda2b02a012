from netlearn.core.errors import NetlearnError
from netlearn.core.intake import FileRefused


class RosterError(NetlearnError):
    """Root of the rostering app's errors."""


class RosterRefused(FileRefused, RosterError):
    """The bundle was refused as a whole; nothing was written. Each problem names the file."""


class ChooseOrg(RosterError):
    """The bundle lists several schools and none carries this school's identifier: the lead
    picks which one it is. `orgs` holds (sourcedId, name, identifier) of the bundle's schools."""

    def __init__(self, message: str, orgs: list[tuple[str, str, str]]):
        super().__init__(message)
        self.orgs = orgs
