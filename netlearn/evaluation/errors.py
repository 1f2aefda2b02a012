from netlearn.core.errors import Conflict, NetlearnError


class EvaluationError(NetlearnError):
    """A rule of programmes refused the change. The message is written for the person."""


class NotAllowed(EvaluationError):
    status = 403


class AlreadyInvited(Conflict, EvaluationError):
    pass


class NotInvited(EvaluationError):
    pass
