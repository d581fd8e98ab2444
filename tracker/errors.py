"""Domain errors raised by services; views and the API turn them into messages."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request that cannot be carried out, with a message meant for the user."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    status = 422

    def __init__(self, errors: dict[str, list[str]]) -> None:
        first = next(iter(errors.values()), ["Invalid input."])[0]
        super().__init__(first)
        self.errors = errors


class NotFound(DomainError):
    status = 404


class PermissionDenied(DomainError):
    status = 403


class InvalidTransition(DomainError):
    status = 409


class EditConflict(DomainError):
    """Someone else saved the record after the version the user started from."""

    status = 409

    def __init__(self, message: str, *, current: Any = None, theirs: Any = None) -> None:
        super().__init__(message)
        self.current = current
        self.theirs = theirs
