from django.core.exceptions import PermissionDenied

from netlearn.core.errors import NetlearnError


class ActivityError(NetlearnError):
    """A rule of the network refused the change. The message is written for the person."""


class InvalidTimes(ActivityError):
    pass


class PurposeRequired(ActivityError):
    pass


class RsvpClosed(ActivityError):
    pass


class NotInvited(ActivityError):
    pass


class ActivityCancelled(ActivityError):
    pass


class InvalidRecurrence(ActivityError):
    pass


class AudienceOutsideNetwork(ActivityError):
    pass


class FeedbackTooEarly(ActivityError):
    pass


class AlreadyDecided(ActivityError):
    pass


class FocusNotInCharter(ActivityError):
    """The learning focus is another network's, or has been dropped from the charter."""


class InvalidLink(ActivityError):
    """A link that is not an http(s) address."""


class NotYoursToSchedule(PermissionDenied, ActivityError):
    """The person may schedule in the network, but not this kind of activity or audience: a
    refusal of permission (403 from the API), whose words the activity form shows."""
