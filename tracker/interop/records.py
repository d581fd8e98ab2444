"""The ``tracker`` JSONL record: one claim with everything attached, without loss.

This is the shape of our own full-fidelity dump (``tracker export jsonl``); the app fills
it from the database and reads it back on import. One line is one claim::

    {"format": "disinfo-tracker/claim", "version": 1,
     "id": "...", "text": "...", "language": "ru", "summary": "...", "title": null,
     "status": "published", "narratives": [...], "countries": [...], "keywords": [...],
     "verdict": {"rating": "false", "rationale": "...", "decided_at": "...Z",
                 "decided_by": "...", "published_at": "...Z" | null,
                 "event": "published" | null, "note": ... | null} | null,
     "verdict_history": [<verdict>, ...],
     "appearances": [{"url": "...", "date": "2017-10-03" | null, "language": "ru" | null,
                      "outlet": {"name": ..., "domains": [...], "country": ...,
                                 "kind": ..., "state_affiliated": true | false | null} | null,
                      "archive_url": ... | null, "snapshot_sha256": ... | null,
                      "title": ... | null, "platform": ... | null}],
     "debunks": [{"url": "...", "title": ..., "publisher": ..., "published": "YYYY-MM-DD",
                  "language": ...}],
     "claimant": ... | null, "rationale": ... | null,
     "links": [{"kind": "article" | "figure" | "claim", "ref": "...", "status": "confirmed",
                "method": ... | null, "reason": ... | null, "score": 0.9 | null}],
     "comments": [{"body": "...", "at": "...Z", "by": "email" | null,
                   "workflow_action": "returned" | null}],
     "correction_note": ... | null, "created_at": "...", "updated_at": "...",
     "created_by": "email" | null, "submitted_at": "...Z" | null}

``rationale`` is the claim's rationale (also when it has no verdict yet); ``links`` are its
cross-references, ``ref`` naming the other record by its ``id`` in the same dump (see
:mod:`tracker.interop.dump_records`). The keys added after the first version (``event``,
``note``, ``title``, ``platform``, ``claimant``, ``rationale``, ``links``, ``comments``,
``created_by``, ``submitted_at``) are optional when read. ``comments`` are the internal
comments (the note an import left on how a rating was mapped among them): a dump is for
our own backups and moves, never for publishing.

Dates are ISO dates, times ISO 8601 with an explicit offset (naive times are refused:
they would change meaning between servers). Lists keep their order. ``load_record``
checks everything and raises :class:`RecordError` naming the faulty field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tracker.interop.errors import RecordError
from tracker.interop.record_loader import Loader
from tracker.interop.scale import VERDICTS

FORMAT = "disinfo-tracker/claim"
VERSION = 1
STATUSES = frozenset({"draft", "in_review", "returned", "published", "retracted"})


@dataclass(frozen=True)
class OutletRecord:
    """Where a claim was published."""

    name: str
    domains: tuple[str, ...] = ()
    country: str | None = None
    kind: str | None = None
    state_affiliated: bool | None = None


@dataclass(frozen=True)
class AppearanceRecord:
    """One appearance of the claim."""

    url: str
    date: date | None = None
    language: str | None = None
    outlet: OutletRecord | None = None
    archive_url: str | None = None
    snapshot_sha256: str | None = None
    title: str | None = None
    platform: str | None = None


@dataclass(frozen=True)
class LinkRecord:
    """A cross-reference from the claim to another record of the dump, with its decision."""

    kind: str  # "article", "figure" or "claim"
    ref: str  # the other record's id
    status: str = "confirmed"
    method: str | None = None
    reason: str | None = None
    score: float | None = None


@dataclass(frozen=True)
class VerdictRecord:
    """A verdict on our scale, who decided it and when."""

    rating: str
    rationale: str
    decided_at: datetime
    decided_by: str | None = None
    published_at: datetime | None = None
    event: str | None = None  # proposed, published, updated, retracted
    note: str | None = None  # the public note of an update or a retraction


@dataclass(frozen=True)
class DebunkRecord:
    """A debunk article linked to the claim."""

    url: str
    title: str | None = None
    publisher: str | None = None
    published: date | None = None
    language: str | None = None


@dataclass(frozen=True)
class CommentRecord:
    """An internal comment on the claim: who wrote it, when, and in which workflow step."""

    body: str
    at: datetime
    by: str | None = None  # the author's email
    workflow_action: str | None = None


@dataclass(frozen=True)
class TrackerRecord:
    """One claim with its appearances, verdicts and debunks."""

    id: str
    text: str
    language: str | None = None
    summary: str | None = None
    title: str | None = None
    status: str = "draft"
    narratives: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    verdict: VerdictRecord | None = None
    verdict_history: tuple[VerdictRecord, ...] = ()
    appearances: tuple[AppearanceRecord, ...] = ()
    debunks: tuple[DebunkRecord, ...] = ()
    correction_note: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    claimant: str | None = None
    rationale: str | None = None
    links: tuple[LinkRecord, ...] = ()
    comments: tuple[CommentRecord, ...] = ()
    created_by: str | None = None  # the email of the analyst who recorded the claim
    submitted_at: datetime | None = None


def dump_record(record: TrackerRecord) -> dict[str, Any]:
    """The JSON-ready dict of RECORD (see the module docstring for the shape)."""
    out: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "id": record.id,
        "text": record.text,
        "language": record.language,
        "summary": record.summary,
        "title": record.title,
        "status": record.status,
        "narratives": list(record.narratives),
        "countries": list(record.countries),
        "keywords": list(record.keywords),
        "verdict": _dump_verdict(record.verdict) if record.verdict else None,
        "verdict_history": [_dump_verdict(v) for v in record.verdict_history],
        "appearances": [_dump_appearance(a) for a in record.appearances],
        "debunks": [
            {
                "url": d.url,
                "title": d.title,
                "publisher": d.publisher,
                "published": _iso(d.published),
                "language": d.language,
            }
            for d in record.debunks
        ],
        "claimant": record.claimant,
        "rationale": record.rationale,
        "links": [
            {
                "kind": link.kind,
                "ref": link.ref,
                "status": link.status,
                "method": link.method,
                "reason": link.reason,
                "score": link.score,
            }
            for link in record.links
        ],
        "comments": [
            {"body": c.body, "at": _iso(c.at), "by": c.by, "workflow_action": c.workflow_action}
            for c in record.comments
        ],
        "correction_note": record.correction_note,
        "created_at": _iso(record.created_at),
        "updated_at": _iso(record.updated_at),
        "created_by": record.created_by,
        "submitted_at": _iso(record.submitted_at),
    }
    if record.extra:
        out["extra"] = record.extra
    return out


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dump_verdict(verdict: VerdictRecord) -> dict[str, Any]:
    return {
        "rating": verdict.rating,
        "rationale": verdict.rationale,
        "decided_at": _iso(verdict.decided_at),
        "decided_by": verdict.decided_by,
        "published_at": _iso(verdict.published_at),
        "event": verdict.event,
        "note": verdict.note,
    }


def _dump_appearance(appearance: AppearanceRecord) -> dict[str, Any]:
    outlet = appearance.outlet
    return {
        "url": appearance.url,
        "date": _iso(appearance.date),
        "language": appearance.language,
        "outlet": None
        if outlet is None
        else {
            "name": outlet.name,
            "domains": list(outlet.domains),
            "country": outlet.country,
            "kind": outlet.kind,
            "state_affiliated": outlet.state_affiliated,
        },
        "archive_url": appearance.archive_url,
        "snapshot_sha256": appearance.snapshot_sha256,
        "title": appearance.title,
        "platform": appearance.platform,
    }


def load_record(data: Any) -> TrackerRecord:
    """The :class:`TrackerRecord` for DATA (a dict from one JSONL line), fully checked."""
    top = Loader(data, "")
    if data.get("format") != FORMAT:
        raise RecordError(f"format: expected {FORMAT!r}, got {data.get('format')!r}")
    if data.get("version") != VERSION:
        raise RecordError(f"version: expected {VERSION}, got {data.get('version')!r}")
    status = top.text("status") or "draft"
    if status not in STATUSES:
        raise RecordError(f"status: unknown status {status!r}")
    verdict = top.child("verdict")
    extra = data.get("extra", {})
    if not isinstance(extra, dict):
        raise RecordError("extra: expected a JSON object")
    return TrackerRecord(
        id=top.text("id", required=True) or "",
        text=top.text("text", required=True) or "",
        language=top.text("language"),
        summary=top.text("summary"),
        title=top.text("title"),
        status=status,
        narratives=top.texts("narratives"),
        countries=top.texts("countries"),
        keywords=top.texts("keywords"),
        verdict=_load_verdict(verdict) if verdict else None,
        verdict_history=tuple(_load_verdict(v) for v in top.objects("verdict_history")),
        appearances=tuple(_load_appearance(a) for a in top.objects("appearances")),
        debunks=tuple(
            DebunkRecord(
                url=d.url("url", required=True) or "",
                title=d.text("title"),
                publisher=d.text("publisher"),
                published=d.date("published"),
                language=d.text("language"),
            )
            for d in top.objects("debunks")
        ),
        correction_note=top.text("correction_note"),
        created_at=top.time("created_at"),
        updated_at=top.time("updated_at"),
        extra=extra,
        claimant=top.text("claimant"),
        rationale=top.text("rationale"),
        links=tuple(_load_link(link) for link in top.objects("links")),
        comments=tuple(
            CommentRecord(
                body=c.text("body", required=True) or "",
                at=c.time("at", required=True),
                by=c.text("by"),
                workflow_action=c.text("workflow_action"),
            )
            for c in top.objects("comments")
        ),
        created_by=top.text("created_by"),
        submitted_at=top.time("submitted_at"),
    )


LINK_KINDS = frozenset({"article", "figure", "claim"})
LINK_STATUSES = frozenset({"suggested", "confirmed", "rejected"})
VERDICT_EVENTS = frozenset({"proposed", "published", "updated", "retracted"})


def _load_link(loader: Loader) -> LinkRecord:
    kind = loader.text("kind", required=True)
    if kind not in LINK_KINDS:
        raise RecordError(f"{loader.path}.kind: expected one of {sorted(LINK_KINDS)}")
    status = loader.text("status") or "confirmed"
    if status not in LINK_STATUSES:
        raise RecordError(f"{loader.path}.status: expected one of {sorted(LINK_STATUSES)}")
    score = loader.data.get("score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, int | float)):
        raise RecordError(f"{loader.path}.score: expected a number or null")
    return LinkRecord(
        kind=kind or "",
        ref=loader.text("ref", required=True) or "",
        status=status,
        method=loader.text("method"),
        reason=loader.text("reason"),
        score=float(score) if score is not None else None,
    )


def _load_verdict(loader: Loader) -> VerdictRecord:
    rating = loader.text("rating", required=True)
    if rating not in VERDICTS:
        raise RecordError(f"{loader.path}.rating: not one of our ratings: {rating!r}")
    event = loader.text("event")
    if event is not None and event not in VERDICT_EVENTS:
        raise RecordError(f"{loader.path}.event: expected one of {sorted(VERDICT_EVENTS)}")
    return VerdictRecord(
        rating=rating,
        rationale=loader.text("rationale") or "",
        decided_at=loader.time("decided_at", required=True),
        decided_by=loader.text("decided_by"),
        published_at=loader.time("published_at"),
        event=event,
        note=loader.text("note"),
    )


def _load_appearance(loader: Loader) -> AppearanceRecord:
    outlet = loader.child("outlet")
    state = None if outlet is None else outlet.data.get("state_affiliated")
    if state is not None and not isinstance(state, bool):
        raise RecordError(f"{loader.path}.outlet.state_affiliated: expected true, false or null")
    return AppearanceRecord(
        url=loader.url("url", required=True) or "",
        date=loader.date("date"),
        language=loader.text("language"),
        outlet=None
        if outlet is None
        else OutletRecord(
            name=outlet.text("name", required=True) or "",
            domains=outlet.texts("domains"),
            country=outlet.text("country"),
            kind=outlet.text("kind"),
            state_affiliated=state,
        ),
        archive_url=loader.url("archive_url"),
        snapshot_sha256=loader.text("snapshot_sha256"),
        title=loader.text("title"),
        platform=loader.text("platform"),
    )
