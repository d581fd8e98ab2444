"""Write API v1: claims, appearances, debunk articles and figures, with a personal token.

Every write goes through the same services as the desk's forms, so it meets the same
validation, record-level permissions, workflow rules and audit trail (the audit events
name the token's user and the client's address). Token requests need no CSRF token;
requests authenticated by a browser session cannot write (see :mod:`tracker.api.tokens`).

Errors: 400 for a body that is not a JSON object, 401/403 for tokens and permissions, 404
for a claim the token's user may not see, 409 for an edit conflict or a workflow step
that is not possible now, 422 with ``errors`` by field for invalid values.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, jsonify
from werkzeug.wrappers import Response

from tracker import jobs
from tracker.api import openapi_write  # noqa: F401 - documents these endpoints
from tracker.api import serializers as ser
from tracker.api.bodies import Body, BodyRefused, json_object
from tracker.api.tokens import error, write_actor
from tracker.api.views import bp
from tracker.api.write_inputs import (
    APPEARANCE_FIELDS,
    ARTICLE_FIELDS,
    CLAIM_FIELDS,
    FIGURE_FIELDS,
    PATCH_FIELDS,
    api_field,
    appearance_input,
    check,
    claim_input,
    part_inputs,
)
from tracker.api.write_records import appearance_record, claim_record
from tracker.audit import Actor, record_denial
from tracker.errors import (
    DomainError,
    EditConflict,
    InvalidTransition,
    PermissionDenied,
    ValidationFailed,
)
from tracker.extensions import csrf, db
from tracker.models import (
    Appearance,
    Claim,
    ClaimStatus,
    FigureKind,
    FigureQualifier,
    Rating,
)
from tracker.public.urls import absolute_url
from tracker.services import articles as article_service
from tracker.services import claims as claim_service
from tracker.services import figures as figure_service
from tracker.services import permissions, workflow

STEPS = {
    (ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW): workflow.Action.SUBMIT,
    (ClaimStatus.RETURNED, ClaimStatus.IN_REVIEW): workflow.Action.SUBMIT,
    (ClaimStatus.IN_REVIEW, ClaimStatus.PUBLISHED): workflow.Action.PUBLISH,
    (ClaimStatus.IN_REVIEW, ClaimStatus.RETURNED): workflow.Action.RETURN,
    (ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED): workflow.Action.RETRACT,
}


def api_write(view: Callable[..., Response | tuple[Response, int]]) -> Callable[..., Any]:
    """Token-only, CSRF-exempt, and domain errors in the API's error shape."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        by = write_actor()
        try:
            return view(by, *args, **kwargs)
        except DomainError as exc:
            db.session.rollback()
            if isinstance(exc, PermissionDenied | InvalidTransition):
                # Only the refusal is kept: written after the refused change is rolled back.
                entity = view.__name__.split("_")[0]
                record_denial(
                    db.session, entity, kwargs.get("claim_id"), view.__name__, exc.message, by=by
                )
                db.session.commit()
            return _domain_error(exc)

    return csrf.exempt(wrapper)


def _domain_error(exc: DomainError) -> Response:
    if isinstance(exc, BodyRefused):
        return error(422, exc.message, errors=exc.errors)
    if isinstance(exc, ValidationFailed):
        errors: dict[str, list[str]] = {}
        for name, messages in exc.errors.items():
            errors.setdefault(api_field(name), []).extend(messages)
        return error(422, exc.message, errors=errors)
    if isinstance(exc, EditConflict):
        current = exc.current if isinstance(exc.current, dict) else None
        return error(409, exc.message, current=current)
    if isinstance(exc, InvalidTransition):
        return error(409, exc.message)
    return error(exc.status, exc.message)


def _follow_up(by: Actor, claim: Claim, appearances: list[Appearance] | None = None) -> None:
    """Commit, then archive the new links and refresh suggestions, as the desk does."""
    jobs.after_claim_saved(db.session, claim, by=by, appearances=appearances)


# --- claims ------------------------------------------------------------------------------


@bp.post("/v1/claims")
@api_write
def claim_create(by: Actor) -> tuple[Response, int]:
    """A new draft claim (submit it with a PATCH of its status)."""
    body = Body(json_object(), CLAIM_FIELDS)
    data = claim_input(body, None)
    check(body, lambda: claim_service.validate(data))
    claim = claim_service.create_claim(db.session, data, by=by)
    _follow_up(by, claim)
    response = jsonify(claim_record(claim))
    response.headers["Location"] = absolute_url("api.claim", claim_id=claim.id)
    return response, 201


