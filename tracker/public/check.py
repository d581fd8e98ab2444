"""/check: paste any text and see the published claims, debunks and figure checks it meets."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template
from flask_wtf import FlaskForm
from sqlalchemy import ColumnElement, select
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from tracker.desk.forms.claims import LANGUAGE_CHOICES
from tracker.extensions import db, limiter, xref_engine
from tracker.models import Article, Claim, Figure
from tracker.public import visibility as vis
from tracker.public.views import bp
from tracker.xref.report import check_report

CHECK_TEXT_LIMIT = 100_000
# The languages a text may be declared in: the ones the claim form offers.
CHECK_LANGUAGES = frozenset(choice.value for choice in LANGUAGE_CHOICES if choice.value)


class CheckForm(FlaskForm):
    text = TextAreaField(
        "Text to check",
        validators=[
            DataRequired("Paste a claim, a post or an article first."),
            Length(max=CHECK_TEXT_LIMIT, message=f"Paste at most {CHECK_TEXT_LIMIT:,} characters."),
        ],
        render_kw={"rows": 6},
    )
    language = SelectField("Language", choices=LANGUAGE_CHOICES, default="")


def public_only(kind: str, ids: list[int]) -> set[int]:
    """Only what the public may see: published claims, debunks and figures not deleted."""
    kinds: dict[str, tuple[type[Claim | Article | Figure], ColumnElement[bool]]] = {
        "claim": (Claim, vis.public_claim_condition()),
        "article": (Article, vis.public_article_condition()),
        "figure": (Figure, vis.public_figure_condition()),
    }
    model, condition = kinds[kind]
    return set(db.read_session.scalars(select(model.id).where(model.id.in_(ids), condition)))


def public_check(text: str, language: str | None) -> dict[str, Any]:
    return check_report(db.read_session, xref_engine(), text, language or None, allowed=public_only)


@bp.route("/check", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["CHECK_RATE_LIMIT"], methods=["POST"])
def check() -> tuple[str, int]:
    form = CheckForm()
    report = None
    if form.validate_on_submit():
        report = public_check(form.text.data or "", form.language.data)
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template("public/check.html", form=form, report=report), status
