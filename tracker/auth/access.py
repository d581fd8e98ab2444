"""Access control as data: one table of endpoint -> who may call it, enforced in one place.

Every endpoint of the app must appear in ENDPOINT_ACCESS. An endpoint missing from the table
is refused to everyone (fail closed), and a test walks the URL map to catch omissions.
Record-level rules (an analyst may edit only their own drafts) live in the services.
"""

from __future__ import annotations

from enum import StrEnum

from flask import abort, current_app, redirect, request, url_for
from flask_login import AnonymousUserMixin, current_user
from werkzeug.wrappers import Response

from tracker.models import Role, User


class Access(StrEnum):
    PUBLIC = "public"
    ANALYST = "analyst"  # any active signed-in user
    EDITOR = "editor"
    ADMIN = "admin"
    # API endpoints that authenticate with a bearer token themselves.
    API_TOKEN = "api_token"  # noqa: S105 - an access level, not a secret


ROLE_FOR_ACCESS = {
    Access.ANALYST: Role.ANALYST,
    Access.EDITOR: Role.EDITOR,
    Access.ADMIN: Role.ADMIN,
}

ENDPOINT_ACCESS: dict[str, Access] = {
    "static": Access.PUBLIC,
    "health.healthz": Access.PUBLIC,
    "health.readyz": Access.PUBLIC,
    "auth.login": Access.PUBLIC,
    "auth.logout": Access.PUBLIC,
    "account.account": Access.ANALYST,
    "account.change_password": Access.ANALYST,
    "account.change_email": Access.ANALYST,
    "public.home": Access.PUBLIC,
    "public.favicon": Access.PUBLIC,
    "public.check": Access.PUBLIC,
    "api.xref_check": Access.PUBLIC,
    "public.search": Access.PUBLIC,
    "public.claim": Access.PUBLIC,
    "public.snapshot": Access.PUBLIC,
    "public.outlets": Access.PUBLIC,
    "public.outlet": Access.PUBLIC,
    "public.narratives": Access.PUBLIC,
    "public.narrative": Access.PUBLIC,
    "public.article": Access.PUBLIC,
    "public.figure": Access.PUBLIC,
    "public.claims_feed": Access.PUBLIC,
    "public.claimreview_feed": Access.PUBLIC,
    "public.export_csv": Access.PUBLIC,
    "public.export_jsonl": Access.PUBLIC,
    "api.claims": Access.PUBLIC,
    "api.search": Access.PUBLIC,
    "api.claim": Access.PUBLIC,
    "api.outlets": Access.PUBLIC,
    "api.outlet": Access.PUBLIC,
    "api.articles": Access.PUBLIC,
    "api.article": Access.PUBLIC,
    "api.figures": Access.PUBLIC,
    "api.figure": Access.PUBLIC,
    "api.openapi": Access.PUBLIC,
    # Writes: a personal API token with write scope (checked by tracker.api.tokens).
    "api.claim_create": Access.API_TOKEN,
    "api.claim_update": Access.API_TOKEN,
    "api.claim_appearance_add": Access.API_TOKEN,
    "api.article_create": Access.API_TOKEN,
    "api.figure_create": Access.API_TOKEN,
    "desk.home": Access.ANALYST,
    "desk.claim": Access.ANALYST,
    "desk.claim_new": Access.ANALYST,
    "desk.claim_edit": Access.ANALYST,
    "desk.claim_add_appearances": Access.ANALYST,
    "desk.claim_workflow": Access.ANALYST,
    "desk.claim_comment": Access.ANALYST,
    "desk.claim_assign": Access.EDITOR,
    "desk.claim_delete": Access.ANALYST,
    "desk.claim_restore": Access.EDITOR,
    "desk.link_decide": Access.ANALYST,
    "desk.appearance_recapture": Access.ANALYST,
    "desk.snapshot": Access.ANALYST,
    "desk.capture": Access.ANALYST,
    "desk.xref_suggest": Access.ANALYST,
    "desk.review": Access.EDITOR,
    "desk.articles": Access.ANALYST,
    "desk.article": Access.ANALYST,
    "desk.article_new": Access.ANALYST,
    "desk.article_edit": Access.ANALYST,
    "desk.article_withdraw": Access.EDITOR,
    "desk.article_restore": Access.EDITOR,
    "desk.figures": Access.ANALYST,
    "desk.figure": Access.ANALYST,
    "desk.figure_new": Access.ANALYST,
    "desk.figure_edit": Access.ANALYST,
    "desk.figure_withdraw": Access.EDITOR,
    "desk.figure_restore": Access.EDITOR,
    "desk.outlets": Access.ANALYST,
    "desk.outlet_lookup": Access.ANALYST,
    "desk.outlet_new": Access.ANALYST,
    "desk.outlet_edit": Access.ANALYST,
    "desk.outlet_merge": Access.EDITOR,
    "desk.narratives": Access.ANALYST,
    "desk.narrative_new": Access.ANALYST,
    "desk.narrative_edit": Access.ANALYST,
    "desk.narrative_merge": Access.EDITOR,
    "desk.jobs": Access.ANALYST,
    "desk.job_retry": Access.ANALYST,
    "desk.tokens": Access.ANALYST,
    "desk.token_revoke": Access.ANALYST,
    "desk.audit": Access.ADMIN,
    "desk.users": Access.ADMIN,
    "desk.user_role": Access.ADMIN,
    "desk.user_deactivate": Access.ADMIN,
    "desk.user_reactivate": Access.ADMIN,
}


