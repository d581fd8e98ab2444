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

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, jsonify
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker import jobs
from tracker.api import openapi_write  # noqa: F401 - documents these endpoints
from tracker.api import serializers as ser
from tracker.api.bodies import Body, json_object
from tracker.api.tokens import error, write_actor
from tracker.api.views import bp
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
    Narrative,
    Rating,
)
from tracker.public.urls import absolute_url
from tracker.services import articles as article_service
from tracker.services import claims as claim_service
from tracker.services import figures as figure_service
from tracker.services import outlets as outlet_service
from tracker.services import permissions, workflow

CLAIM_FIELDS = {
    "text", "language", "summary", "rating", "rationale", "claimant", "external_id",
    "narratives", "countries", "appearances", "article_ids", "figure_ids",
}  # fmt: skip
PATCH_FIELDS = CLAIM_FIELDS | {"version", "status", "comment", "note"}
APPEARANCE_FIELDS = {"url", "date", "outlet_id", "language", "title", "platform"}
ARTICLE_FIELDS = {
    "title", "url", "publisher", "author", "published_on", "language", "text",
    "claim_statement", "is_ours", "rating", "rating_text", "external_id",
}  # fmt: skip
FIGURE_FIELDS = {
    "subject", "value", "qualifier", "kind", "lower_bound", "upper_bound", "unit", "currency",
    "period_start", "period_end", "place", "publisher", "cited_source", "source_url",
    "published_on", "article_id", "quote", "parts", "external_id",
}  # fmt: skip
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


# The services name fields as the desk's forms do ("appearances-0-appeared_on"); the API
# documents its own names ("appearances[0].date").
_FORM_KEY = re.compile(r"^(appearances|parts)-(\d+)-(\w+)$")
_API_NAMES = {"summary_en": "summary", "appeared_on": "date"}


def api_field(name: str) -> str:
    """The API's name for a field the services report under their form name."""
    match = _FORM_KEY.match(name)
    if match:
        group, index, field = match.groups()
        return f"{group}[{index}].{_API_NAMES.get(field, field)}"
    return _API_NAMES.get(name, name)


def check(body: Body, validate: Callable[[], None]) -> None:
    """Raise one ValidationFailed with every problem: the body's (types, unknown and
    missing fields) and the service's own checks of the values, under the API's names.

    A field the body already faults is not checked again by the service (its value was
    not read, so the service would only repeat the complaint).
    """
    try:
        validate()
    except ValidationFailed as exc:
        for name, messages in exc.errors.items():
            key = api_field(name)
            if key not in body.errors:
                body.errors.setdefault(key, []).extend(messages)
    body.check()


def _follow_up(by: Actor, claim: Claim, appearances: list[Appearance] | None = None) -> None:
    """Commit, then archive the new links and refresh suggestions, as the desk does."""
    jobs.after_claim_saved(db.session, claim, by=by, appearances=appearances)


# --- claims ------------------------------------------------------------------------------


def _appearance(item: dict[str, Any], body: Body, index: int) -> claim_service.AppearanceInput:
    part = Body(item, APPEARANCE_FIELDS, prefix=f"appearances[{index}].")
    url = (part.text("url", required=True) or "").strip()
    outlet_id = part.integer("outlet_id")
    if outlet_id is None and url:
        found = outlet_service.find_by_url(db.session, url)
        outlet_id = found.id if found else None
    result = claim_service.AppearanceInput(
        url=url,
        appeared_on=part.day("date"),
        outlet_id=outlet_id,
        language=part.text("language"),
        title=part.text("title"),
        platform=part.text("platform"),
    )
    body.merge(part)
    return result


def _narrative_ids(body: Body) -> list[int] | None:
    slugs = body.texts("narratives")
    if slugs is None:
        return None
    found = dict(
        db.session.execute(
            select(Narrative.slug, Narrative.id).where(
                Narrative.slug.in_(slugs), Narrative.deleted_at.is_(None)
            )
        ).all()
    )
    for slug in slugs:
        if slug not in found:
            body.error("narratives", f"There is no narrative “{slug}” (give narrative slugs).")
    return [found[s] for s in slugs if s in found]


