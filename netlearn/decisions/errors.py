from netlearn.core.errors import Conflict, NetlearnError


class DecisionError(NetlearnError):
    """A rule of group decisions refused the change. The message is written for the person."""


class NotADecider(DecisionError):
    """Only members of the deciding group take part; the API answers 403 like the policy."""

    status = 403


class ProposalClosed(DecisionError):
    pass


class AlreadyVoted(Conflict, DecisionError):
    """A secret ballot cannot be changed: nothing links it back to its voter."""


class CannotRevise(DecisionError):
    pass