def is_allowed(access: Access, user: User | AnonymousUserMixin) -> bool:
    """Whether `user` (a User or Flask-Login's anonymous user) may use an endpoint."""
    if access in (Access.PUBLIC, Access.API_TOKEN):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return user.has_role(ROLE_FOR_ACCESS[access])


def enforce_access() -> Response | None:
    """before_request hook: refuse the request unless the table allows it."""
    endpoint = request.endpoint
    if endpoint is None:  # no route matched; the 404/405 handlers answer
        return None
    access = ENDPOINT_ACCESS.get(endpoint)
    if access is None:
        current_app.logger.error("endpoint %s is missing from ENDPOINT_ACCESS", endpoint)
        abort(403)
    if is_allowed(access, current_user):
        return None
    if not current_user.is_authenticated:
        if request.path.startswith("/api/"):
            abort(401)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    from tracker.security import log_security_event

    log_security_event("access_denied", endpoint=endpoint, role=current_user.role)
    _audit_denial(endpoint, access)
    abort(403)


def _target(view_args: dict[str, object]) -> tuple[str, int | None]:
    """The record a refused URL was about, as the audit trail names it."""
    link_id = view_args.get("link_id")
    if "kind" in view_args and isinstance(link_id, int):
        return f"{view_args['kind']}_link"[:50], link_id
    for name, value in view_args.items():
        if name.endswith("_id") and isinstance(value, int):
            return name.removesuffix("_id"), value
    return "page", None


def _audit_denial(endpoint: str, access: Access) -> None:
    """Leave the refusal in the audit log (signed-in users only; nothing else is written)."""
    from sqlalchemy.exc import SQLAlchemyError

    from tracker.audit import Actor, record_denial
    from tracker.extensions import db

    entity, entity_id = _target(request.view_args or {})
    by = Actor(current_user._get_current_object(), request.remote_addr)
    reason = f"only {access.value}s may use {endpoint}; {current_user.role} refused"
    try:
        record_denial(
            db.session, entity, entity_id, f"{request.method} {request.path}", reason, by=by
        )
        db.session.commit()
    except SQLAlchemyError:  # the 403 stands even when the log cannot be written
        db.session.rollback()
        current_app.logger.exception("could not record the refusal of %s", endpoint)
