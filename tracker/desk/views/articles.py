"""Debunk articles in the desk: from a captured URL or typed in."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker import jobs
from tracker.capture.store import StoreError
from tracker.desk import bp
from tracker.desk.forms.fields import has_option
from tracker.desk.forms.records import ArticleForm
from tracker.desk.forms.workflow import EmptyForm
from tracker.desk.helpers import (
    actor,
    attach_errors,
    capture_settings,
    form_version,
    has_errors,
    snapshot_store,
)
from tracker.desk.views.capture import describe
from tracker.desk.views.claim_input import snapshot_for
from tracker.desk.views.conflicts import record_conflict
from tracker.errors import EditConflict, ValidationFailed
from tracker.extensions import db
from tracker.models import Article, ClaimArticleLink, Figure, Rating
from tracker.models import Snapshot as SnapshotModel
from tracker.services import articles as article_service
from tracker.services import claims as claim_service
from tracker.services.duplicates import duplicates_for
from tracker.services.permissions import can_view
from tracker.services.snapshots import capture_snapshot
from tracker.services.validation import row_id

# The fields the conflict page compares, in the form's order.
ARTICLE_COMPARED = [
    "url", "title", "publisher", "author", "published_on", "language", "claim_statement",
    "rating", "rating_text", "is_ours", "text",
]  # fmt: skip


def _article_input(form: ArticleForm, claimreview: Any = None) -> article_service.ArticleInput:
    return article_service.ArticleInput(
        title=form.title.data or "",
        url=form.url.data or None,
        publisher=form.publisher.data,
        author=form.author.data,
        published_on=form.published_on.data,
        language=form.language.data or None,
        text=form.text.data,
        claim_statement=form.claim_statement.data,
        is_ours=bool(form.is_ours.data),
        rating=Rating(form.rating.data) if form.rating.data else None,
        rating_text=form.rating_text.data,
        claimreview=claimreview,
        snapshot_id=_article_snapshot(form),
    )


def _fill_from_link(form: ArticleForm) -> dict[str, Any] | None:
    """Capture the article's URL and fill the blank fields; returns what was found."""
    url = (form.url.data or "").strip()
    if not url:
        form.url.errors = ["Paste the article's link first."]
        return None
    outcome = capture_snapshot(db.session, url, capture_settings(), snapshot_store())
    db.session.commit()
    form.snapshot_id.data = str(outcome.snapshot.id)
    found = describe(outcome)
    if not outcome.ok:
        form.url.errors = [
            f"Could not fetch the page: {found['error']['message']} "
            "You can type the details in and save anyway."
        ]
        return found
    for field, key in (
        ("title", "title"),
        ("publisher", "site_name"),
        ("author", "byline"),
        ("text", "text"),
    ):
        if not getattr(form, field).data and found.get(key):
            getattr(form, field).data = found[key]
    if not form.published_on.data and found.get("published"):
        form.published_on.data = date.fromisoformat(found["published"])
    if not form.language.data and has_option(form.language, found.get("language")):
        form.language.data = found["language"]
    reviews = found.get("claim_reviews") or []
    if reviews:
        review = reviews[0]
        form.claim_statement.data = form.claim_statement.data or review["claim_reviewed"]
        form.rating_text.data = form.rating_text.data or review["rating_text"]
        if not form.rating.data and review["rating"]:
            form.rating.data = review["rating"]
    return found


def _article_snapshot(form: ArticleForm) -> int | None:
    """The snapshot fetched for the article's link; a snapshot of another page (the hidden
    field is user input, and the link may have been changed since) is not attached."""
    url = (form.url.data or "").strip()
    return snapshot_for(db.session, form.snapshot_id.data, url) if url else None


def _claimreview_of(raw_id: int | str | None) -> Any:
    """The ClaimReview objects of a captured page, kept with the article."""
    snapshot_id = row_id(raw_id)
    if snapshot_id is None:
        return None
    snapshot = db.session.get(SnapshotModel, snapshot_id)
    if snapshot is None:
        return None
    from tracker.capture import find_claim_reviews
    from tracker.jobs.handlers import s3_options
    from tracker.services.snapshots import raw_html

    try:
        body = raw_html(snapshot, s3_options(current_app.config))
    except StoreError:
        # The page's ClaimReview is a convenience; the article saves without it.
        current_app.logger.warning("snapshot %s body unreadable", snapshot.id, exc_info=True)
        return None
    if body is None:
        return None
    html = body.decode("utf-8", "replace")
    reviews = find_claim_reviews(html, snapshot.final_url or snapshot.original_url)
    return list(reviews) or None


