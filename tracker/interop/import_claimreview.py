"""ClaimReview into debunk articles and claims.

Each ClaimReview becomes a debunk article: the review's URL, title, publisher, authors,
date, language, the claim it refutes, the rating exactly as the organisation wrote it,
that rating on our scale when the mapping is clear (confidence 0.75 or more), and the
ClaimReview itself. Where the review names the claim, it also becomes a claim linked to
the article, with its appearances (and their dates), its claimant and, when the mapping is
clear, the verdict; an internal comment on the claim shows the rating as written and how
it was mapped (or why it was not), and the article keeps the rule and its confidence. The
rationale is the review's ``reviewBody`` when it has one (our own export writes the whole
rationale there), else its ``ratingExplanation``. The articles a review cites
(``citation``) become debunk articles linked to the claim: confirmed when the review is
ours (our own export lists the confirmed links there), suggested otherwise.

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

from tracker.audit import record_event
from tracker.errors import ValidationFailed
from tracker.interop.claimreview_in import ParsedReview, RejectedItem, read_claimreviews
from tracker.interop.import_review_articles import (
    cited_article,
    clear_rating,
    language_code,
    mapping_note,
    rating_text,
    review_article,
    save_article,
)
from tracker.interop.import_rows import check_status, link_article_once, rejection_message
from tracker.interop.importer import ImportRun, Item, Rejected, Rejection
from tracker.interop.urls import domain_of, normalise_url
from tracker.models import Claim, ClaimStatus, LinkStatus
from tracker.services import claims as claim_service
from tracker.services import imported_state, validation
from tracker.services import outlets as outlet_service
from tracker.services.comments import add_comment
from tracker.xref.fingerprint import claim_fingerprint

_LINE = re.compile(r":(\d+)$")


def _file_and_line(origin: str | None) -> tuple[str, int | None]:
    where = (origin or "").split("#", 1)[0]
    match = _LINE.search(where)
    if match:
        return where[: match.start()], int(match.group(1))
    return where, None


class ReviewHandler:
    """Imports :class:`ParsedReview` records."""

    def __init__(self, run: ImportRun) -> None:
        self.run = run
        self.status = run.options.status or ClaimStatus.DRAFT
        self.site = normalise_url(run.options.site_url) if run.options.site_url else None
        self._first_seen: dict[tuple[str, str, str], str | None] = {}

    def prepare(self, batch: list[ParsedReview]) -> None:
        lookups = self.run.lookups
        cited = [c.url for r in batch for c in r.citations]
        lookups.prefetch_articles([r.url for r in batch] + [r.external_id for r in batch] + cited)
        found = (lookups.find_article(r.url, r.external_id) for r in batch)
        lookups.prefetch_article_claims(i for i in found if i is not None)
        lookups.prefetch_claims([r.url for r in batch if self._ours(r.url)], [])

    def handle(self, review: ParsedReview) -> str:
        run = self.run
        self._refuse_duplicate(review)
        article_id = run.lookups.find_article(review.url, review.external_id)
        text = review.claim_reviewed
        fingerprint = claim_fingerprint(text) if text else ""
        claim_id = (
            self.run.lookups.claims_by_article.get((article_id, fingerprint))
            if article_id
            else None
        )
        if claim_id is None and self._ours(review.url):
            # Our own claim page, imported before from the public CSV or JSONL export (its
            # address is the claim's external id there): the same claim, not a second one.
            claim_id = self.run.lookups.find_claim(review.url, [], fingerprint)
        claim_data = None
        if text and claim_id is None:
            claim_data = self._claim_input(review, text)
        # Nothing has been written up to here (save_article checks before it writes).
        article, outcome = save_article(run, review_article(review, ours=self._ours(review.url)))
        if claim_id is not None:
            if self._add_to(claim_id, review, article.id):
                outcome = "updated" if outcome == "unchanged" else outcome
        elif claim_data is not None:
            self._create_claim(review, claim_data, article.id, fingerprint)
            outcome = "created"
        elif review.citations:
            run.note("cited articles of a review that names no claim: left out")
        return outcome

    def _ours(self, url: str) -> bool:
        return bool(self.site and normalise_url(url).startswith(self.site))

    def _refuse_duplicate(self, review: ParsedReview) -> None:
        source, _line = _file_and_line(review.origin)
        key = (source, review.external_id, claim_fingerprint(review.claim_reviewed or ""))
        first = self._first_seen.setdefault(key, review.origin)
        if first != review.origin:
            raise Rejected(f"duplicate of {first} in the same file (same review URL and claim)")

    def _claim_input(self, review: ParsedReview, text: str) -> claim_service.ClaimInput:
        rating = clear_rating(review.mapping)
        rationale = review.body or review.rating.explanation
        if not rationale and rating is not None:
            publisher = review.publisher.name or domain_of(review.url)
            rationale = f"{publisher} rated this claim “{rating_text(review.rating)}”: {review.url}"
        check_status(self.run, self.status, rating, rationale)
        data = claim_service.ClaimInput(
            text=text,
            language=language_code(review.claim.language) or language_code(review.language),
            # Our own feed names each review by the claim's English summary; another
            # organisation's headline is its article's title, not a summary of the claim.
            summary_en=review.headline if self._ours(review.url) else None,
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
        for url in review.claim.appearances:
            if validation.url_problem(url):
                self.run.note("appearance URL not usable, left out")
                continue
            when = dates.get(url)
            if when is None and url in review.claim.dated_by_claim:
                when = review.claim.date
            if validation.date_problem(when):
                self.run.note("appearance date in the future, left out")
                when = None
            found.append(claim_service.AppearanceInput(url=url, appeared_on=when))
        return found

    def _outlet(self, url: str, review: ParsedReview) -> int | None:
        """The known outlet of URL; else the one the appearance names as its publisher;
        else the claimant's, when URL is on the claimant's site."""
        lookups = self.run.lookups
        found = lookups.find_outlet(url)
        if found is not None:
            return found
        named = dict(review.claim.publishers).get(url)
        if named is not None and named.name:
            return lookups.outlet_for(url, named.name, named.url)
        claimant = review.claim.claimant
        if not (claimant.name and claimant.url):
            return None
        _kind, handle = outlet_service.normalise_handle(claimant.url)
        if handle not in outlet_service.url_candidates(url):
            return None
        return lookups.outlet_for(url, claimant.name, claimant.url)

    def _cite(self, claim: Claim, review: ParsedReview) -> bool:
        """Record the articles REVIEW cites and link them to CLAIM; whether anything changed."""
        run = self.run
        ours = self._ours(review.url)
        status = LinkStatus.CONFIRMED if ours else LinkStatus.SUGGESTED
        publisher = review.publisher.name or domain_of(review.url) or "the publisher"
        changed = False
        for cited in review.citations:
            try:
                article, outcome = save_article(
                    run, cited_article(cited, ours=self._ours(cited.url))
                )
            except Rejected as refusal:
                run.note(f"a cited article was left out: {refusal}")
                continue
            changed |= outcome != "unchanged"
            reason = f"Cited by the ClaimReview of {publisher}: {review.url}"
            changed |= link_article_once(run, claim, article.id, reason, status=status)
        return changed

    def _fill_language(self, claim: Claim, review: ParsedReview) -> bool:
        # A claim first read without a language (a JSON export) gets the one a later
        # source gives: the claim's own, else the review's (inLanguage, <html lang>). A
        # review that says the claim's language is undetermined leaves it so.
        if review.claim.language is not None:
            known = language_code(review.claim.language)
        else:
            known = language_code(review.language)
        if claim.language not in (None, "und") or known in (None, "und"):
            return False
        before = claim.language
        claim.language = known
        self.run.session.flush()
        record_event(
            self.run.session,
            "update",
            "claim",
            claim.id,
            by=self.run.by,
            before={"language": before},
            after={"language": known},
            detail="language filled in by an import",
        )
        return True

    def _create_claim(
        self,
        review: ParsedReview,
        data: claim_service.ClaimInput,
        article_id: int,
        fingerprint: str,
    ) -> None:
        run = self.run
        for item in data.appearances:
            item.outlet_id = self._outlet(item.url, review)
        claim = claim_service.create_claim(run.session, data, by=run.by)
        if self._ours(review.url):
            claim.external_id = review.url  # as the public exports' import names it
            run.lookups.remember_claim(claim.id, review.url, [], fingerprint)
        when = review.claim.date
        if claim.first_seen is None and when and not validation.date_problem(when):
            # No appearance carries a date (or the review names none): the claim's own
            # date is when it was first seen.
            claim.first_seen = when
        run.count("claims")
        run.count("appearances", len(claim.appearances))
        link_article_once(run, claim, article_id, "The article's ClaimReview reviews this claim.")
        if self.status != ClaimStatus.DRAFT:
            imported_state.import_state(run.session, claim, self.status, by=run.by)
        add_comment(run.session, claim, mapping_note(review), by=run.by)
        self._cite(claim, review)
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
            item.outlet_id = self._outlet(item.url, review)
            claim_service.add_appearance(run.session, claim, item, by=run.by)
            run.count("appearances")
            changed = True
        changed |= link_article_once(run, claim, article_id, "The article's ClaimReview.")
        changed |= self._cite(claim, review)
        changed |= self._fill_language(claim, review)
        if changed:
            run.touched(claim.id)
        return changed


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
