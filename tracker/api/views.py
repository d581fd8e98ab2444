"""Read API v1: public claims, outlets, articles and figures as JSON.

Errors have one shape, ``{"error": "Not Found", "message": "..."}`` (tracker.web_errors).
Invalid filter values are a 400 naming the parameter. Lists are paged by opaque cursors.
Detail endpoints carry an ETag and Last-Modified and answer conditional requests with 304.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from flask import Blueprint, Response, abort, g, jsonify, redirect, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from tracker.api import serializers as ser
from tracker.api.openapi import openapi_document
from tracker.api.pagination import cursor_number, decode_cursor, encode_cursor, read_limit
from tracker.api.token_reads import desk_claim_page
from tracker.api.tokens import read_user
from tracker.extensions import db
from tracker.models import Article, Figure
from tracker.public import details
from tracker.public import freshness as fresh
from tracker.public import visibility as vis
from tracker.public.cache import cached
from tracker.public.filters import ClaimFilters, parse_filters, problems_as_text
from tracker.public.listing import CANDIDATE_CAP, keyset_page, load_rows, search_claims
from tracker.public.urls import absolute_url

bp = Blueprint("api", __name__, url_prefix="/api")

_ALLOWED_PARAMS = {
    "claims": {"q", "verdict", "outlet", "country", "language", "narrative", "from", "to",
               "sort", "limit", "cursor"},
    "outlets": {"sort", "limit", "cursor"},
    "articles": {"limit", "cursor"},
    "figures": {"limit", "cursor"},
}  # fmt: skip


def _check_params(kind: str) -> None:
    unknown = sorted(set(request.args) - _ALLOWED_PARAMS[kind])
    if unknown:
        abort(400, description=f"Unknown parameter(s): {', '.join(unknown)}.")


def _filters() -> ClaimFilters:
    parsed = parse_filters(request.args, allow_page=False, session=db.read_session)
    if parsed.problems:
        abort(400, description=problems_as_text(parsed.problems))
    g.filter_notices = parsed.notices
    return parsed.filters


def _next_link(endpoint: str, cursor: str | None, **values: Any) -> str | None:
    if cursor is None:
        return None
    args = request.args.to_dict(flat=False)
    args["cursor"] = [cursor]
    return absolute_url(endpoint, **values, **args)


def _page(items: list[Any], endpoint: str, cursor: str | None, **extra: Any) -> Response:
    body = {"items": items, "next_cursor": cursor, "next": _next_link(endpoint, cursor), **extra}
    return jsonify(body)


def _detail(data: dict[str, Any], modified: datetime | None) -> Response:
    """A JSON response with an ETag (of the body) and Last-Modified; 304 when unchanged."""
    body = json.dumps(data, ensure_ascii=False, sort_keys=True)
    response = Response(body, mimetype="application/json")
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    if modified is not None:
        response.last_modified = modified.replace(microsecond=0)
    response.cache_control.public = True
    response.cache_control.max_age = 60
    # It changes the response in place; its return value is typed as werkzeug's base class.
    response.make_conditional(request)
    return response


def _ranked_claims(filters: ClaimFilters, limit: int) -> Response:
    data = decode_cursor(request.args.get("cursor"), "search")
    offset = cursor_number(data, "o", 0) if data else 0
    if offset >= CANDIDATE_CAP:
        abort(400, description="The cursor is not valid for this list; start again without it.")
    results = search_claims(db.read_session, filters, per_page=limit, offset=offset)
    items = [
        ser.claim_summary(row.claim, absolute_url, outlets=row.outlets, score=row.score)
        for row in results.rows
    ]
    end = offset + len(items)
    cursor = encode_cursor({"k": "search", "o": end}) if end < results.available else None
    facets = {
        facet.param: [{"value": v.value, "label": v.label, "count": v.count} for v in facet.values]
        for facet in results.facets
    }
    return _page(
        items,
        request.endpoint or "api.claims",
        cursor,
        total=results.total,
        total_capped=results.capped,
        facets=facets,
        notices=[*g.get("filter_notices", []), *results.notices],
    )


@bp.get("/v1/claims")
def claims() -> Response:
    _check_params("claims")
    filters = _filters()
    limit = read_limit(request.args.get("limit"))
    if filters.q:
        return _ranked_claims(filters, limit)
    data = decode_cursor(request.args.get("cursor"), "claims")
    after = None
    if data is not None:
        try:
            seen = date.fromisoformat(data["f"]) if data.get("f") else None
            after = (seen, cursor_number(data, "i"))
        except (KeyError, TypeError, ValueError):
            abort(400, description="The cursor is not valid for this list; start again.")
    keys = keyset_page(db.read_session, filters, after, limit + 1)
    more = len(keys) > limit
    keys = keys[:limit]
    rows = load_rows(db.read_session, [claim_id for claim_id, _ in keys])
    items = [ser.claim_summary(row.claim, absolute_url, outlets=row.outlets) for row in rows]
    cursor = None
    if more and keys:
        seen, last = keys[-1][1], keys[-1][0]
        cursor = encode_cursor({"k": "claims", "f": seen.isoformat() if seen else None, "i": last})
    return _page(items, "api.claims", cursor)


@bp.get("/v1/search")
def search() -> Response:
    _check_params("claims")
    filters = _filters()
    if not filters.q:
        abort(400, description="q: give the words to search for.")
    return _ranked_claims(filters, read_limit(request.args.get("limit")))


@bp.before_request
def _token_reader() -> None:
    # A token on a read shows its user's desk records too; no token, the public record.
    if request.method in ("GET", "HEAD"):
        g.api_reader = read_user()


@bp.after_request
def _private_for_tokens(response: Response) -> Response:
    # What a token reads is its user's: no shared cache may keep it or serve it to others.
    response.vary.add("Authorization")
    if g.get("api_reader") is not None:
        response.cache_control.public = False
        response.cache_control.private = True
        response.cache_control.no_store = True
        response.cache_control.max_age = None
    return response


@bp.get("/v1/claims/<int:claim_id>")
def claim(claim_id: int) -> Response:
    reader = g.get("api_reader")
    if reader is not None:
        page = desk_claim_page(db.session, claim_id, reader)
    else:
        page = details.claim_page(db.read_session, claim_id)
    if page is None:
        abort(404, description=f"There is no published claim {claim_id}.")
    item = ser.claim_detail(page, absolute_url)
    if reader is not None:
        item["version"] = page.claim.version  # what PATCH asks for
    return _detail(item, fresh.claim_modified(db.read_session, page))


@bp.get("/v1/outlets")
def outlets() -> Response:
    _check_params("outlets")
    sort = request.args.get("sort", "claims")
    if sort not in details.OUTLET_SORTS:
        abort(400, description=f"sort: use one of {', '.join(details.OUTLET_SORTS)}.")
    limit = read_limit(request.args.get("limit"))
    data = decode_cursor(request.args.get("cursor"), "outlets")
    offset = cursor_number(data, "o", 0) if data else 0
    ranked = cached(("outlets", sort), lambda: details.outlet_index(db.read_session, sort))
    rows = ranked[offset : offset + limit + 1]
    more = len(rows) > limit
    items = [ser.outlet_detail(r.outlet, r.claims, absolute_url) for r in rows[:limit]]
    cursor = encode_cursor({"k": "outlets", "o": offset + limit}) if more else None
    return _page(items, "api.outlets", cursor)


@bp.get("/v1/outlets/<int:outlet_id>")
def outlet(outlet_id: int) -> Response | BaseResponse:
    item = vis.get_public_outlet(db.read_session, outlet_id)
    if item is None:
        merged_into = vis.merged_outlet_target(db.read_session, outlet_id)
        if merged_into is not None:  # the merged outlet's record lives on in this one
            return redirect(url_for("api.outlet", outlet_id=merged_into), 301)
        abort(404, description=f"There is no public outlet {outlet_id}.")
    stats = details.outlet_stats(db.read_session, item)
    data = ser.outlet_detail(item, stats.claim_count, absolute_url)
    data["claims_by_verdict"] = {value: n for value, n in stats.by_verdict}
    data["claims_per_month"] = {p.label: p.value for p in stats.months}
    data["first_appearance"] = ser.iso(
        stats.first_appearance.appeared_on if stats.first_appearance else None
    )
    data["latest_appearance"] = ser.iso(
        stats.latest_appearance.appeared_on if stats.latest_appearance else None
    )
    data["top_narratives"] = [
        {**ser.narrative_ref(n, absolute_url), "claims": c} for n, c in stats.narratives
    ]
    return _detail(data, fresh.outlet_modified(db.read_session, item))


def _keyset_ids(kind: str) -> int | None:
    data = decode_cursor(request.args.get("cursor"), kind)
    if data is None:
        return None
    return cursor_number(data, "i")


@bp.get("/v1/articles")
def articles() -> Response:
    _check_params("articles")
    limit = read_limit(request.args.get("limit"))
    before = _keyset_ids("articles")
    stmt = select(Article).where(vis.public_article_condition())
    if before is not None:
        stmt = stmt.where(Article.id < before)
    rows = db.read_session.scalars(stmt.order_by(Article.id.desc()).limit(limit + 1)).all()
    cursor = (
        encode_cursor({"k": "articles", "i": rows[limit - 1].id}) if len(rows) > limit else None
    )
    return _page(
        [ser.article_summary(a, absolute_url) for a in rows[:limit]], "api.articles", cursor
    )


@bp.get("/v1/articles/<int:article_id>")
def article(article_id: int) -> Response:
    item = vis.get_public_article(db.read_session, article_id)
    if item is None:
        abort(404, description=f"There is no debunk article {article_id}.")
    data = ser.article_summary(item, absolute_url)
    data["text"] = item.text
    data["claims"] = [
        ser.claim_summary(c, absolute_url) for c in vis.claims_for_article(db.read_session, item.id)
    ]
    return _detail(data, fresh.article_modified(db.read_session, item))


@bp.get("/v1/figures")
def figures() -> Response:
    _check_params("figures")
    limit = read_limit(request.args.get("limit"))
    before = _keyset_ids("figures")
    stmt = select(Figure).where(vis.public_figure_condition())
    if before is not None:
        stmt = stmt.where(Figure.id < before)
    rows = db.read_session.scalars(stmt.order_by(Figure.id.desc()).limit(limit + 1)).all()
    more = len(rows) > limit
    cursor = encode_cursor({"k": "figures", "i": rows[limit - 1].id}) if more else None
    return _page([ser.figure_summary(f, absolute_url) for f in rows[:limit]], "api.figures", cursor)


@bp.get("/v1/figures/<int:figure_id>")
def figure(figure_id: int) -> Response:
    item = vis.get_public_figure(db.read_session, figure_id)
    if item is None:
        abort(404, description=f"There is no figure {figure_id}.")
    page = details.figure_page(db.read_session, item)
    data = ser.figure_detail(item, page.parts, absolute_url)
    data["claims"] = [ser.comparison_dict(c, absolute_url) for c in page.links]
    return _detail(data, fresh.figure_modified(db.read_session, item, page.parts))


@bp.get("/openapi.json")
def openapi() -> Response:
    response = jsonify(openapi_document(absolute_url("api.openapi")))
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response
