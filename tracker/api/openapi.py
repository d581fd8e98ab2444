"""The OpenAPI 3.1 document of the API: its operations, parameters and the document itself.

To document a new endpoint, add its operation with :func:`add_operation` (and any schema to
`SCHEMAS` in :mod:`tracker.api.openapi_schemas`) next to the view; a test checks that every
``/api/`` route is described and that responses match their schemas.
"""

from __future__ import annotations

import copy
from typing import Any

from tracker.api.openapi_schemas import DATE, SCHEMAS, STRING, ref
from tracker.public.filters import VERDICT_VALUES

API_VERSION = "1.0.0"


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
        "Words to search for (any language; case and accents do not matter). Up to 10,000 "
        "characters are taken; words after the first 500 are not searched, and the "
        "response's notices say so.",
        {"type": "string", "maxLength": 10000},
    ),
    query_param(
        "verdict",
        "Only these verdicts (repeat or separate with commas); 'retracted': the claims "
        "whose verdict was withdrawn (they no longer count under the verdict they had).",
        {"type": "array", "items": {"type": "string", "enum": list(VERDICT_VALUES)}},
        style="form",
        explode=True,
    ),
    query_param(
        "outlet",
        "Only claims that appeared in this outlet: its id, or its name (any case; a name "
        "that no public outlet or several have is a 400 naming them).",
        {"type": "string", "minLength": 1, "maxLength": 200},
    ),
    query_param(
        "country",
        "Only claims about this country: its ISO 3166-1 alpha-2 code (any case) or its "
        "English name (Ukraine); anything else is a 400.",
        {"type": "string", "minLength": 2, "maxLength": 100},
    ),
    query_param(
        "language",
        "Only claims in this language: its ISO 639-1 code (any case) or its name in English "
        "or in itself (Russian, русский); a language no public claim has is a 400.",
        {"type": "string", "minLength": 2, "maxLength": 100},
    ),
    query_param(
        "narrative",
        "Only claims serving this narrative: its slug or its name (any case); anything else "
        "is a 400.",
        STRING,
    ),
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
