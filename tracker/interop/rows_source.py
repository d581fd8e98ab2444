"""Reading the raw rows of CSV and JSONL files: decoded, split, and checked for shape.

Each row comes out as ``(line, dict)`` or ``(line, RowError)``; the line is the physical
line where the row starts (the CSV header is line 1). Text is decoded in the encoding
given; a UTF-8 byte-order mark at the start is ignored.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.interop.mapping import Mapping

Note = Callable[[str], None]
#: Characters of an unreadable CSV row kept for the rejection report.
RAW_LIMIT = 65536


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
                    RowError(line, _not_decodable(encoding, error), shown),
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
    path: Path, mapping: Mapping, encoding: str, note: Note | None = None
) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    """The rows of a CSV file as dicts keyed by the header, or the reason they are refused.

    Quoting is read strictly: a quote that is never closed, or text after a closing
    quote, is an error with the lines it spans, and so is a row whose cell count is not
    the header's (a stray quote or delimiter shifts every cell after it).
    """
    bad_lines: dict[int, str] = {}
    with path.open("rb") as stream:
        kept: list[str] = []  # the text of the row being read, for the report
        lines = _decoded_lines(stream, bad_lines, encoding, kept)
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
        problems = header_problems(mapping, header, note)
        if problems:
            yield 1, RowError(1, "; ".join(problems), header)
            return
        start = reader.line_num + 1
        while True:
            kept.clear()
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raw = "".join(kept)[:RAW_LIMIT]
                yield start, RowError(start, _unreadable(error, start, reader.line_num), raw)
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
            shape = _shape_problem(cells, header, line, start - 1, dialect)
            if shape:
                yield line, RowError(line, shape, row)
                continue
            yield line, row


def _lines(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"


def _unreadable(error: csv.Error, first: int, last: int) -> str:
    if "unexpected end of data" in str(error):
        return (
            f"a quoted cell opened on line {first} is never closed (a stray quote?): "
            f"{_lines(first, last)} not imported"
        )
    hint = "; a stray quote?" if last > first else ""
    return f"unreadable CSV row ({_lines(first, last)}): {error}{hint}"


def _shape_problem(
    cells: list[str], header: list[str], first: int, last: int, dialect: type[csv.Dialect]
) -> str | None:
    spans = last > first
    if len(cells) != len(header):
        found = f"{len(cells)} cells but the header has {len(header)} columns"
        if spans:
            return (
                f"{_lines(first, last)} read as one row: {found}; a quoted cell runs across "
                "the lines (a stray quote?)"
            )
        return found
    if not spans or len(header) < 2:
        return None
    # A quote opened by mistake and closed by another one further down swallows whole
    # rows into one cell while the cell count can still come out right: a line inside a
    # cell that reads as a full row of its own gives it away.
    for name, cell in zip(header, cells, strict=True):
        for inner in cell.splitlines()[1:]:
            parsed = next(csv.reader([inner], dialect), [])
            if len(parsed) == len(header):
                return (
                    f"the quoted cell {name!r} runs over {_lines(first, last)} and holds "
                    f"what reads as a whole row ({inner[:60]!r}): a stray quote? "
                    "the rows it swallowed were not imported"
                )
    return None


def _decode(raw: bytes, number: int, encoding: str) -> str:
    # A byte-order mark at the start of a UTF-8 file is not text.
    if number == 1 and codecs.lookup(encoding).name == "utf-8":
        return raw.decode("utf-8-sig")
    return raw.decode(encoding)


def _label(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return "UTF-8" if name == "utf-8" else name


def _not_decodable(encoding: str, error: UnicodeDecodeError) -> str:
    """Why a line could not be read, with the way out when UTF-8 was assumed."""
    label = _label(encoding)
    hint = " (a file saved in another encoding needs it named: --encoding cp1251)"
    return f"not valid {label} (byte {error.start}){hint if label == 'UTF-8' else ''}"


def _decoded_lines(
    stream: Any, bad_lines: dict[int, str], encoding: str, kept: list[str]
) -> Iterator[str]:
    for number, raw in enumerate(stream, start=1):
        try:
            text = _decode(raw, number, encoding)
        except UnicodeDecodeError as error:
            bad_lines[number] = f"line {number} is {_not_decodable(encoding, error)}"
            text = raw.decode(encoding, errors="replace")
        if "\x00" in text:
            bad_lines[number] = f"line {number} contains NUL bytes"
            text = text.replace("\x00", "")
        if sum(map(len, kept)) < RAW_LIMIT:
            kept.append(text)
        yield text


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


class _Dialect(csv.excel):
    """Excel's CSV dialect with the delimiter found in the header, read strictly."""

    # Not strict, the reader glues text after a closing quote onto the cell and runs an
    # unclosed quote to the end of the file, both without a word.
    strict = True


def _dialect(header_line: str) -> type[csv.Dialect]:
    # Only the delimiter is guessed (spreadsheets in many locales write ";"). csv.Sniffer
    # also guesses quoting from one line and gets it wrong, so it is not used.
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return type("SourceDialect", (_Dialect,), {"delimiter": best if counts[best] else ","})


def header_problems(mapping: Mapping, header: list[str], note: Note | None = None) -> list[str]:
    """Why a CSV header cannot be read through MAPPING (empty when it can).

    Required fields need one of their columns. Any other field the mapping reads needs
    one too, unless the mapping is ``partial`` (a file may carry some of its columns):
    a misspelt column name would otherwise leave that field empty in every row. Columns a
    partial mapping does not read are noted, for the same reason the other way round.
    """
    if mapping.record is not None:
        return []
    problems = []
    missing = _absent(mapping, set(header), mapping.required)
    if missing:
        problems.append(f"missing required columns: {', '.join(missing)}")
    if not mapping.partial:
        others = [t for t in mapping.fields if t not in mapping.required]
        absent = _absent(mapping, set(header), others)
        if absent:
            problems.append(
                f"the mapping {mapping.name} reads columns that are not in the file: "
                f"{', '.join(absent)}"
            )
    elif note is not None:
        read = {column for rule in mapping.fields.values() for column in rule.sources}
        unread = [name for name in header if name and name not in read]
        if unread:
            note(f"columns the mapping {mapping.name} does not read: {', '.join(unread)}")
    return problems


def absent_keys(mapping: Mapping, keys: set[str]) -> list[str]:
    """The fields of MAPPING none of whose columns is among KEYS (named by column)."""
    if mapping.record is not None or mapping.partial:
        return []
    return _absent(mapping, keys, list(mapping.fields))


def _absent(mapping: Mapping, names: set[str], targets: Iterable[str]) -> list[str]:
    absent = []
    for target in targets:
        sources = mapping.source_columns(target)
        if sources and not any(column in names for column in sources):
            shown = " or ".join(sources)
            absent.append(shown if target == sources[0] else f"{shown} (for {target})")
    return absent
