"""Typed input errors, so the CLI can print one clear Chinese line and exit non-zero."""

from __future__ import annotations


class ReviewInputError(Exception):
    """Bad dataset given to the rule engine; the message names the table and column."""

    def __init__(self, message: str, table: str | None = None, column: str | None = None) -> None:
        super().__init__(message)
        self.table = table
        self.column = column


class DatasetNotFoundError(ReviewInputError):
    pass


class MissingTableError(ReviewInputError):
    pass


class MissingColumnError(ReviewInputError):
    pass


class ColumnTypeError(ReviewInputError):
    pass
