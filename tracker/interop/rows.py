"""Reading CSV and JSONL rows through a column mapping; writing them back out.

:func:`read_rows` streams: it holds one row at a time, plus a 16-byte digest per distinct
duplicate key (the only thing that grows with the file, unavoidable for finding
duplicates). Every row gives either an :class:`ImportRecord` or a :class:`RowError` with
the line number (the physical line where the row starts; the CSV header is line 1) and
the reason:

- JSONL: undecodable bytes, malformed JSON, a line that is not a JSON object;
- CSV: undecodable bytes, NUL bytes, missing required columns (one error for the whole
  file, naming them all), cells beyond the header;
- both: empty required fields, invalid URLs, invalid or future dates, unknown verdicts,
  duplicates of an earlier row (same external id, or same source URL and claim text:
  whatever the mapping's ``unique`` groups say).

Text is decoded as UTF-8; a byte-order mark at the start is ignored.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
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
    warnings: tuple[str, ...] = ()
    record: TrackerRecord | None = None


@dataclass(frozen=True)
class RowError:
    """A rejected row: where, why, and the row as read (for the rejection report)."""

    line: int
    reason: str
    raw: Any = None


RowResult = ImportRecord | RowError


def read_rows(
    path: Path,
    fmt: str,
    mapping: Mapping | str | Path,
    *,
    today: date | None = None,
    encoding: str = "utf-8",
) -> Iterator[RowResult]:
    """Stream the rows of the CSV or JSONL file PATH through MAPPING.

    FMT is ``"csv"`` or ``"jsonl"``. MAPPING is a :class:`Mapping` or a name/path for
    :func:`load_mapping`. TODAY (default: the current date) bounds "future" dates.
    ENCODING names the file's text encoding (spreadsheets saved as ``cp1251`` or
    ``latin-1``); a line that does not decode is rejected with the byte that failed.
    Raises :class:`InteropError` for an unknown format or encoding, or a missing file.
    """
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InteropError(f"unknown text encoding {encoding!r}") from None
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
        source = _jsonl_objects(path, encoding)
    else:
        source = _csv_objects(path, mapping, encoding)
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


def _jsonl_objects(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    with path.open("rb") as stream:
        for line, raw in enumerate(stream, start=1):
            try:
                text = _decode(raw, line, encoding)
            except UnicodeDecodeError as error:
                shown = raw.decode(encoding, errors="replace")
                yield (
                    line,
                    RowError(line, f"not valid {_label(encoding)} (byte {error.start})", shown),
                )
                continue
            if not text.strip():
                continue
            text = text.rstrip("\r\n")
            try:
                value = json.loads(text)
            except json.JSONDecodeError as error:
                yield (
                    line,
                    RowError(line, f"malformed JSON: {error.msg} at column {error.colno}", text),
                )
                continue
            except RecursionError:
                yield line, RowError(line, "malformed JSON: nested too deeply", text)
                continue
            if not isinstance(value, dict):
                yield line, RowError(line, f"expected a JSON object, got {_json_kind(value)}", text)
                continue
            yield line, value


def _json_kind(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _csv_objects(
    path: Path, mapping: Mapping, encoding: str
) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    bad_lines: dict[int, str] = {}
    with path.open("rb") as stream:
        lines = _decoded_lines(stream, bad_lines, encoding)
        first = next(lines, None)
        if first is None:
            return
        dialect = _dialect(first)
        reader = csv.reader(_chain(first, lines), dialect)
        try:
            header = [name.strip() for name in next(reader)]
        except (csv.Error, StopIteration) as error:
            yield 1, RowError(1, f"unreadable CSV header: {error}")
            return
        missing = _missing_columns(mapping, header)
        if missing:
            yield 1, RowError(1, f"missing required columns: {', '.join(missing)}", header)
            return
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield start, RowError(start, f"unreadable CSV row: {error}")
                start = reader.line_num + 1
                continue
            line, start = start, reader.line_num + 1
            problems = [bad_lines.pop(n) for n in range(line, start) if n in bad_lines]
            row = dict(zip(header, cells, strict=False))
            if problems:
                yield line, RowError(line, "; ".join(problems), row)
                continue
            if not any(cell.strip() for cell in cells):
                continue
            extra = [cell for cell in cells[len(header) :] if cell.strip()]
            if extra:
                yield (
                    line,
                    RowError(
                        line, f"{len(cells)} cells but the header has {len(header)} columns", row
                    ),
                )
                continue
            yield line, row


def _decode(raw: bytes, number: int, encoding: str) -> str:
    # A byte-order mark at the start of a UTF-8 file is not text.
    if number == 1 and codecs.lookup(encoding).name == "utf-8":
        return raw.decode("utf-8-sig")
    return raw.decode(encoding)


def _label(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return "UTF-8" if name == "utf-8" else name


def _decoded_lines(stream: Any, bad_lines: dict[int, str], encoding: str) -> Iterator[str]:
    for number, raw in enumerate(stream, start=1):
        try:
            text = _decode(raw, number, encoding)
        except UnicodeDecodeError as error:
            label = _label(encoding)
            bad_lines[number] = f"line {number} is not valid {label} (byte {error.start})"
            text = raw.decode(encoding, errors="replace")
        if "\x00" in text:
            bad_lines[number] = f"line {number} contains NUL bytes"
            text = text.replace("\x00", "")
        yield text


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


class _Dialect(csv.excel):
    """Excel's CSV dialect with the delimiter found in the header."""


def _dialect(header_line: str) -> type[csv.Dialect]:
    # Only the delimiter is guessed (spreadsheets in many locales write ";"). csv.Sniffer
    # also guesses quoting from one line and gets it wrong, so it is not used.
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return type("SourceDialect", (_Dialect,), {"delimiter": best if counts[best] else ","})


def _missing_columns(mapping: Mapping, header: list[str]) -> list[str]:
    if mapping.record is not None:
        return []
    missing = []
    for target in mapping.required:
        sources = mapping.source_columns(target)
        if sources and not any(column in header for column in sources):
            missing.append(" or ".join(sources))
    return missing


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
    text = str(value)
    if target in ("source_url", "debunk_url", "external_id") and is_http_url(text):
        return normalise_url(text)
    return " ".join(text.casefold().split())
