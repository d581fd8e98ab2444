"""Reading CSV and JSONL rows through a column mapping; writing them back out.

:func:`read_rows` streams: it holds one row at a time, plus a 16-byte digest per distinct
row (the only thing that grows with the file, unavoidable for finding duplicates).
Every row gives either an :class:`ImportRecord` or a :class:`RowError` with the line number
(the physical line where the row starts; the CSV header is line 1) and the reason:

- JSONL: undecodable bytes, malformed JSON, a line that is not a JSON object;
- CSV: undecodable bytes, NUL bytes, missing required columns or columns the mapping
  reads (one error for the whole file, naming them all), a cell count other than the
  header's, quoting that does not close or swallowed rows (see :mod:`rows_source`);
- both: empty required fields, invalid URLs, invalid or future dates, unknown verdicts,
  duplicates: a row that repeats an earlier row in every field the mapping reads (case,
  spacing and tracking parameters aside). A row that shares only the external id, or the
  source URL and claim text, with an earlier row is not a duplicate: it is the same claim
  published again elsewhere, or named by another debunk, and the importer adds that to
  the claim. A mapping with ``record`` (our dump) refuses a repeated key (``unique``).

Text is decoded as UTF-8; a byte-order mark at the start is ignored.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tracker.interop.errors import InteropError, RecordError
from tracker.interop.mapping import Mapping, load_mapping
from tracker.interop.records import TrackerRecord, load_record
from tracker.interop.rows_fields import apply_mapping, is_empty
from tracker.interop.rows_out import protect_cell, record_to_row, write_csv_rows, write_jsonl_rows
from tracker.interop.rows_source import (
    Note,
    RowError,
    absent_keys,
    csv_objects,
    jsonl_objects,
)
from tracker.interop.urls import is_http_url, normalise_url

__all__ = [
    "ImportRecord",
    "RowError",
    "RowResult",
    "protect_cell",
    "read_rows",
    "record_to_row",
    "write_csv_rows",
    "write_jsonl_rows",
]

#: JSONL rows looked at for keys the mapping reads and no row has.
KEY_SAMPLE = 200
_LABELS = {"external_id": "external id", "source_url": "source URL", "claim_text": "claim text"}


@dataclass(frozen=True)
class ImportRecord:
    """One accepted row, normalised to our fields. ``record`` is set for tracker dumps."""

    line: int
    claim_text: str
    summary: str | None = None
    title: str | None = None
    language: str | None = None
    appearance_language: str | None = None
    outlet: str | None = None
    outlet_domain: str | None = None
    source_url: str | None = None
    appearance_date: date | None = None
    narratives: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    verdict: str | None = None
    rationale: str | None = None
    external_id: str | None = None
    debunk_url: str | None = None
    debunk_text: str | None = None
    warnings: tuple[str, ...] = ()
    record: TrackerRecord | None = None


RowResult = ImportRecord | RowError


def check_encoding(encoding: str) -> None:
    """Raise :class:`InteropError` unless ENCODING names a text encoding Python knows."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InteropError(f"unknown text encoding {encoding!r}") from None


def read_rows(
    path: Path,
    fmt: str,
    mapping: Mapping | str | Path,
    *,
    today: date | None = None,
    encoding: str = "utf-8",
    note: Note | None = None,
) -> Iterator[RowResult]:
    """Stream the rows of the CSV or JSONL file PATH through MAPPING.

    FMT is ``"csv"`` or ``"jsonl"``. MAPPING is a :class:`Mapping` or a name/path for
    :func:`load_mapping`. TODAY (default: the current date) bounds "future" dates.
    ENCODING names the file's text encoding (spreadsheets saved as ``cp1251`` or
    ``latin-1``); a line that does not decode is rejected with the byte that failed.
    NOTE, when given, is told what is worth knowing but refuses nothing (columns or keys
    the mapping expected and did not find, columns it does not read).
    Raises :class:`InteropError` for an unknown format or encoding, or a missing file.
    """
    check_encoding(encoding)
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    if fmt not in ("csv", "jsonl"):
        raise InteropError(f"unknown row format {fmt!r}: 'csv' or 'jsonl'")
    if mapping.record is not None and fmt != "jsonl":
        raise InteropError(f"the {mapping.name} mapping reads JSONL only")
    path = Path(path)
    if not path.is_file():
        raise InteropError(f"no such file: {path}")
    today = today or date.today()
    if fmt == "jsonl":
        source = _checking_keys(jsonl_objects(path, encoding), mapping, note)
    else:
        source = csv_objects(path, mapping, encoding, note)
    seen: dict[bytes, int] = {}
    for line, row in source:
        if isinstance(row, RowError):
            yield row
            continue
        result = _to_record(mapping, row, line, today)
        if isinstance(result, ImportRecord):
            duplicate = _duplicate(mapping, result, seen)
            if duplicate:
                yield RowError(line, duplicate, row)
                continue
        yield result


def _checking_keys(
    source: Iterator[tuple[int, dict[str, Any] | RowError]], mapping: Mapping, note: Note | None
) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    # JSONL has no header: a key the mapping reads that none of the first rows has is
    # most likely misspelt in the mapping, and worth a note (rows may leave keys out).
    keys: set[str] = set()
    rows = 0
    for line, row in source:
        if rows < KEY_SAMPLE and isinstance(row, dict):
            keys.update(row)
            rows += 1
            if rows == KEY_SAMPLE:
                _note_absent(mapping, keys, rows, note)
        yield line, row
    if 0 < rows < KEY_SAMPLE:
        _note_absent(mapping, keys, rows, note)


