"""One error tree for netlearn.analytics: callers catch `AnalyticsError` and show its message.

Messages are written for the person who supplied the data or the formula: they name the column,
the row and the value, and say what was expected.
"""

from __future__ import annotations


class AnalyticsError(ValueError):
    """Base of every error the analytics package raises on bad input."""


class FormulaError(AnalyticsError):
    """The model formula cannot be read, or asks for something we do not fit."""


class DataError(AnalyticsError):
    """The data do not fit the formula: a missing column, a value that is not a number, too few
    rows or groups, collinear predictors.

    `column` and `row` (0-based position in the columns given, or None) let a caller reword the
    message for its own setting, e.g. a CSV line number.
    """

    def __init__(self, message: str, *, column: str | None = None, row: int | None = None):
        super().__init__(message)
        self.column = column
        self.row = row


class InputFileError(AnalyticsError):
    """A data file cannot be read: missing, unreadable, not CSV, or ragged."""
