from netlearn.core.errors import Conflict, NetlearnError


class ReportError(NetlearnError):
    """A rule of progress reports refused the change. The message is written for the person."""


class InvalidPeriod(ReportError):
    pass


class NotOpen(Conflict, ReportError):
    """Only the open version (a draft or one in review) changes; a published one is frozen."""


class NotInReview(Conflict, ReportError):
    pass


class NotAWritingDay(ReportError):
    pass
