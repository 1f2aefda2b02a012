from netlearn.core.errors import Conflict, NetlearnError


class ProgrammeError(NetlearnError):
    """A rule of professional learning refused the change. The message is written for the
    person."""


class CoachNotQualified(ProgrammeError):
    pass


class WaveOverlap(Conflict, ProgrammeError):
    pass


class CohortFull(Conflict, ProgrammeError):
    pass
