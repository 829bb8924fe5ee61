"""Typed errors. Everything a user can cause derives from PlanwatchError.

    PlanwatchError            a message for the user; the CLI prints it and exits non-zero
    ├── InputError            a file that cannot be read as what was expected (names file/line)
    │   ├── PlanFormatError   a plan document or plan.yaml that is not valid
    │   └── DataImportError   an observation file with row/column problems (carries .problems)
    ├── StoreError            the store is missing, empty, or at the wrong schema
    │   └── ConflictError     what a person acted on was changed by someone else meanwhile
    │       └── PlanRequired  several plans are stored and the request named none of them
    ├── NotFoundError         an item asked for by id or key that does not exist
    ├── AccessError           the account may not do this (names the role or unit)
    │   └── LoginRequired     no account, or its session has ended
    └── EvaluationError       a year outside the plan, an unknown region or method
"""

from __future__ import annotations


class PlanwatchError(Exception):
    """An error with a message meant for the user."""


class InputError(PlanwatchError):
    """An input file that cannot be read as expected."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        self.file = file
        self.line = line
        where = ""
        if file:
            where = f"{file}:{line}: " if line else f"{file}: "
        super().__init__(where + message)


class PlanFormatError(InputError):
    """A plan document or plan.yaml that is not valid."""


class DataImportError(InputError):
    """An observation file with problems; ``problems`` lists them (row, column, message)."""

    def __init__(self, message: str, *, file: str | None = None, problems: list | None = None):
        self.problems = list(problems or [])
        super().__init__(message, file=file)


class StoreError(PlanwatchError):
    """The store is missing, empty, or at the wrong schema."""


class EvaluationError(PlanwatchError):
    """A year outside the plan, an unknown region or method."""


class ConflictError(StoreError):
    """What a person acted on was changed by someone else meanwhile (a lost update refused)."""


class PlanRequired(ConflictError):
    """Several plans are stored and the request did not say which one it is about (the message lists them)."""


class AccessError(PlanwatchError):
    """The account may not do this; the message names the role or the unit."""


class LoginRequired(AccessError):
    """No account is logged in, or its session or token has ended."""


class NotFoundError(PlanwatchError):
    """An item asked for by id or key (an indicator, a round, a submission) that does not exist."""