@bp.patch("/v1/claims/<int:claim_id>")
@api_write
def claim_update(by: Actor, claim_id: int) -> Response:
    """Change what the body names; ``version`` is the one last seen; ``status`` takes a step."""
    claim = permissions.require_view(by.user, db.session.get(Claim, claim_id), claim_id)
    body = Body(json_object(), PATCH_FIELDS)
    version = body.integer("version", required=True, minimum=1)
    target = body.choice("status", ClaimStatus) if body.has("status") else None
    comment, note = body.text("comment"), body.text("note")
    published = claim.status == ClaimStatus.PUBLISHED
    # A published verdict changes by a dated public update, not by an edit.
    verdict_change = published and (body.has("rating") or body.has("rationale"))
    data = claim_input(body, claim)
    data.public_note = note  # a public claim's corrected wording is announced with it
    check(body, lambda: claim_service.validate(data))
    content = set(body.data) & CLAIM_FIELDS - ({"rating", "rationale"} if published else set())
    if content or verdict_change:
        # Before the version: one who may not change the claim gets 403, not a 409 with it.
        permissions.require_edit(by.user, claim)
    if version != claim.version:
        raise EditConflict(
            f"Someone else saved this claim after version {version}; it is now version "
            f"{claim.version}.",
            current=claim_record(claim),
        )
    if content:
        if published:
            data.rating, data.rationale = claim.rating, claim.rationale
        claim_service.update_claim(db.session, claim, data, expected_version=version, by=by)
    four_eyes = bool(current_app.config.get("FOUR_EYES", True))
    if verdict_change:
        workflow.apply(
            db.session,
            claim,
            workflow.Action.UPDATE_VERDICT,
            by=by,
            rating=data.rating,
            rationale=data.rationale,
            note=note,
            four_eyes=four_eyes,
        )
    if target is not None and target != claim.status:
        step = STEPS.get((claim.status, target))
        if step is None:
            raise InvalidTransition(
                f"A claim that is {claim.status.value.replace('_', ' ')} cannot become "
                f"{target.value.replace('_', ' ')}."
            )
        workflow.apply(
            db.session, claim, step, by=by, comment=comment, note=note, four_eyes=four_eyes
        )
    _follow_up(by, claim)
    return jsonify(claim_record(claim))


@bp.post("/v1/claims/<int:claim_id>/appearances")
@api_write
def claim_appearance_add(by: Actor, claim_id: int) -> tuple[Response, int]:
    """One more place where the claim appeared (a claim that keeps coming back)."""
    claim = permissions.require_view(by.user, db.session.get(Claim, claim_id), claim_id)
    body = Body(json_object(), APPEARANCE_FIELDS)
    item = appearance_input(body.data, body, 0)
    body.errors = {k.removeprefix("appearances[0]."): v for k, v in body.errors.items()}
    body.check()
    before = {a.id for a in claim.appearances}
    appearance = claim_service.add_appearance(db.session, claim, item, by=by)
    created = appearance.id not in before
    _follow_up(by, claim, [appearance])
    return jsonify({**appearance_record(appearance), "created": created}), 201 if created else 200


# --- articles and figures ----------------------------------------------------------------


@bp.post("/v1/articles")
@api_write
def article_create(by: Actor) -> tuple[Response, int]:
    """A debunk article (ours or another organisation's)."""
    body = Body(json_object(), ARTICLE_FIELDS)
    data = article_service.ArticleInput(
        title=body.text("title", required=True) or "",
        url=body.text("url"),
        publisher=body.text("publisher"),
        author=body.text("author"),
        published_on=body.day("published_on"),
        language=body.language("language"),
        text=body.text("text"),
        claim_statement=body.text("claim_statement"),
        is_ours=bool(body.boolean("is_ours")),
        rating=body.choice("rating", Rating),
        rating_text=body.text("rating_text"),
        external_id=body.text("external_id"),
    )
    check(body, lambda: article_service.validate(db.session, data))
    article = article_service.create_article(db.session, data, by=by)
    jobs.after_record_saved(db.session, "article", article.id, by=by)
    response = jsonify(
        {**ser.article_summary(article, absolute_url), "external_id": article.external_id}
    )
    response.headers["Location"] = absolute_url("api.article", article_id=article.id)
    return response, 201


@bp.post("/v1/figures")
@api_write
def figure_create(by: Actor) -> tuple[Response, int]:
    """A published number with its provenance, optionally with parts (a breakdown)."""
    body = Body(json_object(), FIGURE_FIELDS)
    value = body.number("value", required=True)
    data = figure_service.FigureInput(
        subject=body.text("subject", required=True) or "",
        value=value if value is not None else 0.0,
        qualifier=body.choice("qualifier", FigureQualifier) or FigureQualifier.EXACT,
        kind=body.choice("kind", FigureKind) or FigureKind.COUNT,
        lower_bound=body.number("lower_bound"),
        upper_bound=body.number("upper_bound"),
        unit=body.text("unit"),
        currency=body.text("currency"),
        period_start=body.day("period_start"),
        period_end=body.day("period_end"),
        place=body.text("place"),
        publisher=body.text("publisher"),
        cited_source=body.text("cited_source"),
        source_url=body.text("source_url"),
        published_on=body.day("published_on"),
        article_id=body.record_id("article_id"),
        quote=body.text("quote"),
        parts=part_inputs(body),
        external_id=body.text("external_id"),
    )
    check(body, lambda: figure_service.validate(db.session, data))
    figure = figure_service.create_figure(db.session, data, by=by)
    jobs.after_record_saved(db.session, "figure", figure.id, by=by)
    payload = {
        **ser.figure_detail(figure, list(figure.parts), absolute_url),
        "claims": [],
        "external_id": figure.external_id,
    }
    response = jsonify(payload)
    response.headers["Location"] = absolute_url("api.figure", figure_id=figure.id)
    return response, 201