def _draft_claim_from_review(article: Article, found_reviews: list[Any]) -> None:
    from tracker.interop.claimreview_model import ParsedReview
    from tracker.interop.claimreview_parse import parse_claimreview

    for raw in found_reviews:
        review = parse_claimreview(raw, base_url=article.url)
        if not isinstance(review, ParsedReview) or not review.claim_reviewed:
            continue
        data = claim_service.ClaimInput(
            text=review.claim_reviewed,
            language=review.language,
            rating=Rating(review.mapping.rating)
            if review.mapping and review.mapping.rating
            else None,
            appearances=[
                claim_service.AppearanceInput(url=u)
                for u in review.claim.appearances
                if not claim_service.validation.url_problem(u)
            ],
            article_ids=[article.id],
        )
        if _already_recorded(data):
            continue
        claim = claim_service.create_claim(db.session, data, by=actor())
        flash(f"Draft claim {claim.id} created from the page's ClaimReview.", "success")


def _already_recorded(data: claim_service.ClaimInput) -> bool:
    """Say so, and create nothing, when the reviewed claim is already in the database."""
    found = duplicates_for(db.session, current_user, data.text, data.language)
    if found.visible:
        numbers = ", ".join(str(c.id) for c in found.visible)
        flash(
            f"No draft claim created from the page's ClaimReview: claim {numbers} already "
            "has the same or nearly the same text. Link the article to it from its page.",
            "error",
        )
    elif found.hidden:
        flash(
            "No draft claim created from the page's ClaimReview: another analyst has a "
            "draft with the same or nearly the same text (drafts are private until "
            "submitted; an editor can see it).",
            "error",
        )
    return bool(found)


@bp.get("/articles/")
def articles() -> str:
    rows = db.session.scalars(
        select(Article)
        .where(Article.deleted_at.is_(None))
        .order_by(Article.created_at.desc())
        .limit(200)
    ).all()
    return render_template("desk/articles.html", articles=rows)


@bp.route("/articles/new", methods=["GET", "POST"])
def article_new() -> str | Response | tuple[str, int]:
    form = ArticleForm()
    found = None
    if form.is_submitted() and form.fetch.data:
        found = _fill_from_link(form)
    elif form.validate_on_submit():
        try:
            reviews = _claimreview_of(_article_snapshot(form))
            article = article_service.create_article(
                db.session, _article_input(form, reviews), by=actor()
            )
            if form.create_claim.data and reviews:
                _draft_claim_from_review(article, reviews)
            jobs.after_record_saved(db.session, "article", article.id, by=actor())
            flash("Article saved.", "success")
            return redirect(url_for("desk.article", article_id=article.id))
        except ValidationFailed as exc:
            db.session.rollback()
            attach_errors(form, exc)
    status = 400 if form.is_submitted() and not form.fetch.data and has_errors(form) else 200
    return render_template("desk/article_form.html", form=form, article=None, found=found), status


@bp.route("/articles/<int:article_id>/edit", methods=["GET", "POST"])
def article_edit(article_id: int) -> str | Response | tuple[str, int]:
    article = article_service.get_article(db.session, article_id)
    form = ArticleForm(obj=article if request.method == "GET" else None)
    found = None
    conflict = None
    if request.method == "GET":
        form.rating.data = article.rating.value if article.rating else ""
        form.language.data = article.language or ""
        form.version.data = str(article.version)
        form.snapshot_id.data = str(article.snapshot_id or "")
    elif form.fetch.data:
        found = _fill_from_link(form)
    elif form.validate():
        try:
            article_service.update_article(
                db.session,
                article,
                _article_input(form),
                expected_version=form_version(form),
                by=actor(),
            )
            jobs.after_record_saved(db.session, "article", article.id, by=actor())
            flash("Article saved.", "success")
            return redirect(url_for("desk.article", article_id=article.id))
        except ValidationFailed as exc:
            db.session.rollback()
            attach_errors(form, exc)
        except EditConflict as exc:
            db.session.rollback()
            article = db.session.get_one(Article, article_id)
            conflict = record_conflict(exc.message, "article", article, form, ARTICLE_COMPARED)
            form.version.data = str(article.version)
    status = 400 if request.method == "POST" and not form.fetch.data and has_errors(form) else 200
    return render_template(
        "desk/article_form.html", form=form, article=article, found=found, conflict=conflict
    ), (409 if conflict else status)


@bp.get("/articles/<int:article_id>")
def article(article_id: int) -> str:
    from tracker.desk.views.withdrawal import shown_record

    record = shown_record(Article, article_id)
    links = [
        link
        for link in db.session.scalars(
            select(ClaimArticleLink).where(ClaimArticleLink.article_id == record.id)
        )
        if can_view(current_user, link.claim)  # others' drafts stay private
    ]
    figures = db.session.scalars(
        select(Figure).where(
            Figure.article_id == record.id, Figure.parent_id.is_(None), Figure.deleted_at.is_(None)
        )
    ).all()
    return render_template(
        "desk/article.html", article=record, links=links, figures=figures, button=EmptyForm()
    )
