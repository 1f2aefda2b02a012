class AccountError(Exception):
    """A rule about accounts refused the change. The message is written for the person."""
