from netlearn.core.errors import NetlearnError


class LibraryError(NetlearnError):
    """A rule of the library refused the change. The message is written for the person."""


class BadUpload(LibraryError):
    """The file is empty, too large, or not of an allowed type (judged by its content)."""


class NotYourSchool(LibraryError):
    """Trials come from schools other than the author's."""


class AlreadyTrialled(LibraryError):
    pass


class NoSchoolInNetwork(LibraryError):
    pass


class ResourceRetired(LibraryError):
    pass


class SharingOutsideNetworks(LibraryError):
    pass
