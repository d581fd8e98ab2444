"""The debunk articles of a ClaimReview import: the review itself and the articles it cites.

An article is matched by its URL (or normalised URL, its external id); a match only gets
the fields it lacks, so importing the same review twice, or the HTML page after the JSON,
changes nothing that was there.
"""

from __future__ import annotations

from typing import TypedDict

from tracker.errors import ValidationFailed
from tracker.interop.claimreview_model import CitedWork, ParsedReview, RatingInfo
from tracker.interop.import_rows import rejection_message
from tracker.interop.importer import ImportRun, Rejected
from tracker.interop.ratings import RatingMapping
from tracker.interop.urls import domain_of, normalise_url
from tracker.models import Article, Rating
from tracker.models.enums import RATING_LABELS
from tracker.services import articles as article_service
from tracker.services import validation

#: A mapped rating is used only from this confidence up; below, a person decides.
CLEAR_MAPPING = 0.75


def language_code(code: str | None) -> str | None:
    """Our language codes are bare ISO 639 codes: "zh-Hant" is stored as "zh"."""
    if not code:
        return None
    primary = code.split("-")[0].split("_")[0].lower()
    return primary if validation.language_problem(primary) is None else None


def rating_text(rating: RatingInfo) -> str | None:
    """The rating as the organisation wrote it (a number with its scale when no words)."""
    if rating.alternate_name:
        return rating.alternate_name[:500]
    if rating.value is None:
        return None
    scale = ""
    if rating.worst is not None and rating.best is not None:
        scale = f" on {rating.worst:g}–{rating.best:g}"
    return f"{rating.value:g}{scale}"


def clear_rating(mapping: RatingMapping | None) -> Rating | None:
    if mapping is None or mapping.rating is None or mapping.confidence < CLEAR_MAPPING:
        return None
    return Rating(mapping.rating)


class _MappingFields(TypedDict, total=False):
    rating_rule: str
    rating_confidence: float


def _mapping_fields(mapping: RatingMapping | None) -> _MappingFields:
    if mapping is None:
        return {}
    return {"rating_rule": mapping.rule, "rating_confidence": round(mapping.confidence, 2)}


def review_article(review: ParsedReview, *, ours: bool) -> article_service.ArticleInput:
    """The debunk article a review describes."""
    title = review.headline or review.claim_reviewed or review.url
    return article_service.ArticleInput(
        title=title[: article_service.TITLE_LIMIT],
        url=review.url,
        publisher=(review.publisher.name or domain_of(review.url) or "")[:255] or None,
        author=", ".join(review.authors)[:255] or None,
        published_on=review.date_published,
        language=language_code(review.language),
        claim_statement=(review.claim_reviewed or "")[: article_service.STATEMENT_LIMIT] or None,
        is_ours=ours,
        rating=clear_rating(review.mapping),
        rating_text=rating_text(review.rating),
        claimreview=[review.raw] if review.raw is not None else None,
        external_id=review.external_id,
        **_mapping_fields(review.mapping),
    )


def cited_article(cited: CitedWork, *, ours: bool) -> article_service.ArticleInput:
    """The article a review cites (``citation``)."""
    return article_service.ArticleInput(
        title=cited.title[: article_service.TITLE_LIMIT],
        url=cited.url,
        publisher=(cited.publisher or "")[:255] or None,
        author=(cited.author or "")[:255] or None,
        published_on=cited.date,
        language=language_code(cited.language),
        claim_statement=(cited.statement or "")[: article_service.STATEMENT_LIMIT] or None,
        is_ours=ours,
        rating=clear_rating(cited.mapping),
        rating_text=rating_text(cited.rating),
        **_mapping_fields(cited.mapping),
    )


def save_article(run: ImportRun, data: article_service.ArticleInput) -> tuple[Article, str]:
    """Record DATA, or fill the gaps of the article it matches: the article and the outcome.

    Refuses (:class:`Rejected`) before writing when the article would be invalid.
    """
    url = data.url or ""
    article_id = run.lookups.find_article(url, data.external_id or normalise_url(url))
    existing = run.session.get(Article, article_id) if article_id else None
    if existing is not None:
        data = fill_gaps(existing, data)
    try:
        article_service.validate(run.session, data, existing)
    except ValidationFailed as error:
        raise Rejected(rejection_message(error)) from None
    if existing is None:
        article = article_service.create_article(run.session, data, by=run.by)
        run.lookups.remember_article(article.id, article.url, article.external_id)
        run.count("articles")
        return article, "created"
    if not _differs(existing, data):
        return existing, "unchanged"
    article_service.update_article(
        run.session, existing, data, expected_version=existing.version, by=run.by
    )
    return existing, "updated"


_GAP_FIELDS = (
    "publisher", "author", "published_on", "language", "claim_statement", "rating",
    "rating_text", "claimreview", "rating_rule", "rating_confidence",
)  # fmt: skip


def fill_gaps(article: Article, new: article_service.ArticleInput) -> article_service.ArticleInput:
    """The article as it is, with only its empty fields taken from NEW."""
    current = article_service.ArticleInput(
        title=article.title,
        url=article.url,
        publisher=article.publisher,
        author=article.author,
        published_on=article.published_on,
        language=article.language,
        text=article.text,
        claim_statement=article.claim_statement,
        is_ours=article.is_ours,
        rating=article.rating,
        rating_text=article.rating_text,
        claimreview=article.claimreview,
        snapshot_id=article.snapshot_id,
        external_id=article.external_id,
        rating_rule=article.rating_rule,
        rating_confidence=article.rating_confidence,
    )
    for name in _GAP_FIELDS:
        if getattr(current, name) in (None, "", []):
            setattr(current, name, getattr(new, name))
    if current.rating is not None and article.rating is not None:
        # A rating already there (perhaps set by hand) keeps its own explanation.
        current.rating_rule = article.rating_rule
        current.rating_confidence = article.rating_confidence
    if not current.external_id:
        current.external_id = new.external_id
    return current


def _differs(article: Article, data: article_service.ArticleInput) -> bool:
    return any(getattr(article, name) != getattr(data, name) for name in _GAP_FIELDS) or (
        article.external_id != data.external_id
    )


def mapping_note(review: ParsedReview) -> str:
    """The internal comment on an imported claim: the rating as written and its mapping."""
    publisher = review.publisher.name or domain_of(review.url) or "the publisher"
    shown = rating_text(review.rating)
    mapping = review.mapping
    head = f"Imported from the ClaimReview of {publisher}: {review.url}"
    said = f"Their rating: “{shown}”." if shown else "The review gives no rating."
    rating = clear_rating(mapping)
    if rating is not None:
        how = (
            f"On our scale: **{RATING_LABELS[rating]}** — {mapping.rule} "
            f"(confidence {mapping.confidence:.2f})."
        )
    else:
        how = (
            f"Not put on our scale: {mapping.rule} (confidence {mapping.confidence:.2f}). "
            "Decide the verdict by hand."
        )
    claimant = review.claim.claimant
    who = ""
    if claimant.name and claimant.url:
        who = f"\n\nClaimant: {claimant.name} ({claimant.url})."
    return f"{head}\n\n{said} {how}{who}"
