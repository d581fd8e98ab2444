"""ClaimReview into debunk articles and claims.

Each ClaimReview becomes a debunk article: the review's URL, title, publisher, authors,
date, language, the claim it refutes, the rating exactly as the organisation wrote it,
that rating on our scale when the mapping is clear (confidence 0.75 or more), and the
ClaimReview itself. Where the review names the claim, it also becomes a claim linked to
the article, with its appearances (and their dates), its claimant and, when the mapping is
clear, the verdict; an internal comment on the claim shows the rating as written and how
it was mapped (or why it was not).

A review matches an existing article by its URL (or normalised URL); its claim matches a
claim already linked to that article with the same text. What matches only gets what it
lacks, so importing the same reviews twice changes nothing; the same review read from
two files (a JSONL export and the HTML page) fills in what the first lacked. The same
review twice in ONE file is rejected as a duplicate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from tracker.errors import ValidationFailed
from tracker.interop.claimreview_in import ParsedReview, RejectedItem, read_claimreviews
from tracker.interop.claimreview_model import Party
from tracker.interop.import_rows import check_status, link_article_once, rejection_message
from tracker.interop.importer import ImportRun, Item, Rejected, Rejection
from tracker.interop.urls import domain_of, normalise_url
from tracker.models import Article, ClaimStatus, Rating
from tracker.models.enums import RATING_LABELS
from tracker.services import articles as article_service
from tracker.services import claims as claim_service
from tracker.services import outlets as outlet_service
from tracker.services import validation, workflow
from tracker.services.comments import add_comment
from tracker.xref.fingerprint import claim_fingerprint

#: A mapped rating is used only from this confidence up; below, a person decides.
CLEAR_MAPPING = 0.75
_LINE = re.compile(r":(\d+)$")


def _file_and_line(origin: str | None) -> tuple[str, int | None]:
    where = (origin or "").split("#", 1)[0]
    match = _LINE.search(where)
    if match:
        return where[: match.start()], int(match.group(1))
    return where, None


def _language(code: str | None) -> str | None:
    """Our language codes are bare ISO 639 codes: "zh-Hant" is stored as "zh"."""
    if not code:
        return None
    primary = code.split("-")[0].split("_")[0].lower()
    return primary if validation.language_problem(primary) is None else None


def _rating_text(review: ParsedReview) -> str | None:
    rating = review.rating
    if rating.alternate_name:
        return rating.alternate_name[:500]
    if rating.value is None:
        return None
    scale = ""
    if rating.worst is not None and rating.best is not None:
        scale = f" on {rating.worst:g}–{rating.best:g}"
    return f"{rating.value:g}{scale}"


def _clear_rating(review: ParsedReview) -> Rating | None:
    mapping = review.mapping
    if mapping.rating is None or mapping.confidence < CLEAR_MAPPING:
        return None
    return Rating(mapping.rating)


class ReviewHandler:
    """Imports :class:`ParsedReview` records."""

    def __init__(self, run: ImportRun) -> None:
        self.run = run
        self.status = run.options.status or ClaimStatus.DRAFT
        self.site = normalise_url(run.options.site_url) if run.options.site_url else None
        self._first_seen: dict[tuple[str, str, str], str | None] = {}

    def prepare(self, batch: list[ParsedReview]) -> None:
        lookups = self.run.lookups
        lookups.prefetch_articles([r.url for r in batch] + [r.external_id for r in batch])
        found = (lookups.find_article(r.url, r.external_id) for r in batch)
        lookups.prefetch_article_claims(i for i in found if i is not None)

    def handle(self, review: ParsedReview) -> str:
        run = self.run
        self._refuse_duplicate(review)
        article_id = run.lookups.find_article(review.url, review.external_id)
        article_data = self._article_input(review)
        existing_article = run.session.get(Article, article_id) if article_id else None
        if existing_article is not None:
            article_data = _fill_gaps(existing_article, article_data)
        try:
            article_service.validate(run.session, article_data, existing_article)
        except ValidationFailed as error:
            raise Rejected(rejection_message(error)) from None
        text = review.claim_reviewed
        fingerprint = claim_fingerprint(text) if text else ""
        claim_id = (
            self.run.lookups.claims_by_article.get((article_id, fingerprint))
            if article_id
            else None
        )
        claim_data = None
        if text and claim_id is None:
            claim_data = self._claim_input(review, text)
        # Nothing has been written up to here.
        outcome = "unchanged"
        if existing_article is None:
            article = article_service.create_article(run.session, article_data, by=run.by)
            run.lookups.remember_article(article.id, article.url, article.external_id)
            run.count("articles")
            outcome = "created"
        else:
            article = existing_article
            if _differs(article, article_data):
                article_service.update_article(
                    run.session, article, article_data, expected_version=article.version, by=run.by
                )
                outcome = "updated"
        if claim_id is not None:
            if self._add_to(claim_id, review, article.id):
                outcome = "updated" if outcome == "unchanged" else outcome
        elif claim_data is not None:
            self._create_claim(review, claim_data, article.id, fingerprint)
            outcome = "created"
        return outcome

    def _refuse_duplicate(self, review: ParsedReview) -> None:
        source, _line = _file_and_line(review.origin)
        key = (source, review.external_id, claim_fingerprint(review.claim_reviewed or ""))
        first = self._first_seen.setdefault(key, review.origin)
        if first != review.origin:
            raise Rejected(f"duplicate of {first} in the same file (same review URL and claim)")

    def _article_input(self, review: ParsedReview) -> article_service.ArticleInput:
        title = review.headline or review.claim_reviewed or review.url
        return article_service.ArticleInput(
            title=title[: article_service.TITLE_LIMIT],
            url=review.url,
            publisher=(review.publisher.name or domain_of(review.url) or "")[:255] or None,
            author=", ".join(review.authors)[:255] or None,
            published_on=review.date_published,
            language=_language(review.language),
            claim_statement=(review.claim_reviewed or "")[: article_service.STATEMENT_LIMIT]
            or None,
            is_ours=bool(self.site and normalise_url(review.url).startswith(self.site)),
            rating=_clear_rating(review),
            rating_text=_rating_text(review),
            claimreview=[review.raw] if review.raw is not None else None,
            external_id=review.external_id,
        )

    def _claim_input(self, review: ParsedReview, text: str) -> claim_service.ClaimInput:
        rating = _clear_rating(review)
        rationale = review.rating.explanation
        if not rationale and rating is not None:
            publisher = review.publisher.name or domain_of(review.url)
            rationale = f"{publisher} rated this claim “{_rating_text(review)}”: {review.url}"
        check_status(self.run, self.status, rating, rationale)
        data = claim_service.ClaimInput(
            text=text,
            language=_language(review.claim.language) or _language(review.language),
            rating=rating,
            rationale=rationale,
            appearances=self._appearances(review),
            claimant=(review.claim.claimant.name or "")[:500] or None,
        )
        try:
            claim_service.validate(data)
        except ValidationFailed as error:
            raise Rejected(rejection_message(error)) from None
        return data

    def _appearances(self, review: ParsedReview) -> list[claim_service.AppearanceInput]:
        dates = dict(review.claim.appearance_dates)
        found = []
        links = review.claim.appearances
        for url in links:
            if validation.url_problem(url):
                self.run.note("appearance URL not usable, left out")
                continue
            when = dates.get(url)
            if when is None and (url == review.claim.first_appearance or len(links) == 1):
                when = review.claim.date
            if validation.future_date_problem(when):
                self.run.note("appearance date in the future, left out")
                when = None
            found.append(claim_service.AppearanceInput(url=url, appeared_on=when))
        return found

    def _outlet(self, url: str, claimant: Party) -> int | None:
        """The known outlet of URL; else the claimant's, when URL is on the claimant's site."""
        lookups = self.run.lookups
        found = lookups.find_outlet(url)
        if found is not None or not (claimant.name and claimant.url):
            return found
        _kind, handle = outlet_service.normalise_handle(claimant.url)
        if handle not in outlet_service.url_candidates(url):
            return None
        return lookups.outlet_for(url, claimant.name, claimant.url)

    def _create_claim(
        self,
        review: ParsedReview,
        data: claim_service.ClaimInput,
        article_id: int,
        fingerprint: str,
    ) -> None:
        run = self.run
        for item in data.appearances:
            item.outlet_id = self._outlet(item.url, review.claim.claimant)
        claim = claim_service.create_claim(run.session, data, by=run.by)
        run.count("claims")
        run.count("appearances", len(claim.appearances))
        link_article_once(run, claim, article_id, "The article's ClaimReview reviews this claim.")
        if self.status != ClaimStatus.DRAFT:
            workflow.import_state(run.session, claim, self.status, by=run.by)
        add_comment(run.session, claim, _mapping_note(review), by=run.by)
        self.run.lookups.claims_by_article[(article_id, fingerprint)] = claim.id
        run.touched(claim.id)

    def _add_to(self, claim_id: int, review: ParsedReview, article_id: int) -> bool:
        run = self.run
        claim = claim_service.get_claim(run.session, claim_id)
        if claim.deleted_at is not None:
            run.note("matches a deleted claim: left alone")
            return False
        changed = False
        have = {a.url for a in claim.appearances}
        for item in self._appearances(review):
            if item.url in have:
                continue
            item.outlet_id = self._outlet(item.url, review.claim.claimant)
            claim_service.add_appearance(run.session, claim, item, by=run.by)
            run.count("appearances")
            changed = True
        changed |= link_article_once(run, claim, article_id, "The article's ClaimReview.")
        if changed:
            run.touched(claim.id)
        return changed


_GAP_FIELDS = (
    "publisher", "author", "published_on", "language", "claim_statement", "rating",
    "rating_text", "claimreview",
)  # fmt: skip


def _fill_gaps(article: Article, new: article_service.ArticleInput) -> article_service.ArticleInput:
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
    )
    for name in _GAP_FIELDS:
        if getattr(current, name) in (None, "", []):
            setattr(current, name, getattr(new, name))
    if not current.external_id:
        current.external_id = new.external_id
    return current


def _differs(article: Article, data: article_service.ArticleInput) -> bool:
    return any(getattr(article, name) != getattr(data, name) for name in _GAP_FIELDS) or (
        article.external_id != data.external_id
    )


def _mapping_note(review: ParsedReview) -> str:
    publisher = review.publisher.name or domain_of(review.url) or "the publisher"
    shown = _rating_text(review)
    mapping = review.mapping
    head = f"Imported from the ClaimReview of {publisher}: {review.url}"
    said = f"Their rating: “{shown}”." if shown else "The review gives no rating."
    rating = _clear_rating(review)
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
    return f"{head}\n\n{said} {how}"


def review_items(
    path: Path, *, base_url: str | None = None
) -> Iterator[Item[ParsedReview] | Rejection]:
    """The reviews under PATH as run items; what cannot be read, as rejections."""
    for number, found in enumerate(read_claimreviews(path, base_url=base_url), start=1):
        _source, line = _file_and_line(found.origin)
        if isinstance(found, RejectedItem):
            yield Rejection(line, found.reason, found.origin, found.raw)
        else:
            yield Item(number, found, origin=found.origin, line=line)


def import_claimreviews(run: ImportRun, path: Path, *, base_url: str | None = None) -> None:
    """Import every ClaimReview found under PATH (file or folder)."""
    run.run(review_items(path, base_url=base_url), ReviewHandler(run))
