"""Reading the raw rows of CSV and JSONL files: decoded, split, and checked for shape.

Each row comes out as ``(line, dict)`` or ``(line, RowError)``; the line is the physical
line where the row starts (the CSV header is line 1). Text is decoded in the encoding
given; a UTF-8 byte-order mark at the start is ignored.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.interop.mapping import Mapping


@dataclass(frozen=True)
class RowError:
    """A rejected row: where, why, and the row as read (for the rejection report)."""

    line: int
    reason: str
    raw: Any = None


def jsonl_objects(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
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


def csv_objects(
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
