"""What the money rules refuse. Messages are written for the person: pages show them as they are."""

from netlearn.core.errors import Conflict, NetlearnError


class ExchangeError(NetlearnError):
    """A rule of the network's money refused the change."""


class AppendOnly(ExchangeError):
    """A ledger entry was to be changed or deleted: corrections are reversing entries."""


class Overdrawn(ExchangeError):
    """The entry would take the budget below zero without the budget holder's override."""


class AttendanceBelowCommitment(ExchangeError):
    """No attendance, no money: the school attends too few meetings to draw on the fund."""

    status = 403


class AlreadyReversed(Conflict):
    """An entry is reversed once; a reversal is never reversed (record a new entry instead)."""


class BudgetExists(Conflict):
    """The network already has a budget for that year and purpose, or that share."""


class AlreadyAnswered(Conflict):
    """A request for an exception is answered once, and a school has one open at a time."""


class BookingClash(Conflict):
    """Bookings of one facility never overlap."""


class ExchangeClosed(Conflict):
    """The request is no longer open for that step (agreed, done or withdrawn)."""


class NotEnoughSchools(ExchangeError):
    """A joint purchase is placed only once as many schools as its proposer asked have joined."""


class NoPlacesLeft(Conflict):
    """A joint course's places are all held by schools."""
