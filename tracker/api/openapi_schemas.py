"""The schemas of the OpenAPI document: the shapes every API response and request has,
and the small vocabulary (`obj`, `ref`, `nullable`, the primitive types) they are written in.
"""

from __future__ import annotations

import copy
from typing import Any

from tracker.models import ClaimStatus, Rating
from tracker.services.validation import MAX_ROW_ID


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    out = dict(schema)
    kind = out["type"]
    out["type"] = [kind, "null"] if isinstance(kind, str) else [*kind, "null"]
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    return out


STRING = {"type": "string"}
INT = {"type": "integer"}
# A record's id: what the database's id columns hold (larger ones are refused with a 422).
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ROW_ID}
NUMBER = {"type": "number"}
URL = {"type": "string", "format": "uri"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}


def obj(properties: dict[str, Any], *, optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """An object schema: every property required unless named in OPTIONAL."""
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
    }


SCHEMAS: dict[str, Any] = {
    "Error": obj({"error": STRING, "message": STRING}),
    "Rating": obj(
        {
            "value": {"type": "string", "enum": [r.value for r in Rating]},
            "label": STRING,
            "number": nullable({"type": "integer", "minimum": 1, "maximum": 5}),
        }
    ),
    "OutletRef": obj({"id": INT, "name": STRING, "url": URL}),
    "NarrativeRef": obj({"slug": STRING, "name": STRING, "url": URL}),
    "ClaimSummary": obj(
        {
            "id": INT,
            "url": URL,
            "api_url": URL,
            "text": STRING,
            "language": STRING,
            "summary": nullable(STRING),
            "rating": nullable(ref("Rating")),
            "status": {"type": "string", "enum": ["published", "retracted"]},
            "correction_note": nullable(STRING),
            "first_seen": nullable(DATE),
            "published_at": nullable(DATETIME),
            "outlets": {"type": "array", "items": ref("OutletRef")},
            "score": NUMBER,
        },
        optional=("score",),
    ),
    "Appearance": obj(
        {
            "url": STRING,
            "date": nullable(DATE),
            "language": nullable(STRING),
            "platform": nullable(STRING),
            "title": nullable(STRING),
            "first": {"type": "boolean"},
            "outlet": nullable(ref("OutletRef")),
            "archive": nullable(
                obj(
                    {
                        "url": URL,
                        "fetched_at": DATETIME,
                        "sha256": nullable(STRING),
                        "title": nullable(STRING),
                    }
                )
            ),
        }
    ),
    "ArticleSummary": obj(
        {
            "id": INT,
            "url": URL,
            "source_url": nullable(STRING),
            "title": STRING,
            "publisher": nullable(STRING),
            "author": nullable(STRING),
            "published_on": nullable(DATE),
            "language": nullable(STRING),
            "claim_statement": nullable(STRING),
            "is_ours": {"type": "boolean"},
            "rating": nullable({"type": "string", "enum": [r.value for r in Rating]}),
            "rating_text": nullable(STRING),
        }
    ),
    "FigureSummary": obj(
        {
            "id": INT,
            "url": URL,
            "subject": STRING,
            "label": nullable(STRING),
            "value": NUMBER,
            "lower_bound": nullable(NUMBER),
            "upper_bound": nullable(NUMBER),
            "qualifier": {"type": "string", "enum": ["exact", "more_than", "less_than", "about"]},
            "kind": {"type": "string", "enum": ["count", "percent", "money"]},
            "unit": nullable(STRING),
            "currency": nullable(STRING),
            "period_start": nullable(DATE),
            "period_end": nullable(DATE),
            "place": nullable(STRING),
            "publisher": nullable(STRING),
            "cited_source": nullable(STRING),
            "source_url": nullable(STRING),
            "published_on": nullable(DATE),
            "parent_id": nullable(INT),
        }
    ),
    "FigureComparison": obj(
        {
            "figure": ref("FigureSummary"),
            "claim_id": INT,
            "stated_text": nullable(STRING),
            "stated_value": nullable(NUMBER),
            "relation": nullable(
                {
                    "type": "string",
                    "enum": ["consistent", "overstates", "understates", "not_comparable"],
                }
            ),
            "ratio": nullable(NUMBER),
            "comparison": STRING,
        }
    ),
    "VerdictEvent": obj(
        {
            "at": DATETIME,
            "event": {"type": "string", "enum": ["published", "updated", "corrected", "retracted"]},
            "rating": nullable({"type": "string", "enum": [r.value for r in Rating]}),
            "note": nullable(STRING),
        }
    ),
    "Facets": {
        "type": "object",
        "additionalProperties": {
            "type": "array",
            "items": obj({"value": STRING, "label": STRING, "count": INT}),
        },
    },
}

