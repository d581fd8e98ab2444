"""The full-fidelity dump (``tracker export jsonl --full``) back into the database.

Records come in the dump's order: outlets, narratives, articles, figures, then claims.
Each is matched first (outlets by handle or name, narratives by slug or name, articles by
URL or external id, figures and claims by the dump id, which they keep as external id),
so importing the same dump twice changes nothing. A new claim gets its status, verdict
and verdict history as they were (times and, where the account exists here, the people),
its appearances with their outlets, narratives, countries, claimant and cross-references
with their decisions. Links to claims later in the file are made at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select

from tracker.errors import ValidationFailed
from tracker.interop.dump_comments import restore_comments
from tracker.interop.dump_records import (
    ArticleEntry,
    DumpEntry,
    FigureEntry,
    NarrativeEntry,
    OutletEntry,
    read_dump,
)
from tracker.interop.import_dump_entries import (
    enum_value,
    import_article,
    import_figure,
    import_narrative,
    import_outlet,
)
from tracker.interop.import_rows import (
    check_status,
    debunk_article,
    link_article_once,
    rejection_message,
)
from tracker.interop.importer import ImportRun, Item, Rejected, Rejection
from tracker.interop.records import LinkRecord, OutletRecord, TrackerRecord
from tracker.interop.rows import RowError
from tracker.models import (
    Claim,
    ClaimStatus,
    LinkStatus,
    OutletKind,
    Rating,
    User,
    VerdictEvent,
)
from tracker.services import claims as claim_service
from tracker.services import figures as figure_service
from tracker.services import imported_state
from tracker.services import links as link_service
from tracker.xref.fingerprint import claim_fingerprint


class DumpHandler:
    """Imports the records of a dump (see the module docstring)."""

    def __init__(self, run: ImportRun) -> None:
        self.run = run
        self.users: dict[str, int | None] = {}
        self.pending: list[tuple[str, LinkRecord]] = []

    # --- batches -------------------------------------------------------------------------

    def prepare(self, batch: list[DumpEntry]) -> None:
        lookups = self.run.lookups
        claims = [e for e in batch if isinstance(e, TrackerRecord)]
        lookups.prefetch_claims(
            [c.id for c in claims], [a.url for c in claims for a in c.appearances]
        )
        keys: list[str | None] = []
        for entry in batch:
            if isinstance(entry, ArticleEntry):
                keys += [entry.url, entry.external_id, entry.id]
            elif isinstance(entry, TrackerRecord):
                keys += [d.url for d in entry.debunks]
                keys += [link.ref for link in entry.links if link.kind == "article"]
            elif isinstance(entry, FigureEntry):
                keys.append(entry.article)
        lookups.prefetch_articles(keys)
        emails = {v.decided_by for c in claims for v in c.verdict_history if v.decided_by}
        emails |= {note.by for c in claims for note in c.comments if note.by}
        emails |= {c.created_by for c in claims if c.created_by}
        emails -= set(self.users)
        if emails:
            rows = self.run.session.execute(
                select(User.email, User.id).where(User.email.in_(emails))
            )
            found = {email: user_id for email, user_id in rows}
            self.users.update({email: found.get(email) for email in emails})
            for email in sorted(emails - set(found)):
                # Said once per person: who decided, wrote or owned is otherwise lost quietly.
                self.run.note(
                    f"{email} is named in the file but is not a user here: their verdicts "
                    "keep no decider, their comments keep the name in the text, and their "
                    "claims belong to the importing user (create the user first to keep them)"
                )

    def handle(self, entry: DumpEntry) -> str:
        if isinstance(entry, OutletEntry):
            return import_outlet(self.run, entry)
        if isinstance(entry, NarrativeEntry):
            return import_narrative(self.run, entry)
        if isinstance(entry, ArticleEntry):
            return import_article(self.run, entry)
        if isinstance(entry, FigureEntry):
            return import_figure(self.run, entry)
        return self._claim(entry)

    def finish(self) -> None:
        """Links between claims, now that every claim of the file is there."""
        lookups = self.run.lookups
        refs = [ref for ref, _ in self.pending] + [link.ref for _, link in self.pending]
        lookups.prefetch_claims(refs, [])
        for ref, link in self.pending:
            source = lookups.claims_by_external.get(ref)
            target = lookups.claims_by_external.get(link.ref)
            if source is None or target is None:
                self.run.note("link to a claim not in the file or this database, left out")
                continue
            claim = claim_service.get_claim(self.run.session, source)
            self._set_link(claim, "claim", target, link)
        self.pending.clear()

    # --- one record ----------------------------------------------------------------------

    def _claim(self, record: TrackerRecord) -> str:
        run = self.run
        fingerprint = claim_fingerprint(record.text.strip())
        urls = [a.url for a in record.appearances]
        existing = run.lookups.find_claim(record.id, urls, fingerprint)
        if existing is not None:
            return self._add_to(existing, record)
        status = run.options.status or ClaimStatus(record.status)
        verdict = record.verdict
        rating = Rating(verdict.rating) if verdict else None
        rationale = record.rationale or (verdict.rationale if verdict else None)
        check_status(run, status, rating, rationale, full_record=True)
        if status == ClaimStatus.RETRACTED and not (record.correction_note or "").strip():
            raise Rejected("a retracted claim needs its correction note")
        data = claim_service.ClaimInput(
            text=record.text,
            language=record.language,
            summary_en=record.summary,
            rationale=rationale,
            appearances=[
                claim_service.AppearanceInput(
                    url=a.url,
                    appeared_on=a.date,
                    language=a.language,
                    title=a.title,
                    platform=a.platform,
                )
                for a in record.appearances
            ],
            country_codes=list(record.countries),
            external_id=record.id,
            claimant=record.claimant,
        )
        try:
            claim_service.validate(data)
        except ValidationFailed as error:
            raise Rejected(rejection_message(error)) from None
        # Nothing has been written up to here.
        for item, appearance in zip(data.appearances, record.appearances, strict=True):
            item.outlet_id = self._outlet_of(appearance.url, appearance.outlet)
        data.narrative_ids = self._narratives(record.narratives)
        claim = claim_service.create_claim(run.session, data, by=run.by)
        # When it was recorded, by whom, and when submitted, as they were.
        claim.created_at = record.created_at or claim.created_at
        claim.created_by_id = self.users.get(record.created_by or "") or claim.created_by_id
        if status != ClaimStatus.DRAFT:
            claim.submitted_at = record.submitted_at
        run.count("claims")
        run.count("appearances", len(claim.appearances))
        history = [
            imported_state.VerdictHistoryItem(
                event=VerdictEvent(v.event or ("published" if v.published_at else "proposed")),
                rating=Rating(v.rating),
                rationale=v.rationale or None,
                at=v.decided_at,
                by_id=self.users.get(v.decided_by) if v.decided_by else None,
                note=v.note,
            )
            for v in record.verdict_history
        ]
        imported_state.import_state(
            run.session,
            claim,
            status,
            by=run.by,
            history=history,
            rating=rating,
            rationale=rationale,
            published_at=verdict.published_at if verdict else None,
            correction_note=record.correction_note,
        )
        self._links(claim, record)
        run.count(
            "comments", restore_comments(run.session, claim, record.comments, self.users, by=run.by)
        )
        run.lookups.remember_claim(claim.id, record.id, urls, fingerprint)
        run.touched(claim.id)
        return "created"

    def _outlet_of(self, url: str, outlet: OutletRecord | None) -> int | None:
        lookups = self.run.lookups
        if outlet is None:
            # The dump says it has none (a person left it out): keep it so.
            return None
        for handle in outlet.domains:
            found = lookups.find_outlet(domain=handle)
            if found is not None:
                return found
        return lookups.outlet_for(
            None,
            outlet.name,
            outlet.domains[0] if outlet.domains else None,
            kind=enum_value(OutletKind, outlet.kind, OutletKind.OTHER),
            country=outlet.country,
            state_affiliated=bool(outlet.state_affiliated),
        )

    def _narratives(self, names: tuple[str, ...]) -> list[int]:
        lookups = self.run.lookups
        found = []
        for name in names:
            narrative_id = lookups.narrative_by_slug(name)
            if narrative_id is None:
                narrative_id = next(iter(lookups.narrative_ids([name])), None)
            if narrative_id is not None and narrative_id not in found:
                found.append(narrative_id)
        return found

    def _links(self, claim: Claim, record: TrackerRecord) -> None:
        lookups = self.run.lookups
        linked: set[str] = set()
        for link in record.links:
            if link.kind == "claim":
                self.pending.append((record.id, link))
                continue
            if link.kind == "article":
                target = lookups.find_article(link.ref)
            else:
                figure = figure_service.find_by_external_id(self.run.session, link.ref)
                target = figure.id if figure is not None else None
            if target is None:
                self.run.note(f"link to a {link.kind} not in the file or this database, left out")
                continue
            self._set_link(claim, link.kind, target, link)
            linked.add(link.ref)
        for debunk in record.debunks:
            if debunk.url in linked:
                continue
            article_id = debunk_article(
                self.run, debunk.url, title=debunk.title, publisher=debunk.publisher
            )
            link_article_once(self.run, claim, article_id, "A debunk named in the dump.")

    def _set_link(self, claim: Claim, kind: str, target: int, link: LinkRecord) -> None:
        link_service.set_link(
            self.run.session,
            kind,
            claim,
            target,
            by=self.run.by,
            status=LinkStatus(link.status),
            method=link.method or "import",
            reason=link.reason,
            score=link.score,
        )
        self.run.count("links")

    def _add_to(self, claim_id: int, record: TrackerRecord) -> str:
        """A claim already here gets the appearances it lacks; nothing is overwritten."""
        run = self.run
        claim = claim_service.get_claim(run.session, claim_id)
        if claim.deleted_at is not None:
            run.note("matches a deleted claim: left alone")
            return "unchanged"
        have = {a.url for a in claim.appearances}
        changed = False
        for appearance in record.appearances:
            if appearance.url in have:
                continue
            item = claim_service.AppearanceInput(
                url=appearance.url,
                appeared_on=appearance.date,
                language=appearance.language,
                title=appearance.title,
                platform=appearance.platform,
                outlet_id=self._outlet_of(appearance.url, appearance.outlet),
            )
            claim_service.add_appearance(run.session, claim, item, by=run.by)
            run.count("appearances")
            changed = True
        if changed:
            run.touched(claim.id)
        return "updated" if changed else "unchanged"


def dump_items(path: Path, encoding: str) -> Iterator[Item[DumpEntry] | Rejection]:
    for line, entry in read_dump(path, encoding=encoding):
        if isinstance(entry, RowError):
            yield Rejection(line, entry.reason, raw=entry.raw)
        else:
            yield Item(line, entry)


def import_dump(run: ImportRun, path: Path) -> None:
    """Import a full-fidelity dump (or any file of ``tracker`` records)."""
    run.run(dump_items(path, run.options.encoding), DumpHandler(run))
