"""The limits on accounts, counted by the one limiter (`core/rate_limits.py`); the settings
give their figures."""

from netlearn.core.rate_limits import Limit

SIGN_IN_FAILURES = Limit("sign-in-failures", "SIGN_IN_FAILURE_LIMIT", "SIGN_IN_FAILURE_WINDOW")
PASSWORD_RESETS = Limit("password-reset", "PASSWORD_RESET_LIMIT", "PASSWORD_RESET_WINDOW")
PERSONAL_DATA_EXPORTS = Limit(
    "personal-data-export", "PERSONAL_DATA_EXPORT_LIMIT", "PERSONAL_DATA_EXPORT_WINDOW"
)
