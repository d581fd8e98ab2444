"""Suggestions while an analyst types: debunks, similar claims and figure checks, as JSON."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker.desk import bp
from tracker.desk.views.home import visible_claims
from tracker.extensions import db, xref_engine
from tracker.models import Article, Claim, Figure
from tracker.services.validation import row_id, without_nul
from tracker.xref.report import check_report

SUGGEST_TEXT_LIMIT = 20_000


def visible_to_me(kind: str, ids: list[int]) -> set[int]:
    """What this desk user may see: their own and submitted claims, any live article/figure."""
    if kind == "claim":
        query = visible_claims().with_only_columns(Claim.id).where(Claim.id.in_(ids))
    else:
        model = Article if kind == "article" else Figure
        query = select(model.id).where(model.id.in_(ids), model.deleted_at.is_(None))
    return set(db.session.scalars(query))


@bp.post("/xref/suggest")
def xref_suggest() -> tuple[Response, int]:
    text = without_nul(request.form.get("text") or "")[:SUGGEST_TEXT_LIMIT]
    language = without_nul(request.form.get("language") or "").strip() or None
    editing = row_id(request.form.get("claim_id", ""))
    report = check_report(db.session, xref_engine(), text, language, allowed=visible_to_me, limit=5)
    if editing is not None:  # the claim being edited is not its own duplicate
        report["claims"] = [c for c in report["claims"] if c["id"] != editing]
    for item in report["debunks"]:
        item["desk_url"] = f"/desk/articles/{item['id']}"
    for item in report["claims"]:
        item["desk_url"] = f"/desk/claims/{item['id']}"
    for item in report["figure_checks"]:
        item["desk_url"] = f"/desk/figures/{item['figure_id']}"
    report["user"] = current_user.id
    return jsonify(report), 200
