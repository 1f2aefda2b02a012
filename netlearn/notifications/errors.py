class NotificationError(Exception):
    """A rule of the notification centre refused the change. The message is for the person."""
