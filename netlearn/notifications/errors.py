from netlearn.core.errors import NetlearnError


class NotificationError(NetlearnError):
    """A rule of the notification centre refused the change. The message is for the person."""
