"""Writing rows as CSV (safe to open in a spreadsheet) and as JSONL, streaming.

Formula injection: a spreadsheet executes a cell whose text starts with ``=``, ``+``,
``-`` or ``@`` (and, in some applications, tab or carriage return). Every such TEXT cell
is written with a leading apostrophe (``'=HYPERLINK(...)``), which spreadsheets show as
text; the same holds when the trigger comes after leading spaces, and for the full-width
forms (``＝``...). Numbers are not text: values of Python numeric types are written as
they are, ``-5`` included, and so are strings that are plain decimal numbers
(``-5``, ``-0.25``): a bare number cannot execute anything, and prefixing it would turn
negative figures into text in every export. ``-5+1`` or ``+44 20 7946 0000`` are not plain
numbers and are protected. The ``generic`` mapping reads protected cells back without the
apostrophe.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from tracker.interop.mapping import TARGET_FIELDS
from tracker.interop.records import TrackerRecord, dump_record

if TYPE_CHECKING:
    from tracker.interop.rows import ImportRecord

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
LIST_SEPARATOR = "; "
#: Columns of the generic CSV, in order: our field names.
GENERIC_COLUMNS: tuple[str, ...] = TARGET_FIELDS


def protect_cell(text: str) -> str:
    """TEXT made safe for spreadsheets (see the module docstring for the rule)."""
    if not text or _PLAIN_NUMBER.match(text):
        return text
    if text.startswith(_TRIGGERS) or text.lstrip(" ").startswith(_TRIGGERS):
        return "'" + text
    return text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return protect_cell(LIST_SEPARATOR.join(str(item) for item in value))
    if isinstance(value, dict):
        return protect_cell(json.dumps(value, ensure_ascii=False, default=_json_default))
    return protect_cell(str(value))


def record_to_row(record: ImportRecord) -> dict[str, Any]:
    """An :class:`ImportRecord` as a dict keyed by our field names (the generic columns)."""
    return {column: getattr(record, column) for column in GENERIC_COLUMNS}


def write_csv_rows(
    stream: IO[str],
    rows: Iterable[Any],
    *,
    columns: Sequence[str] | None = None,
) -> int:
    """Write ROWS (dicts or ImportRecords) as CSV to STREAM, one at a time; return the count.

    COLUMNS defaults to the generic columns for ImportRecords and to the first dict's keys
    otherwise; keys missing from a row give empty cells, keys not in COLUMNS are ignored.
    """
    iterator = iter(rows)
    first = next(iterator, None)
    if columns is None:
        columns = list(first) if isinstance(first, dict) else GENERIC_COLUMNS
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([protect_cell(str(column)) for column in columns])
    if first is None:
        return 0
    count = 0
    for row in _chain(first, iterator):
        values = row if isinstance(row, dict) else record_to_row(row)
        writer.writerow([_cell(values.get(column)) for column in columns])
        count += 1
    return count


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def write_jsonl_rows(stream: IO[str], rows: Iterable[Any]) -> int:
    """Write ROWS as JSON Lines; TrackerRecords through :func:`dump_record`. Return the count."""
    count = 0
    for row in rows:
        if isinstance(row, TrackerRecord):
            value: Any = dump_record(row)
        elif isinstance(row, dict):
            value = row
        else:
            value = {column: getattr(row, column) for column in GENERIC_COLUMNS}
        stream.write(json.dumps(value, ensure_ascii=False, default=_json_default))
        stream.write("\n")
        count += 1
    return count


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if isinstance(value, Decimal):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