_claim_detail = copy.deepcopy(SCHEMAS["ClaimSummary"])
_claim_detail["properties"].update(
    rationale=nullable(STRING),
    appearances={"type": "array", "items": ref("Appearance")},
    narratives={"type": "array", "items": ref("NarrativeRef")},
    countries={"type": "array", "items": obj({"code": STRING, "name": STRING})},
    articles={"type": "array", "items": ref("ArticleSummary")},
    figures={"type": "array", "items": ref("FigureComparison")},
    related={
        "type": "array",
        "items": obj({"id": INT, "url": URL, "text": STRING, "language": STRING}),
    },
    history={"type": "array", "items": ref("VerdictEvent")},
    updated_at=DATETIME,
    version={
        **INT,
        "description": "Read with a token only: the version to send back with PATCH.",
    },
)
# Read with a token, a claim its user may open on the desk can be in any status.
_claim_detail["properties"]["status"] = {
    "type": "string",
    "enum": [status.value for status in ClaimStatus],
    "description": "published or retracted, unless read with a token",
}
_claim_detail["required"] = [
    n for n in _claim_detail["properties"] if n not in ("score", "version")
]
SCHEMAS["ClaimDetail"] = _claim_detail

_outlet = obj(
    {
        "id": INT,
        "name": STRING,
        "url": URL,
        "kind": STRING,
        "country": nullable(STRING),
        "state_affiliated": {"type": "boolean"},
        "description": nullable(STRING),
        "handles": {
            "type": "array",
            "items": obj(
                {"kind": {"type": "string", "enum": ["domain", "handle"]}, "value": STRING}
            ),
        },
        "claims": INT,
    }
)
SCHEMAS["Outlet"] = _outlet
_outlet_detail = copy.deepcopy(_outlet)
_outlet_detail["properties"].update(
    claims_by_verdict={
        "type": "object",
        "additionalProperties": INT,
        "description": "Public claims per verdict value; 'none' for claims without a verdict "
        "and 'retracted' for claims whose verdict was withdrawn.",
    },
    claims_per_month={"type": "object", "additionalProperties": INT},
    first_appearance=nullable(DATE),
    latest_appearance=nullable(DATE),
    top_narratives={
        "type": "array",
        "items": {"allOf": [ref("NarrativeRef"), obj({"claims": INT})]},
    },
)
_outlet_detail["required"] = list(_outlet_detail["properties"])
SCHEMAS["OutletDetail"] = _outlet_detail

_article_detail = copy.deepcopy(SCHEMAS["ArticleSummary"])
_article_detail["properties"].update(
    text=nullable(STRING), claims={"type": "array", "items": ref("ClaimSummary")}
)
_article_detail["required"] = list(_article_detail["properties"])
SCHEMAS["ArticleDetail"] = _article_detail

_figure_detail = copy.deepcopy(SCHEMAS["FigureSummary"])
_figure_detail["properties"].update(
    quote=nullable(STRING),
    parts={"type": "array", "items": ref("FigureSummary")},
    parts_total=nullable(NUMBER),
    remainder=nullable(NUMBER),
    claims={"type": "array", "items": ref("FigureComparison")},
)
_figure_detail["required"] = list(_figure_detail["properties"])
SCHEMAS["FigureDetail"] = _figure_detail


def page_of(item: str, *, search: bool = False) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "items": {"type": "array", "items": ref(item)},
        "next_cursor": nullable(STRING),
        "next": nullable(URL),
    }
    optional: tuple[str, ...] = ()
    if search:
        properties.update(
            total={"type": "integer", "minimum": 0},
            total_capped={"type": "boolean"},
            facets=ref("Facets"),
            notices={"type": "array", "items": STRING},
        )
        optional = ("total", "total_capped", "facets", "notices")
    return obj(properties, optional=optional)


SCHEMAS["ClaimPage"] = page_of("ClaimSummary", search=True)
SCHEMAS["OutletPage"] = page_of("Outlet")
SCHEMAS["ArticlePage"] = page_of("ArticleSummary")
SCHEMAS["FigurePage"] = page_of("FigureSummary")
