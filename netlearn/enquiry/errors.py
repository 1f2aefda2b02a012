from netlearn.core.errors import NetlearnError


class EnquiryError(NetlearnError):
    """A rule of collaborative enquiry refused the change. The message is written for the person."""


class TriadNotAcrossSchools(EnquiryError):
    pass


class NoCasePupil(EnquiryError):
    pass


class LooksLikeAName(EnquiryError):
    pass


class InvalidDataPoint(EnquiryError):
    pass


class WrongMethod(EnquiryError):
    pass


class AccountNotReady(EnquiryError):
    pass
