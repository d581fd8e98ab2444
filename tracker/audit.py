"""Writing the audit trail.

Services call `record_event` in the same session (and so the same transaction) as the change
they make: a change without its audit event cannot be committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from tracker.models import AuditEvent, User


@dataclass(frozen=True)
class Actor:
    """Who is acting, and from where: passed to every service that changes data."""

    user: User | None
    ip: str | None = None

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user is not None else None


SYSTEM = Actor(user=None, ip=None)


def json_value(value: Any) -> Any:
    """A JSON-safe copy of a column value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def values_of(obj: object, fields: list[str] | None = None) -> dict[str, Any]:
    """The current values of a model's columns (or of the named fields) as a JSON-safe dict."""
    if fields is None:
        mapper = inspect(type(obj))
        fields = [c.key for c in mapper.column_attrs if c.key not in {"raw_compressed"}]
    return {name: json_value(getattr(obj, name)) for name in fields}


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, so audit rows stay short and readable."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


DETAIL_LIMIT = 500  # the column's size; whole texts belong in `after`


def _shorten(detail: str | None) -> str | None:
    if not detail or len(detail) <= DETAIL_LIMIT:
        return detail or None
    return detail[: DETAIL_LIMIT - 1] + "…"


def record_event(
    session: Session,
    action: str,
    entity_type: str,
    entity_id: int | None,
    *,
    by: Actor,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one audit event to the session (flushed with the change it describes).

    `at` is for loaders that replay a past history (the demo); changes made now leave it out.
    """
    event = AuditEvent(
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        actor_id=by.user_id,
        ip=by.ip,
        before=before,
        after=after,
        detail=_shorten(detail),
    )
    if at is not None:
        event.at = at
    session.add(event)
    return event


def record_denial(
    session: Session,
    entity_type: str,
    entity_id: int | None,
    what: str,
    reason: str,
    *,
    by: Actor,
) -> AuditEvent:
    """The audit entry for a refused request: what was tried and why it was refused.

    Callers roll back the refused change first, so this is all that the refusal leaves.
    """
    return record_event(
        session, "denied", entity_type, entity_id, by=by, detail=f"{what}: {reason}"
    )
