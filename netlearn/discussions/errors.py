from netlearn.core.errors import NetlearnError, TooMany


class DiscussionError(NetlearnError):
    """A rule of the space refused the change. The message is written for the person."""


class EmptyPost(DiscussionError):
    pass


class SpaceClosed(DiscussionError):
    pass


class PostingTooFast(TooMany, DiscussionError):
    """Answers 429: the person posted too often in the window."""


class AlreadyVoted(DiscussionError):
    pass


class PollClosed(DiscussionError):
    pass


class NotInAudience(DiscussionError):
    pass


class InvalidPupilFile(DiscussionError):
    pass


class AppendOnly(DiscussionError):
    """The moderation log keeps every row as written."""


class AttachmentRefused(DiscussionError):
    """An attachment is too large, of a kind not taken, or damaged: nothing was posted."""
