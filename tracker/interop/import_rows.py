"""CSV and JSONL rows (read through a column mapping) into claims.

One row is one claim with one appearance (its source URL), its outlet, narratives,
countries, a verdict when the row has one, and a link to the debunk article the row names.
A row matches an existing claim by its external id, or by the same claim text at the same
source URL; a matching claim gets what it lacks (the appearance, the debunk link) and is
otherwise left as it is, so importing a file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from sqlalchemy import select

from tracker.errors import ValidationFailed
from tracker.interop.importer import ImportRun, Item, Rejected, Rejection
from tracker.interop.mapping import Mapping
from tracker.interop.rows import ImportRecord, RowError, RowResult, read_rows
from tracker.interop.urls import domain_of
from tracker.models import (
    Appearance,
    Claim,
    ClaimArticleLink,
    ClaimStatus,
    LinkStatus,
    Rating,
    Role,
)
from tracker.services import articles as article_service
from tracker.services import claims as claim_service
from tracker.services import imported_state
from tracker.services import links as link_service
from tracker.xref.fingerprint import claim_fingerprint

TITLE_LIMIT = 1000
STATEMENT_LIMIT = 2000


def rejection_message(error: ValidationFailed) -> str:
    return "; ".join(f"{name}: {m}" for name, messages in error.errors.items() for m in messages)


def check_status(
    run: ImportRun,
    status: ClaimStatus,
    rating: Rating | None,
    rationale: str | None,
    *,
    full_record: bool = False,
) -> None:
    """Refuse, before writing, a record that could not reach STATUS by the workflow.

    Only editors may land claims beyond review; a published claim needs a verdict and a
    rationale. Returned and retracted claims come only from full-fidelity dumps (those
    steps need a comment or a correction note that other formats do not carry).
    """
    user = run.by.user
    editorial = status not in (ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW)
    if editorial and user is not None and not user.has_role(Role.EDITOR):
        raise Rejected(f"only editors may import claims as {status.value.replace('_', ' ')}")
    if status in (ClaimStatus.RETURNED, ClaimStatus.RETRACTED) and not full_record:
        raise Rejected(f"claims can be imported as {status.value} only from a full dump")
    if status == ClaimStatus.PUBLISHED and (rating is None or not (rationale or "").strip()):
        raise Rejected(
            "cannot be imported as published: a claim needs a verdict and a rationale "
            "before it can be published"
        )


def debunk_article(
    run: ImportRun,
    url: str,
    *,
    title: str | None,
    statement: str | None = None,
    publisher: str | None = None,
    text: str | None = None,
) -> int:
    """The article at URL, recorded (by URL, titled TITLE) when it is not there yet."""
    found = run.lookups.find_article(url)
    if found is not None:
        return found
    data = article_service.ArticleInput(
        title=(title or url)[:TITLE_LIMIT],
        url=url,
        publisher=publisher or domain_of(url),
        claim_statement=(statement or "")[:STATEMENT_LIMIT] or None,
        text=text,
    )
    article = article_service.create_article(run.session, data, by=run.by)
    run.lookups.remember_article(article.id, article.url, article.external_id)
    run.count("articles")
    return article.id


def link_article_once(
    run: ImportRun,
    claim: Claim,
    article_id: int,
    reason: str,
    *,
    status: LinkStatus = LinkStatus.CONFIRMED,
) -> bool:
    """Link the claim and the article (confirmed, or STATUS) unless they are linked already."""
    existing = run.session.scalar(
        select(ClaimArticleLink.id).where(
            ClaimArticleLink.claim_id == claim.id, ClaimArticleLink.article_id == article_id
        )
    )
    if existing is not None:
        return False
    link_service.set_link(
        run.session,
        "article",
        claim,
        article_id,
        by=run.by,
        method="import",
        reason=reason,
        status=status,
    )
    run.count("links")
    return True


class RowHandler:
    """Imports :class:`ImportRecord` rows (any mapping but ``tracker``)."""

    def __init__(self, run: ImportRun, source_name: str) -> None:
        self.run = run
        self.source_name = source_name
        self.status = run.options.status or ClaimStatus.DRAFT

    def prepare(self, batch: list[ImportRecord]) -> None:
        lookups = self.run.lookups
        lookups.prefetch_claims([r.external_id for r in batch], [r.source_url for r in batch])
        lookups.prefetch_articles([r.debunk_url for r in batch])

    def handle(self, record: ImportRecord) -> str:
        run = self.run
        for warning in record.warnings:  # what was read differently from what was written
            run.note(warning)
        text = record.claim_text.strip()
        fingerprint = claim_fingerprint(text)
        urls = [record.source_url] if record.source_url else []
        existing = run.lookups.find_claim(record.external_id, urls, fingerprint)
        if existing is not None:
            return self._add_to(existing, record, fingerprint)
        rating = Rating(record.verdict) if record.verdict else None
        check_status(run, self.status, rating, record.rationale)
        appearance = None
        if record.source_url:
            appearance = claim_service.AppearanceInput(
                url=record.source_url,
                appeared_on=record.appearance_date,
                language=record.appearance_language,
            )
        data = claim_service.ClaimInput(
            text=text,
            language=record.language,
            summary_en=record.summary,
            rating=rating,
            rationale=record.rationale,
            appearances=[appearance] if appearance else [],
            external_id=record.external_id,
        )
        try:
            claim_service.validate(data)
        except ValidationFailed as error:
            raise Rejected(rejection_message(error)) from None
        # Nothing has been written up to here; from here on the services write.
        if appearance is not None:
            appearance.outlet_id = self._outlet(record)
        names = list(record.narratives)
        if run.options.keywords_as_narratives:
            names += [k for k in record.keywords if k not in names]
        notes: list[str] = []
        data.narrative_ids = run.lookups.narrative_ids(names, notes)
        data.country_codes, unknown = run.lookups.country_codes(record.countries)
        for name in unknown:
            run.note(f"not a country, left out: {name}")
        for note in notes:
            run.note(note)
        claim = claim_service.create_claim(run.session, data, by=run.by)
        run.count("claims")
        run.count("appearances", len(claim.appearances))
        if record.debunk_url:
            article_id = debunk_article(
                run,
                record.debunk_url,
                title=record.title or text,
                statement=text,
                text=record.debunk_text,
            )
            link_article_once(run, claim, article_id, self._reason())
        if self.status != ClaimStatus.DRAFT:
            imported_state.import_state(run.session, claim, self.status, by=run.by)
        run.lookups.remember_claim(claim.id, record.external_id, urls, fingerprint)
        run.touched(claim.id)
        return "created"

    def _reason(self) -> str:
        return f"The debunk named with the claim in {self.source_name}."

    def _outlet(self, record: ImportRecord) -> int | None:
        return self.run.lookups.outlet_for(record.source_url, record.outlet, record.outlet_domain)

    def _add_to(self, claim_id: int, record: ImportRecord, fingerprint: str) -> str:
        """Give a matching claim what the row has and it lacks; never overwrite."""
        run = self.run
        claim = claim_service.get_claim(run.session, claim_id)
        if claim.deleted_at is not None:
            run.note("matches a deleted claim: left alone")
            return "unchanged"
        if record.external_id and record.external_id == claim.external_id:
            self._note_claim_differences(claim, record, fingerprint)
        changed = False
        known = {a.url: a for a in claim.appearances}
        if record.source_url and record.source_url not in known:
            item = claim_service.AppearanceInput(
                url=record.source_url,
                appeared_on=record.appearance_date,
                language=record.appearance_language,
                outlet_id=self._outlet(record),
            )
            claim_service.add_appearance(run.session, claim, item, by=run.by)
            run.lookups.remember_claim(claim.id, None, [record.source_url], claim.fingerprint or "")
            run.count("appearances")
            changed = True
        elif record.source_url:
            self._note_differences(known[record.source_url], record)
        if record.debunk_url:
            title = record.title or claim.text
            article_id = debunk_article(
                run, record.debunk_url, title=title, statement=claim.text, text=record.debunk_text
            )
            changed |= link_article_once(run, claim, article_id, self._reason())
        if changed:
            run.touched(claim.id)
        return "updated" if changed else "unchanged"

    def _note_claim_differences(self, claim: Claim, record: ImportRecord, fingerprint: str) -> None:
        # A row with the external id of a claim already recorded but saying something else
        # (another text, language, summary, verdict or rationale) adds only its links; the
        # summary says so, for such a row is otherwise counted "already there" without a trace.
        differ = []
        if fingerprint != claim.fingerprint:
            differ.append("text")
        if record.language and record.language != claim.language:
            differ.append("language")
        if record.summary and record.summary.strip() != (claim.summary_en or ""):
            differ.append("summary")
        if record.verdict and claim.rating is not None and record.verdict != claim.rating.value:
            differ.append("verdict")
        if record.rationale and record.rationale.strip() != (claim.rationale or ""):
            differ.append("rationale")
        if differ:
            named = ", ".join(differ[:-1]) + f" and {differ[-1]}" if len(differ) > 1 else differ[0]
            self.run.note(
                f"the external id of a claim already recorded, with another {named}: only new "
                "links taken, the claim kept as it is"
            )

    def _note_differences(self, appearance: Appearance, record: ImportRecord) -> None:
        # The same appearance again, said differently (EUvsDisinfo lists one case once per
        # language): what is recorded stays, and the summary says what was not taken.
        differ = []
        if record.appearance_language and record.appearance_language != appearance.language:
            differ.append("language")
        if record.appearance_date and record.appearance_date != appearance.appeared_on:
            differ.append("date")
        if differ:
            self.run.note(
                f"an appearance already recorded with another {' and '.join(differ)}: kept"
            )


def row_items(results: Iterable[RowResult]) -> Iterator[Item[ImportRecord] | Rejection]:
    """Reader results as run items: rows to import, errors as rejections."""
    for result in results:
        if isinstance(result, RowError):
            yield Rejection(result.line, result.reason, raw=result.raw)
        else:
            yield Item(result.line, result)


def import_rows(
    run: ImportRun, path: Path, fmt: str, mapping: Mapping, *, source_name: str | None = None
) -> None:
    """Import the CSV or JSONL file PATH read through MAPPING (not the tracker dump)."""
    results = read_rows(path, fmt, mapping, encoding=run.options.encoding, note=run.note)
    run.run(row_items(results), RowHandler(run, source_name or mapping.name))
