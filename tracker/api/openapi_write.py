"""The OpenAPI description of the write endpoints (added to the one document of the API)."""

from __future__ import annotations

import copy
from typing import Any

from tracker.api.openapi import PATHS, add_operation, path_id
from tracker.api.openapi_schemas import (
    DATE,
    ID,
    INT,
    NUMBER,
    SCHEMAS,
    STRING,
    URL,
    nullable,
    obj,
    ref,
)
from tracker.models import ClaimStatus, FigureKind, FigureQualifier, Rating, VerdictEvent
from tracker.models.appearance import PLATFORMS
from tracker.services.appearances import APPEARANCE_LIMIT
from tracker.wording import LANGUAGE_NAMES

RATINGS = [r.value for r in Rating]
STATUSES = [s.value for s in ClaimStatus]


def _input(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """A request body schema: only the named properties, REQUIRED ones required."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


APPEARANCE_INPUT = _input(
    {
        "url": {**URL, "description": "Where the claim appeared (http or https)."},
        "date": nullable(DATE),
        "outlet_id": nullable({**ID, "description": "Found from the URL when left out."}),
        "language": nullable(STRING),
        "title": nullable(STRING),
        "platform": nullable(
            {
                "type": "string",
                "enum": list(PLATFORMS),
                "description": "Found from the URL's domain when left out (t.me: telegram).",
            }
        ),
    },
    ("url",),
)
_claim_fields: dict[str, Any] = {
    "text": {
        **STRING,
        "minLength": 1,
        "description": "The claim as it was made, in its own language.",
    },
    "language": nullable(
        {
            **STRING,
            "enum": sorted(LANGUAGE_NAMES),
            "description": "ISO 639-1 code (und: undetermined); detected when left out.",
        }
    ),
    "summary": nullable({**STRING, "description": "An English summary."}),
    "rating": nullable({"type": "string", "enum": RATINGS}),
    "rationale": nullable(STRING),
    "claimant": nullable({**STRING, "description": "Who made the claim."}),
    "external_id": nullable({**STRING, "description": "Your identifier; must be unique."}),
    "narratives": {"type": "array", "items": STRING, "description": "Narrative slugs."},
    "countries": {"type": "array", "items": STRING, "description": "ISO 3166-1 alpha-2."},
    "appearances": {
        "type": "array",
        "items": ref("AppearanceInput"),
        "maxItems": APPEARANCE_LIMIT,
        "description": (
            "Exactly these links: in a PATCH, links left out are removed (the audit log keeps "
            "them). To add one link, POST /api/v1/claims/{claim_id}/appearances."
        ),
    },
    "article_ids": {
        "type": "array",
        "items": ID,
        "description": "Exactly these debunk articles are linked (confirmed).",
    },
    "figure_ids": {
        "type": "array",
        "items": ID,
        "description": "Exactly these figures are linked (confirmed).",
    },
}
_patch_fields = {
    **copy.deepcopy(_claim_fields),
    "version": {
        **INT,
        "minimum": 1,
        "description": "The version you last saw; a newer one is a conflict.",
    },
    "status": {
        "type": "string",
        "enum": STATUSES,
        "description": (
            "Take a workflow step: draft/returned -> in_review (submit), in_review -> "
            "published (publish) or returned (return; needs comment), published -> "
            "retracted (retract; needs note)."
        ),
    },
    "comment": nullable({**STRING, "description": "For the analyst, when returning."}),
    "note": nullable(
        {
            **STRING,
            "description": "The public note of a retraction, a verdict update or a "
            "corrected wording (text or summary) of a published claim.",
        }
    ),
}
_article_fields = {
    "title": {**STRING, "minLength": 1},
    "url": nullable(URL),
    "publisher": nullable(STRING),
    "author": nullable(STRING),
    "published_on": nullable(DATE),
    "language": nullable(STRING),
    "text": nullable(STRING),
    "claim_statement": nullable(STRING),
    "is_ours": {"type": "boolean"},
    "rating": nullable({"type": "string", "enum": RATINGS}),
    "rating_text": nullable({**STRING, "description": "Their rating, as they wrote it."}),
    "external_id": nullable(STRING),
}
_figure_fields = {
    "subject": {**STRING, "minLength": 1, "description": "What is counted."},
    "value": NUMBER,
    "qualifier": {"type": "string", "enum": [q.value for q in FigureQualifier]},
    "kind": {"type": "string", "enum": [k.value for k in FigureKind]},
    "lower_bound": nullable(NUMBER),
    "upper_bound": nullable(NUMBER),
    "unit": nullable(STRING),
    "currency": nullable({**STRING, "description": "Three letters, for money."}),
    "period_start": nullable(DATE),
    "period_end": nullable(DATE),
    "place": nullable(STRING),
    "publisher": nullable(STRING),
    "cited_source": nullable(STRING),
    "source_url": nullable(URL),
    "published_on": nullable(DATE),
    "article_id": nullable(ID),
    "quote": nullable(STRING),
    "parts": {
        "type": "array",
        "items": _input({"label": STRING, "value": NUMBER}, ("label", "value")),
    },
    "external_id": nullable(STRING),
}

SCHEMAS.update(
    {
        "AppearanceInput": APPEARANCE_INPUT,
        "ClaimInput": _input(_claim_fields, ("text",)),
        "ClaimPatch": _input(_patch_fields, ("version",)),
        "ArticleInput": _input(_article_fields, ("title",)),
        "FigureInput": _input(_figure_fields, ("subject", "value")),
        "AppearanceRecord": obj(
            {
                "id": INT,
                "url": STRING,
                "date": nullable(DATE),
                "language": nullable(STRING),
                "platform": nullable(STRING),
                "title": nullable(STRING),
                "outlet_id": nullable(INT),
                "created": {"type": "boolean"},
            },
            optional=("created",),
        ),
        "ClaimRecord": obj(
            {
                "id": INT,
                "version": INT,
                "status": {"type": "string", "enum": STATUSES},
                "text": STRING,
                "language": STRING,
                "summary": nullable(STRING),
                "rating": nullable({"type": "string", "enum": RATINGS}),
                "rationale": nullable(STRING),
                "claimant": nullable(STRING),
                "external_id": nullable(STRING),
                "first_seen": nullable(DATE),
                "correction_note": nullable(STRING),
                "appearances": {"type": "array", "items": ref("AppearanceRecord")},
                "narratives": {"type": "array", "items": STRING},
                "countries": {"type": "array", "items": STRING},
                "article_ids": {"type": "array", "items": INT},
                "figure_ids": {"type": "array", "items": INT},
                "desk_url": URL,
                "updated_at": {"type": "string", "format": "date-time"},
            }
        ),
        "ValidationError": {
            "allOf": [
                ref("Error"),
                obj(
                    {
                        "errors": {
                            "type": "object",
                            "additionalProperties": {"type": "array", "items": STRING},
                            "description": "Messages by field (appearances[0].url, ...).",
                        }
                    }
                ),
            ]
        },
        "Conflict": {
            "allOf": [
                ref("Error"),
                {"type": "object", "properties": {"current": nullable({"type": "object"})}},
            ]
        },
    }
)


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


ERRORS = {
    "400": _json("Error", "The body is not a JSON object."),
    "401": _json("Error", "No token, or an unknown or revoked one."),
    "403": _json("Error", "A read-only token, a browser session, or not allowed for this user."),
    "413": _json("Error", "The body is over 1,000,000 bytes."),
    "422": _json("ValidationError", "Invalid values; messages by field."),
}


def _write(
    op_id: str,
    summary: str,
    body: str,
    responses: dict[str, Any],
    params: list[Any] | None = None,
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": op_id,
        "summary": summary,
        "tags": ["write"],
        "security": [{"token": []}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": ref(body)}}},
        "responses": {**responses, **ERRORS},
    }
    if params:
        operation["parameters"] = params
    return operation


CLAIM_ID = path_id("claim_id", "The claim's id.")
NOT_FOUND = _json("Error", "No such claim, or one this token's user may not see.")

add_operation(
    "/api/v1/claims",
    "post",
    _write(
        "createClaim",
        "Record a new draft claim with its appearances (archived in the background).",
        "ClaimInput",
        {"201": _json("ClaimRecord", "The claim as saved.")},
    ),
)
add_operation(
    "/api/v1/claims/{claim_id}",
    "patch",
    _write(
        "updateClaim",
        "Change the fields named, and/or take a workflow step with `status`.",
        "ClaimPatch",
        {
            "200": _json("ClaimRecord", "The claim as saved."),
            "404": NOT_FOUND,
            "409": _json("Conflict", "A newer version exists, or the step is not possible now."),
        },
        [CLAIM_ID],
    ),
)
add_operation(
    "/api/v1/claims/{claim_id}/appearances",
    "post",
    _write(
        "addAppearance",
        "Record one more place where the claim appeared.",
        "AppearanceInput",
        {
            "201": _json("AppearanceRecord", "The new appearance."),
            "200": _json("AppearanceRecord", "The claim already had this URL."),
            "404": NOT_FOUND,
        },
        [CLAIM_ID],
    ),
)
add_operation(
    "/api/v1/articles",
    "post",
    _write(
        "createArticle",
        "Record a debunk article (ours or another organisation's).",
        "ArticleInput",
        {"201": _json("ArticleSummary", "The article as saved.")},
    ),
)
add_operation(
    "/api/v1/figures",
    "post",
    _write(
        "createFigure",
        "Record a published figure with its provenance and parts.",
        "FigureInput",
        {"201": _json("FigureDetail", "The figure as saved.")},
    ),
)

# Reads need no token; with one, a claim is read as its user sees it on the desk.
_get_claim = PATHS["/api/v1/claims/{claim_id}"]["get"]
_get_claim["security"] = [{}, {"token": []}]
_get_claim["description"] = (
    "Without a token: published claims only. With a personal token (read or write scope): "
    "also the claims its user may open on the desk (their drafts; anything submitted; "
    "everything for editors), with the whole verdict history, never cached by others."
)
# A token sent with any read is checked: an unknown or revoked one is a 401 on every read,
# which the document said of the claim alone.
for _path, _item in PATHS.items():
    _read = _item.get("get")
    if _path.startswith("/api/v1/") and _read is not None:
        _read.setdefault("security", [{}, {"token": []}])
        _read["responses"]["401"] = _json(
            "Error", "An unknown or revoked token (reads need none; one sent must be valid)."
        )
for _name in ("ClaimSummary", "ClaimDetail"):
    SCHEMAS[_name]["properties"]["status"] = {
        "type": "string",
        "enum": STATUSES,
        "description": "published or retracted, unless read with a token (its desk records).",
    }
SCHEMAS["VerdictEvent"]["properties"]["event"]["enum"] = [e.value for e in VerdictEvent]
