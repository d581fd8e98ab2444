"""The full-fidelity dump: one JSONL file with every kind of record, each line one record.

``tracker export jsonl --full`` writes, in this order, so that a reader meets every record
before the claims that refer to it::

    {"format": "disinfo-tracker/outlet", "version": 1, "id": "outlet:3", "name": "RT",
     "kind": "state_media", "country": "RU", "state_affiliated": true,
     "description": ..., "handles": ["rt.com", "t.me/rt_russian"]}
    {"format": "disinfo-tracker/narrative", "version": 1, "id": "ukraine-mercenaries",
     "name": "...", "description": ...}
    {"format": "disinfo-tracker/article", "version": 1, "id": "https://...", "title": "...",
     "url": ..., "publisher": ..., "author": ..., "published_on": "YYYY-MM-DD", "language": ...,
     "text": ..., "claim_statement": ..., "is_ours": false, "rating_text": ..., "rating": ...,
     "claimreview": <any JSON> | null, "external_id": ..., "rating_rule": ... | null,
     "rating_confidence": 0.95 | null}
    {"format": "disinfo-tracker/figure", "version": 1, "id": "figure:7", "subject": "...",
     "value": 1500, ..., "article": "<article id>" | null,
     "parts": [{"label": "South and East Asia", "value": 771}, ...]}
    {"format": "disinfo-tracker/claim", ...}        (see tracker.interop.records)

``id`` identifies a record inside the dump (claims refer to articles, figures and other
claims by it) and across imports (it becomes the external id of what it creates, so a
second import of the same dump matches instead of duplicating).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tracker.interop.errors import RecordError
from tracker.interop.record_loader import Loader
from tracker.interop.records import (
    FORMAT,
    VERSION,
    TrackerRecord,
    dump_record,
    load_record,
)
from tracker.interop.rows import RowError
from tracker.interop.scale import VERDICTS

PREFIX = "disinfo-tracker/"


@dataclass(frozen=True)
class OutletEntry:
    id: str
    name: str
    kind: str | None = None
    country: str | None = None
    state_affiliated: bool = False
    description: str | None = None
    handles: tuple[str, ...] = ()


@dataclass(frozen=True)
class NarrativeEntry:
    id: str  # the slug
    name: str
    description: str | None = None


@dataclass(frozen=True)
class ArticleEntry:
    id: str
    title: str
    url: str | None = None
    publisher: str | None = None
    author: str | None = None
    published_on: date | None = None
    language: str | None = None
    text: str | None = None
    claim_statement: str | None = None
    is_ours: bool = False
    rating_text: str | None = None
    rating: str | None = None
    claimreview: Any = None
    external_id: str | None = None
    rating_rule: str | None = None  # how an import mapped rating_text (optional when read)
    rating_confidence: float | None = None


@dataclass(frozen=True)
class FigurePartEntry:
    label: str
    value: float


@dataclass(frozen=True)
class FigureEntry:
    id: str
    subject: str
    value: float
    qualifier: str = "exact"
    kind: str = "count"
    lower_bound: float | None = None
    upper_bound: float | None = None
    unit: str | None = None
    currency: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    place: str | None = None
    publisher: str | None = None
    cited_source: str | None = None
    source_url: str | None = None
    published_on: date | None = None
    article: str | None = None
    quote: str | None = None
    parts: tuple[FigurePartEntry, ...] = ()


DumpEntry = OutletEntry | NarrativeEntry | ArticleEntry | FigureEntry | TrackerRecord
KINDS: dict[type, str] = {
    OutletEntry: "outlet",
    NarrativeEntry: "narrative",
    ArticleEntry: "article",
    FigureEntry: "figure",
    TrackerRecord: "claim",
}


def kind_of(entry: DumpEntry) -> str:
    return KINDS[type(entry)]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def dump_entry(entry: DumpEntry) -> dict[str, Any]:
    """The JSON-ready dict of any dump record."""
    if isinstance(entry, TrackerRecord):
        return dump_record(entry)
    head: dict[str, Any] = {"format": PREFIX + kind_of(entry), "version": VERSION}
    if isinstance(entry, FigureEntry):
        body = {name: getattr(entry, name) for name in entry.__dataclass_fields__}
        body["parts"] = [{"label": p.label, "value": p.value} for p in entry.parts]
        for name in ("period_start", "period_end", "published_on"):
            body[name] = _iso(body[name])
        return head | body
    body = {name: getattr(entry, name) for name in entry.__dataclass_fields__}
    if isinstance(entry, OutletEntry):
        body["handles"] = list(entry.handles)
    if isinstance(entry, ArticleEntry):
        body["published_on"] = _iso(entry.published_on)
    return head | body


def _number(loader: Loader, key: str, *, required: bool = False) -> float | None:
    value = loader.data.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RecordError(f"{loader._name(key)}: expected a number")
    return float(value)


def _flag(loader: Loader, key: str) -> bool:
    value = loader.data.get(key, False)
    if not isinstance(value, bool):
        raise RecordError(f"{loader._name(key)}: expected true or false")
    return value


def load_entry(data: Any) -> DumpEntry:
    """The record for one line of a dump, checked; :class:`RecordError` names what is wrong."""
    top = Loader(data, "")
    fmt = data.get("format")
    if fmt == FORMAT:
        return load_record(data)
    if not isinstance(fmt, str) or not fmt.startswith(PREFIX):
        raise RecordError(f"format: expected {PREFIX}<kind>, got {fmt!r}")
    if data.get("version") != VERSION:
        raise RecordError(f"version: expected {VERSION}, got {data.get('version')!r}")
    kind = fmt.removeprefix(PREFIX)
    ident = top.text("id", required=True) or ""
    if kind == "outlet":
        return OutletEntry(
            id=ident,
            name=top.text("name", required=True) or "",
            kind=top.text("kind"),
            country=top.text("country"),
            state_affiliated=_flag(top, "state_affiliated"),
            description=top.text("description"),
            handles=top.texts("handles"),
        )
    if kind == "narrative":
        return NarrativeEntry(
            id=ident,
            name=top.text("name", required=True) or "",
            description=top.text("description"),
        )
    if kind == "article":
        rating = top.text("rating")
        if rating is not None and rating not in VERDICTS:
            raise RecordError(f"rating: not one of our ratings: {rating!r}")
        return ArticleEntry(
            id=ident,
            title=top.text("title", required=True) or "",
            url=top.url("url"),
            publisher=top.text("publisher"),
            author=top.text("author"),
            published_on=top.date("published_on"),
            language=top.text("language"),
            text=top.text("text"),
            claim_statement=top.text("claim_statement"),
            is_ours=_flag(top, "is_ours"),
            rating_text=top.text("rating_text"),
            rating=rating,
            claimreview=data.get("claimreview"),
            external_id=top.text("external_id"),
            rating_rule=top.text("rating_rule"),
            rating_confidence=_number(top, "rating_confidence"),
        )
    if kind == "figure":
        return FigureEntry(
            id=ident,
            subject=top.text("subject", required=True) or "",
            value=_number(top, "value", required=True) or 0.0,
            qualifier=top.text("qualifier") or "exact",
            kind=top.text("kind") or "count",
            lower_bound=_number(top, "lower_bound"),
            upper_bound=_number(top, "upper_bound"),
            unit=top.text("unit"),
            currency=top.text("currency"),
            period_start=top.date("period_start"),
            period_end=top.date("period_end"),
            place=top.text("place"),
            publisher=top.text("publisher"),
            cited_source=top.text("cited_source"),
            source_url=top.text("source_url"),
            published_on=top.date("published_on"),
            article=top.text("article"),
            quote=top.text("quote"),
            parts=tuple(
                FigurePartEntry(
                    label=part.text("label", required=True) or "",
                    value=_number(part, "value", required=True) or 0.0,
                )
                for part in top.objects("parts")
            ),
        )
    raise RecordError(f"format: unknown kind of record {kind!r}")


def read_dump(path: Path, *, encoding: str = "utf-8") -> Iterator[tuple[int, DumpEntry | RowError]]:
    """Every record of a dump file with its line number, or why the line was refused.

    A second record of the same kind with the same id is refused as a duplicate.
    """
    seen: dict[tuple[str, str], int] = {}
    with Path(path).open("rb") as stream:
        for line, raw in enumerate(stream, start=1):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as error:
                shown = raw.decode(encoding, errors="replace")
                yield line, RowError(line, f"not valid {encoding} (byte {error.start})", shown)
                continue
            text = text.removeprefix("\ufeff").strip()
            if not text:
                continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as error:
                reason = f"malformed JSON: {error.msg} at column {error.colno}"
                yield line, RowError(line, reason, text)
                continue
            except RecursionError:
                yield line, RowError(line, "malformed JSON: nested too deeply", text)
                continue
            if not isinstance(value, dict):
                yield line, RowError(line, "expected a JSON object", text)
                continue
            try:
                entry = load_entry(value)
            except RecordError as error:
                yield line, RowError(line, f"invalid record: {error}", value)
                continue
            key = (kind_of(entry), entry.id)
            first = seen.setdefault(key, line)
            if first != line:
                yield line, RowError(line, f"duplicate of line {first} (same {key[0]} id)", value)
                continue
            yield line, entry
