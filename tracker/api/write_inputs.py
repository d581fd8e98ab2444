"""The write API's request bodies turned into service input, and the services' field names
turned back into the API's (so a 422 names "appearances[0].date", not the form's key)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from tracker.api.bodies import Body
from tracker.errors import ValidationFailed
from tracker.extensions import db
from tracker.interop.urls import completed_url
from tracker.models import Claim, Narrative, Rating
from tracker.models.appearance import PLATFORMS
from tracker.services import claims as claim_service
from tracker.services import figures as figure_service
from tracker.services import outlets as outlet_service
from tracker.services.appearances import APPEARANCE_LIMIT

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

# The services name fields as the desk's forms do ("appearances-0-appeared_on"); the API
# documents its own names ("appearances[0].date").
_FORM_KEY = re.compile(r"^(appearances|parts)-(\d+)-(\w+)$")
_API_NAMES = {"summary_en": "summary", "appeared_on": "date", "public_note": "note"}


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


def appearance_input(item: dict[str, Any], body: Body, index: int) -> claim_service.AppearanceInput:
    """One appearance of the body; its outlet is found from the URL when not given."""
    part = Body(item, APPEARANCE_FIELDS, prefix=f"appearances[{index}].")
    url = completed_url(part.text("url", required=True) or "")  # as the desk completes it
    outlet_id = part.record_id("outlet_id")
    if outlet_id is None and url:
        found = outlet_service.find_by_url(db.session, url)
        outlet_id = found.id if found else None
    result = claim_service.AppearanceInput(
        url=url,
        appeared_on=part.day("date"),
        outlet_id=outlet_id,
        language=part.language("language"),
        title=part.text("title"),
        platform=part.one_of("platform", PLATFORMS),
    )
    body.merge(part)
    return result


def narrative_ids(body: Body) -> list[int] | None:
    """The ids of the narratives the body names by slug (None when it names none)."""
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


def current_input(claim: Claim) -> claim_service.ClaimInput:
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


def claim_input(body: Body, claim: Claim | None) -> claim_service.ClaimInput:
    """A new claim from the body, or CLAIM with what the body changes."""
    data = current_input(claim) if claim is not None else claim_service.ClaimInput(text="")
    text = body.text("text", required=claim is None)
    if text is not None:
        data.text = text
    elif claim is not None and body.has("text"):
        body.error("text", "A claim keeps its text: give the new text, not null.")
    if body.has("language"):
        data.language = body.language("language")
    for field, attribute in (
        ("summary", "summary_en"),
        ("rationale", "rationale"),
        ("claimant", "claimant"),
        ("external_id", "external_id"),
    ):
        if body.has(field):
            setattr(data, attribute, body.text(field))
    if body.has("rating"):
        data.rating = body.choice("rating", Rating)
    narratives = narrative_ids(body)
    if narratives is not None:
        data.narrative_ids = narratives
    countries = body.texts("countries")
    if countries is not None:
        data.country_codes = countries
    items = body.objects("appearances")
    if items is not None and len(items) > APPEARANCE_LIMIT:
        body.error(
            "appearances",
            f"{len(items):,} links were sent; at most {APPEARANCE_LIMIT} can be saved at once. "
            "Add more with POST /api/v1/claims/{id}/appearances.",
        )
    elif items is not None:
        data.appearances = [appearance_input(item, body, i) for i, item in enumerate(items)]
    data.article_ids = body.integers("article_ids")
    data.figure_ids = body.integers("figure_ids")
    return data


def part_inputs(body: Body) -> list[figure_service.PartInput]:
    """The parts (breakdown) of a figure in the body."""
    parts = []
    for index, item in enumerate(body.objects("parts") or []):
        part = Body(item, {"label", "value"}, prefix=f"parts[{index}].")
        label = part.text("label", required=True) or ""
        value = part.number("value", required=True)
        body.merge(part)
        parts.append(figure_service.PartInput(label, value if value is not None else 0.0))
    return parts
