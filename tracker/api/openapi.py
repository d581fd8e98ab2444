"""The OpenAPI 3.1 document of the API, built from one description in this module.

To document a new endpoint, add its operation with :func:`add_operation` (and any schema to
`SCHEMAS`) next to the view; a test checks that every ``/api/`` route is described and that
responses match their schemas.
"""

from __future__ import annotations

import copy
from typing import Any

from tracker.models import Rating

API_VERSION = "1.0.0"


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
            "event": {"type": "string", "enum": ["published", "updated", "retracted"]},
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
)
_claim_detail["required"] = [n for n in _claim_detail["properties"] if n != "score"]
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
    claims_by_verdict={"type": "object", "additionalProperties": INT},
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


def query_param(name: str, description: str, schema: dict[str, Any], **extra: Any) -> dict:
    return {"name": name, "in": "query", "description": description, "schema": schema, **extra}


def path_id(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "integer", "minimum": 1, "maximum": 2_147_483_647},
    }


LIMIT = query_param(
    "limit",
    "Items per page (1-100).",
    {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
)
CURSOR = query_param("cursor", "The `next_cursor` of the previous page.", STRING)
CLAIM_FILTERS = [
    query_param(
        "q",
        "Words to search for (any language; case and accents do not matter).",
        {"type": "string", "maxLength": 10000},
    ),
    query_param(
        "verdict",
        "Only these verdicts (repeat or separate with commas).",
        {"type": "array", "items": {"type": "string", "enum": [r.value for r in Rating]}},
        style="form",
        explode=True,
    ),
    query_param(
        "outlet",
        "Only claims that appeared in this outlet (its id).",
        {"type": "integer", "minimum": 1},
    ),
    query_param(
        "country",
        "Only claims about this country (ISO 3166-1 alpha-2).",
        {"type": "string", "pattern": "^[A-Za-z]{2}$"},
    ),
    query_param("language", "Only claims in this language (ISO 639-1 code).", STRING),
    query_param("narrative", "Only claims serving this narrative (its slug).", STRING),
    query_param("from", "First seen on or after this date.", DATE),
    query_param("to", "First seen on or before this date.", DATE),
    query_param(
        "sort",
        "With q: relevance (default) or newest. Without q claims are always newest first.",
        {"type": "string", "enum": ["relevance", "newest"]},
    ),
]


def _json(schema_name: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": ref(schema_name)}},
    }


def _errors(*codes: int) -> dict[str, Any]:
    words = {400: "Invalid parameter", 404: "Not found", 304: "Not modified"}
    out: dict[str, Any] = {}
    for code in codes:
        if code == 304:
            out["304"] = {"description": "Not modified since the ETag or date given."}
        else:
            out[str(code)] = _json("Error", words[code])
    return out


def _conditional_headers() -> dict[str, Any]:
    return {
        "ETag": {"schema": STRING, "description": "Changes whenever the body changes."},
        "Last-Modified": {"schema": STRING, "description": "When the record last changed."},
    }


PATHS: dict[str, dict[str, Any]] = {}
SECURITY_SCHEMES: dict[str, Any] = {
    "token": {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token (created at /desk/tokens); writes need scope write.",
    }
}


def add_operation(path: str, method: str, operation: dict[str, Any]) -> None:
    """Describe one endpoint (other parts of the app add theirs the same way)."""
    PATHS.setdefault(path, {})[method.lower()] = operation


def _detail(op_id: str, summary: str, schema: str, param: dict[str, Any]) -> dict[str, Any]:
    ok = _json(schema, "The record.")
    ok["headers"] = _conditional_headers()
    return {
        "operationId": op_id,
        "summary": summary,
        "tags": ["read"],
        "parameters": [param],
        "responses": {"200": ok, **_errors(304, 404)},
    }


def _list(op_id: str, summary: str, schema: str, params: list[Any]) -> dict[str, Any]:
    return {
        "operationId": op_id,
        "summary": summary,
        "tags": ["read"],
        "parameters": params,
        "responses": {"200": _json(schema, "One page of results."), **_errors(400)},
    }


add_operation(
    "/api/v1/claims",
    "get",
    _list(
        "listClaims",
        "Published claims, newest first, or searched when q is given.",
        "ClaimPage",
        [*CLAIM_FILTERS, LIMIT, CURSOR],
    ),
)
_search = _list(
    "searchClaims",
    "Full-text search over published claims.",
    "ClaimPage",
    [*CLAIM_FILTERS, LIMIT, CURSOR],
)
_search["parameters"][0] = {**CLAIM_FILTERS[0], "required": True}
add_operation("/api/v1/search", "get", _search)
add_operation(
    "/api/v1/claims/{claim_id}",
    "get",
    _detail(
        "getClaim",
        "One published claim with everything attached.",
        "ClaimDetail",
        path_id("claim_id", "The claim's id."),
    ),
)
add_operation(
    "/api/v1/outlets",
    "get",
    _list(
        "listOutlets",
        "Outlets with published claims.",
        "OutletPage",
        [
            query_param(
                "sort", "claims (default) or name.", {"type": "string", "enum": ["claims", "name"]}
            ),
            LIMIT,
            CURSOR,
        ],
    ),
)
add_operation(
    "/api/v1/outlets/{outlet_id}",
    "get",
    _detail(
        "getOutlet",
        "One outlet with its claim statistics.",
        "OutletDetail",
        path_id("outlet_id", "The outlet's id."),
    ),
)
add_operation(
    "/api/v1/articles",
    "get",
    _list("listArticles", "Debunk articles, newest first.", "ArticlePage", [LIMIT, CURSOR]),
)
add_operation(
    "/api/v1/articles/{article_id}",
    "get",
    _detail(
        "getArticle",
        "One debunk article and the claims it addresses.",
        "ArticleDetail",
        path_id("article_id", "The article's id."),
    ),
)
add_operation(
    "/api/v1/figures",
    "get",
    _list("listFigures", "Published figures, newest first.", "FigurePage", [LIMIT, CURSOR]),
)
add_operation(
    "/api/v1/figures/{figure_id}",
    "get",
    _detail(
        "getFigure",
        "One figure with its parts and the claims compared with it.",
        "FigureDetail",
        path_id("figure_id", "The figure's id."),
    ),
)
add_operation(
    "/api/openapi.json",
    "get",
    {
        "operationId": "getOpenApi",
        "summary": "This document.",
        "tags": ["meta"],
        "responses": {
            "200": {
                "description": "The OpenAPI document.",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        },
    },
)


def openapi_document(self_url: str) -> dict[str, Any]:
    """The whole document; SELF_URL is where it is served (the server is its origin)."""
    origin = self_url.split("/api/", 1)[0]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Disinfo Tracker API",
            "version": API_VERSION,
            "description": (
                "Read access to the public record: published claims with their verdicts, "
                "appearances, debunk articles and figures. Writes (tag `write`) need a "
                "personal API token with write scope, sent as `Authorization: Bearer ...`; "
                "browser sessions cannot write. Errors are "
                '`{"error": ..., "message": ...}` (with `errors` by field for 422). '
                "Lists are paged with `cursor`."
            ),
        },
        "servers": [{"url": origin}],
        "paths": copy.deepcopy(PATHS),
        "components": {
            "schemas": copy.deepcopy(SCHEMAS),
            "securitySchemes": copy.deepcopy(SECURITY_SCHEMES),
        },
    }