def _current(claim: Claim) -> claim_service.ClaimInput:
    """The claim as it is, as service input: a PATCH changes only what it names."""
    return claim_service.ClaimInput(
        text=claim.text,
        language=claim.language,
        summary_en=claim.summary_en,
        rating=claim.rating,
        rationale=claim.rationale,
        narrative_ids=[n.id for n in claim.narratives],
        country_codes=[c.code for c in claim.countries],
        appearances=[
            claim_service.AppearanceInput(
                url=a.url,
                appeared_on=a.appeared_on,
                outlet_id=a.outlet_id,
                platform=a.platform,
                language=a.language,
                title=a.title,
                snapshot_id=a.snapshot_id,
            )
            for a in claim.appearances
        ],
    )


def _claim_input(body: Body, claim: Claim | None) -> claim_service.ClaimInput:
    data = _current(claim) if claim is not None else claim_service.ClaimInput(text="")
    text = body.text("text", required=claim is None)
    if text is not None:
        data.text = text
    for field, attribute in (
        ("language", "language"),
        ("summary", "summary_en"),
        ("rationale", "rationale"),
        ("claimant", "claimant"),
        ("external_id", "external_id"),
    ):
        if body.has(field):
            setattr(data, attribute, body.text(field))
    if body.has("rating"):
        data.rating = body.choice("rating", Rating)
    narratives = _narrative_ids(body)
    if narratives is not None:
        data.narrative_ids = narratives
    countries = body.texts("countries")
    if countries is not None:
        data.country_codes = countries
    items = body.objects("appearances")
    if items is not None:
        data.appearances = [_appearance(item, body, i) for i, item in enumerate(items)]
    data.article_ids = body.integers("article_ids")
    data.figure_ids = body.integers("figure_ids")
    return data


@bp.post("/v1/claims")
@api_write
def claim_create(by: Actor) -> tuple[Response, int]:
    """A new draft claim (submit it with a PATCH of its status)."""
    body = Body(json_object(), CLAIM_FIELDS)
    data = _claim_input(body, None)
    check(body, lambda: claim_service.validate(data))
    claim = claim_service.create_claim(db.session, data, by=by)
    _follow_up(by, claim)
    response = jsonify(claim_record(claim))
    response.headers["Location"] = absolute_url(
        "desk.claim",
        claim_id=claim.id,
    )
    return response, 201


@bp.patch("/v1/claims/<int:claim_id>")
@api_write
def claim_update(by: Actor, claim_id: int) -> Response:
    """Change what the body names; ``version`` is the one last seen; ``status`` takes a step."""
    claim = permissions.require_view(by.user, db.session.get(Claim, claim_id), claim_id)
    body = Body(json_object(), PATCH_FIELDS)
    version = body.integer("version", required=True)
    target = body.choice("status", ClaimStatus) if body.has("status") else None
    comment, note = body.text("comment"), body.text("note")
    published = claim.status == ClaimStatus.PUBLISHED
    # A published verdict changes by a dated public update, not by an edit.
    verdict_change = published and (body.has("rating") or body.has("rationale"))
    data = _claim_input(body, claim)
    check(body, lambda: claim_service.validate(data))
    content = set(body.data) & CLAIM_FIELDS - ({"rating", "rationale"} if published else set())
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
    item = _appearance(body.data, body, 0)
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
        language=body.text("language"),
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
    response.headers["Location"] = absolute_url(
        "desk.article",
        article_id=article.id,
    )
    return response, 201


def _parts(body: Body) -> list[figure_service.PartInput]:
    parts = []
    for index, item in enumerate(body.objects("parts") or []):
        part = Body(item, {"label", "value"}, prefix=f"parts[{index}].")
        label = part.text("label", required=True) or ""
        value = part.number("value", required=True)
        body.merge(part)
        parts.append(figure_service.PartInput(label, value if value is not None else 0.0))
    return parts


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
        article_id=body.integer("article_id"),
        quote=body.text("quote"),
        parts=_parts(body),
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
    response.headers["Location"] = absolute_url(
        "desk.figure",
        figure_id=figure.id,
    )
    return response, 201
