"""Glue shared by desk views: the acting user, form errors from services, refusals."""

from __future__ import annotations

from flask import current_app, flash, request
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Field

from tracker.audit import Actor
from tracker.capture import CaptureSettings
from tracker.capture.store import BodyStore
from tracker.errors import DomainError, ValidationFailed
from tracker.extensions import db
from tracker.security import log_security_event
from tracker.services.validation import row_id
from tracker.services.workflow import record_refusal


def actor() -> Actor:
    """The signed-in user and their IP, for services and the audit trail."""
    return Actor(current_user._get_current_object(), request.remote_addr)


def capture_settings() -> CaptureSettings:
    from tracker.jobs.handlers import capture_settings as from_config

    return from_config(current_app.config)


def snapshot_store() -> BodyStore:
    from tracker.jobs.handlers import snapshot_store as from_config

    return from_config(current_app.config)


def find_field(form: FlaskForm, name: str) -> Field | None:
    """The form field a service error names ('appearances-0-url' included)."""
    for field in form:
        if field.name == name:
            return field
        if hasattr(field, "entries"):
            for entry in field.entries:
                inner = getattr(entry, "form", None)
                if entry.name == name:
                    return entry
                if inner is not None:
                    for sub in inner:
                        if sub.name == name:
                            return sub
    return None


def attach_errors(
    form: FlaskForm, exc: ValidationFailed, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's errors next to the fields they concern (or at the top)."""
    aliases = aliases or {}
    # WTForms caches `form.errors` while validating; remember that the service objected.
    form.service_errors = True
    for name, messages in exc.errors.items():
        field = find_field(form, aliases.get(name, name))
        if field is not None:
            field.errors = [*list(field.errors), *messages]
        else:
            form.form_errors.extend(messages)


def form_version(form: FlaskForm) -> int:
    """The version the form was opened at; 0 (always a conflict) when it is not a number."""
    return row_id(form.version.data) or 0


def has_errors(form: FlaskForm) -> bool:
    """Whether the form, or a service it was passed to, found anything wrong."""
    return bool(form.errors or form.form_errors or getattr(form, "service_errors", False))


def refuse(claim_id: int, action: str, exc: DomainError) -> None:
    """Roll back a refused step and record only the refusal in the audit log."""
    db.session.rollback()
    record_refusal(db.session, claim_id, action, exc.message, by=actor())
    db.session.commit()
    log_security_event("action_denied", action=action, claim=claim_id, reason=exc.message)
    flash(exc.message, "error")
