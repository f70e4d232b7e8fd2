"""User-facing errors: what went wrong, how to fix it, and the exit code.

The CLI turns these into two lines on stderr (the message and the hint) and
exits with the error's code.  Anything else that escapes is a bug and keeps
its traceback.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_NO = 1
EXIT_BAD_INPUT = 2
EXIT_ENVIRONMENT = 3


class EssayKGError(Exception):
    """A problem the user can fix; carries a one-line message and a hint."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class BadInput(EssayKGError):
    """Missing or unreadable files, malformed rules, bad parameters (exit 2)."""

    exit_code = EXIT_BAD_INPUT


class EnvironmentProblem(EssayKGError):
    """Something outside the input is missing or down (exit 3)."""

    exit_code = EXIT_ENVIRONMENT
