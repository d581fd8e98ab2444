"""Debunk articles: recorded from a captured URL or typed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.audit import Actor, changed, record_event, values_of
from tracker.errors import EditConflict, NotFound, ValidationFailed
from tracker.models import Article, Rating
from tracker.services import validation
from tracker.services.indexing import reindex

ARTICLE_FIELDS = [
    "url", "title", "publisher", "author", "published_on", "language", "claim_statement",
    "is_ours", "rating_text", "rating", "rating_rule", "rating_confidence", "snapshot_id",
    "deleted_at",
]  # fmt: skip
TITLE_LIMIT = 1000
TEXT_LIMIT = 200_000
STATEMENT_LIMIT = 2000


@dataclass
class ArticleInput:
    title: str
    url: str | None = None
    publisher: str | None = None
    author: str | None = None
    published_on: date | None = None
    language: str | None = None
    text: str | None = None
    claim_statement: str | None = None
    is_ours: bool = False
    rating: Rating | None = None
    rating_text: str | None = None
    claimreview: Any | None = None
    snapshot_id: int | None = None
    external_id: str | None = None
    # How an import mapped rating_text onto our scale; None keeps what is recorded, unless
    # the rating itself changes (then the old explanation no longer holds).
    rating_rule: str | None = None
    rating_confidence: float | None = None


def get_article(session: Session, article_id: int) -> Article:
    article = session.get(Article, article_id)
    if article is None or article.deleted_at is not None:
        raise NotFound(f"There is no debunk article {article_id}.")
    return article


def find_by_url(session: Session, url: str) -> Article | None:
    return session.scalar(select(Article).where(Article.url == url))


def find_by_external_id(session: Session, external_id: str) -> Article | None:
    return session.scalar(select(Article).where(Article.external_id == external_id))


def validate(session: Session, data: ArticleInput, article: Article | None = None) -> None:
    """Raise ValidationFailed with every problem of DATA (ARTICLE: the one being edited)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str | None) -> None:
        if message:
            errors.setdefault(name, []).append(message)

    if not data.title.strip():
        add("title", "Enter the article's title.")
    add("title", validation.length_problem(data.title, TITLE_LIMIT, "The title"))
    add("text", validation.length_problem(data.text, TEXT_LIMIT, "The text"))
    add(
        "claim_statement",
        validation.length_problem(data.claim_statement, STATEMENT_LIMIT, "The statement"),
    )
    add("published_on", validation.date_problem(data.published_on, "The date"))
    add("language", validation.language_problem(data.language))
    add("rating_text", validation.length_problem(data.rating_text, 500, "Their rating"))
    for name in ("publisher", "author"):
        add(name, validation.length_problem(getattr(data, name), 255, "This"))
    if data.url:
        add("url", validation.url_problem(data.url))
        other = find_by_url(session, data.url)
        if other is not None and (article is None or other.id != article.id):
            add("url", f"This URL is already recorded as article {other.id}: {other.title}")
    if data.external_id:
        add("external_id", validation.length_problem(data.external_id, 500, "The external id"))
        owner = find_by_external_id(session, data.external_id)
        if owner is not None and (article is None or owner.id != article.id):
            add("external_id", f"Article {owner.id} already has this external id.")
    if errors:
        raise ValidationFailed(errors)


def _apply(article: Article, data: ArticleInput) -> None:
    article.title = data.title.strip()
    article.url = data.url or None
    article.publisher = data.publisher or None
    article.author = data.author or None
    article.published_on = data.published_on
    article.language = data.language or None
    article.text = data.text or None
    article.claim_statement = (data.claim_statement or "").strip() or None
    article.is_ours = data.is_ours
    if data.rating_rule is not None:
        article.rating_rule = data.rating_rule
        article.rating_confidence = data.rating_confidence
    elif data.rating != article.rating:
        article.rating_rule = article.rating_confidence = None
    article.rating = data.rating
    article.rating_text = data.rating_text or None
    if data.claimreview is not None:
        article.claimreview = data.claimreview
    if data.snapshot_id is not None:
        article.snapshot_id = data.snapshot_id
    if data.external_id:
        article.external_id = data.external_id


def create_article(session: Session, data: ArticleInput, *, by: Actor) -> Article:
    validate(session, data, None)
    article = Article(title=data.title, created_by_id=by.user_id)
    _apply(article, data)
    session.add(article)
    session.flush()
    record_event(
        session, "create", "article", article.id, by=by, after=values_of(article, ARTICLE_FIELDS)
    )
    reindex(session, "article", [article.id])
    return article


def update_article(
    session: Session, article: Article, data: ArticleInput, *, expected_version: int, by: Actor
) -> Article:
    validate(session, data, article)
    if article.version != expected_version:
        raise EditConflict(
            "Someone else saved this article after you opened it.",
            current=values_of(article, ARTICLE_FIELDS),
        )
    before = values_of(article, ARTICLE_FIELDS)
    _apply(article, data)
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()
        raise EditConflict("Someone else saved this article at the same moment.") from exc
    old, new = changed(before, values_of(article, ARTICLE_FIELDS))
    record_event(session, "update", "article", article.id, by=by, before=old, after=new)
    reindex(session, "article", [article.id])
    return article
