"""POST /api/v1/xref/check: the /check page as JSON (public content only, rate limited)."""

from __future__ import annotations

from flask import current_app, jsonify, request
from werkzeug.wrappers import Response

from tracker.api.openapi import add_operation
from tracker.api.openapi_schemas import SCHEMAS, STRING, nullable, obj, ref
from tracker.api.tokens import error
from tracker.api.views import bp
from tracker.extensions import csrf, limiter
from tracker.public.check import CHECK_LANGUAGES, CHECK_TEXT_LIMIT, public_check
from tracker.xref.matching import clean_text


@bp.post("/v1/xref/check")
@csrf.exempt  # a read: it changes nothing, and is open to anonymous callers
@limiter.limit(lambda: current_app.config["CHECK_RATE_LIMIT"])
def xref_check() -> Response | tuple[Response, int]:
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested too deeply for the decoder (it was a 500)
        body = None
    if not isinstance(body, dict):
        return error(400, 'Send a JSON object such as {"text": "...", "language": "ru"}.')
    text, language = body.get("text"), body.get("language")
    unknown = set(body) - {"text", "language"}
    if unknown:
        return error(400, f"Unknown field(s): {', '.join(sorted(unknown))}.")
    if text is None:
        return error(400, "Send the claim or passage to check as `text`.")
    if not isinstance(text, str):
        return error(400, f"`text` must be a string, not {_json_type(text)}.")
    text = clean_text(text)
    if not text.strip():
        return error(400, "The text is empty; send the claim or passage to check as `text`.")
    if len(text) > CHECK_TEXT_LIMIT:
        return error(
            400, f"The text is {len(text):,} characters long; the limit is {CHECK_TEXT_LIMIT:,}."
        )
    if language is not None:
        if not isinstance(language, str):
            return error(400, f"`language` must be a string, not {_json_type(language)}.")
        language = language.strip().lower() or None
        if language is not None and language not in CHECK_LANGUAGES:
            return error(
                400,
                f"`language` {language!r} is not one we know; use one of "
                f"{', '.join(sorted(CHECK_LANGUAGES))}, or leave it out to detect it.",
            )
    return jsonify(public_check(text, language))


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a string"


_MATCH = {"type": "number"}
SCHEMAS["CheckResult"] = obj(
    {
        "language": nullable(STRING),
        "notices": {"type": "array", "items": STRING},
        "semantic": {"type": "boolean"},
        "debunks": {
            "type": "array",
            "items": obj(
                {
                    "id": {"type": "integer"},
                    "title": STRING,
                    "url": nullable(STRING),
                    "publisher": nullable(STRING),
                    "claim_statement": nullable(STRING),
                    "score": _MATCH,
                    "method": STRING,
                    "reason": STRING,
                }
            ),
        },
        "claims": {
            "type": "array",
            "items": obj(
                {
                    "id": {"type": "integer"},
                    "text": STRING,
                    "language": STRING,
                    "summary": nullable(
                        {**STRING, "description": "The English summary, as in /claims."}
                    ),
                    "summary_en": nullable(
                        {**STRING, "deprecated": True, "description": "The same as summary."}
                    ),
                    "rating": nullable(STRING),
                    "status": {
                        "type": "string",
                        "enum": ["published", "retracted"],
                        "description": "'retracted': the rating is the verdict the claim had "
                        "before it was withdrawn.",
                    },
                    "score": _MATCH,
                    "method": STRING,
                    "reason": STRING,
                }
            ),
        },
        "figure_checks": {
            "type": "array",
            "items": obj(
                {
                    "figure_id": {"type": "integer"},
                    "subject": STRING,
                    "figure": STRING,
                    "stated": STRING,
                    "relation": {
                        "type": "string",
                        "enum": ["consistent", "overstates", "understates", "not_comparable"],
                    },
                    "ratio": nullable(_MATCH),
                    "bound": nullable(STRING),
                    "reason": STRING,
                    "relatedness": _MATCH,
                }
            ),
        },
        "milliseconds": _MATCH,
    }
)
add_operation(
    "/api/v1/xref/check",
    "post",
    {
        "operationId": "checkText",
        "summary": "Published claims, debunks and figure checks that match a text",
        "description": "Any language. Only published content is matched. Rate limited per client.",
        "tags": ["xref"],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": obj(
                        {
                            "text": {**STRING, "minLength": 1, "maxLength": CHECK_TEXT_LIMIT},
                            "language": nullable(
                                {
                                    **STRING,
                                    "description": "ISO 639-1 code (any case): "
                                    + ", ".join(sorted(CHECK_LANGUAGES))
                                    + "; left out, it is detected",
                                }
                            ),
                        },
                        optional=("language",),
                    )
                }
            },
        },
        "responses": {
            "200": {
                "description": "The matches, each with its reason",
                "content": {"application/json": {"schema": ref("CheckResult")}},
            },
            "400": {
                "description": "The body is not usable",
                "content": {"application/json": {"schema": ref("Error")}},
            },
            "429": {
                "description": "Too many checks from this client",
                "content": {"application/json": {"schema": ref("Error")}},
            },
        },
    },
)
