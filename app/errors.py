"""The project's own errors: the only exceptions a service raises on purpose.

Each carries a sentence a clerk understands; the UI shows it as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line catches these errors without loading pydantic
    import pydantic


class AppError(Exception):
    """Base of every error a person may see."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(AppError):
    """Input that breaks a rule; `fields` maps each field name to its reason."""

    def __init__(self, fields: Mapping[str, str], message: str | None = None) -> None:
        self.fields: dict[str, str] = dict(fields)
        super().__init__(message or "\n".join(self.fields.values()))

    @classmethod
    def single(cls, field: str, reason: str) -> ValidationError:
        return cls({field: reason})

    @classmethod
    def from_schema(cls, exc: pydantic.ValidationError) -> ValidationError:
        """What an input schema refused outright (too long, missing), as sentences per field."""
        from app.i18n import _

        errors: dict[str, str] = {}
        for problem in exc.errors():
            field = str(problem["loc"][0]) if problem["loc"] else ""
            limit = (problem.get("ctx") or {}).get("max_length")
            if problem["type"] == "missing" or problem.get("input") in (None, ""):
                reason = _("Please fill this in.")
            elif problem["type"] == "string_too_long" and limit is not None:
                reason = _("At most {n} characters.").format(n=limit)
            else:
                reason = _("This value is not valid.")
            errors.setdefault(field, reason)
        return cls(errors)


class NotFound(AppError):
    """The record asked for does not exist (or was archived)."""


class PermissionDenied(AppError):
    """The acting user's role may not do this."""


class SessionEnded(PermissionDenied):
    """The signed-in person may no longer act at all: deactivated, locked, role changed, password
    reset, account gone. The program signs them out and shows the sentence."""


class Conflict(AppError):
    """Someone else saved the record first, or a unique value is taken."""


class InvalidTransition(AppError):
    """A workflow step that the state machine does not allow from here."""


class DatabaseLocationError(AppError):
    """The database cannot live where it was asked to (network share, bad URL)."""