def _note_absent(mapping: Mapping, keys: set[str], rows: int, note: Note | None) -> None:
    absent = absent_keys(mapping, keys)
    if absent and note is not None:
        where = "not in the first row" if rows == 1 else f"in none of the first {rows:,} rows"
        note(f"the mapping {mapping.name} reads keys {where}: {', '.join(absent)}")


def _to_record(mapping: Mapping, row: dict[str, Any], line: int, today: date) -> RowResult:
    if mapping.record == "tracker":
        try:
            return from_tracker_record(load_record(row), line)
        except RecordError as error:
            return RowError(line, f"invalid tracker record: {error}", row)
    found = apply_mapping(mapping, row, today)
    for target in mapping.required:
        if is_empty(found.values.get(target)):
            columns = mapping.source_columns(target)
            shown = f" (column {' or '.join(repr(c) for c in columns)})" if columns else ""
            found.errors.append(f"empty required field {target}{shown}")
    if found.errors:
        return RowError(line, "; ".join(found.errors), row)
    values = found.values
    external_id = values.get("external_id")
    if isinstance(external_id, str) and is_http_url(external_id):
        external_id = normalise_url(external_id)
    return ImportRecord(
        line=line,
        claim_text=values.get("claim_text") or "",
        summary=values.get("summary"),
        title=values.get("title"),
        language=values.get("language"),
        appearance_language=values.get("appearance_language"),
        outlet=values.get("outlet"),
        outlet_domain=values.get("outlet_domain"),
        source_url=values.get("source_url"),
        appearance_date=values.get("appearance_date"),
        narratives=tuple(values.get("narratives") or ()),
        keywords=tuple(values.get("keywords") or ()),
        countries=tuple(values.get("countries") or ()),
        verdict=values.get("verdict"),
        rationale=values.get("rationale"),
        external_id=external_id,
        debunk_url=values.get("debunk_url"),
        debunk_text=values.get("debunk_text"),
        warnings=tuple(found.warnings),
    )


def from_tracker_record(record: TrackerRecord, line: int = 0) -> ImportRecord:
    """The flat view of a full record; its first appearance is the earliest dated one."""
    dated = sorted(
        range(len(record.appearances)),
        key=lambda i: (
            record.appearances[i].date is None,
            record.appearances[i].date or date.min,
            i,
        ),
    )
    first = record.appearances[dated[0]] if dated else None
    outlet = first.outlet if first else None
    return ImportRecord(
        line=line,
        claim_text=record.text,
        summary=record.summary,
        title=record.title,
        language=record.language,
        appearance_language=first.language if first else None,
        outlet=outlet.name if outlet else None,
        outlet_domain=outlet.domains[0] if outlet and outlet.domains else None,
        source_url=first.url if first else None,
        appearance_date=first.date if first else None,
        narratives=record.narratives,
        keywords=record.keywords,
        countries=record.countries,
        verdict=record.verdict.rating if record.verdict else None,
        rationale=record.verdict.rationale if record.verdict else None,
        external_id=record.id,
        debunk_url=record.debunks[0].url if record.debunks else None,
        record=record,
    )


def _duplicate(mapping: Mapping, record: ImportRecord, seen: dict[bytes, int]) -> str | None:
    if mapping.record is not None:
        return _duplicate_key(mapping, record, seen)
    # Every field the row fills, normalised as the keys are: a row equal to an earlier one
    # brings nothing; one that differs anywhere may add an appearance or a debunk.
    parts = [
        f"{target}={_key_part(target, getattr(record, target)) or ''}" for target in _ROW_FIELDS
    ]
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).digest()
    first = seen.setdefault(digest, record.line)
    if first == record.line:
        return None
    keys = [
        " and ".join(_LABELS.get(t, t.replace("_", " ")) for t in group)
        for group in (("external_id",), ("source_url", "claim_text"))
        if all(getattr(record, t) for t in group)
    ]
    same = f"same {keys[0]} and every other field" if keys else "every field the same"
    return f"duplicate of line {first} ({same})"


#: The fields of a column row that count for "the same row" (not its line or warnings).
_ROW_FIELDS = tuple(
    name for name in ImportRecord.__dataclass_fields__ if name not in ("line", "warnings", "record")
)


def _duplicate_key(mapping: Mapping, record: ImportRecord, seen: dict[bytes, int]) -> str | None:
    for group in mapping.unique:
        found = [_key_part(target, getattr(record, target)) for target in group]
        parts = [part for part in found if part is not None]
        if len(parts) < len(found):
            continue
        key = "\x1f".join([",".join(group), *parts])
        digest = hashlib.blake2b(key.encode(), digest_size=16).digest()
        first = seen.setdefault(digest, record.line)
        if first != record.line:
            names = " and ".join(_LABELS.get(t, t.replace("_", " ")) for t in group)
            return f"duplicate of line {first} (same {names})"
    return None


def _key_part(target: str, value: Any) -> str | None:
    if value is None or value == "" or value == ():
        return None
    text = "\x1e".join(value) if isinstance(value, tuple) else str(value)
    if target in ("source_url", "debunk_url", "external_id") and is_http_url(text):
        return normalise_url(text)
    return " ".join(text.casefold().split())
