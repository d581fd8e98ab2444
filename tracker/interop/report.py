"""The rejection report of an import: every refused record with its line and the reason.

A ``.csv`` path gets a spreadsheet (columns ``line``, ``origin``, ``reason``, ``record``;
cells protected against formula injection); any other path JSON Lines, one object per
refused record. The file is written only when something is refused; a report left by an
earlier run of the same import is replaced, or removed when nothing is refused now.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tracker.interop.rows_out import protect_cell

if TYPE_CHECKING:
    from tracker.interop.importer import Rejection

CSV_COLUMNS = ("line", "origin", "reason", "record")


def _json_safe(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


class RejectionReport:
    """Writes rejections to PATH as they come (constant memory)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.count = 0
        self._stream: IO[str] | None = None
        self._csv: Any = None

    def write(self, rejection: Rejection) -> None:
        if self._stream is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._stream = self.path.open("w", encoding="utf-8", newline="")
            if self.path.suffix.lower() == ".csv":
                self._csv = csv.writer(self._stream, lineterminator="\r\n")
                self._csv.writerow(CSV_COLUMNS)
        record = _json_safe(rejection.raw)
        if self._csv is not None:
            shown = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
            self._csv.writerow(
                [
                    rejection.line if rejection.line is not None else "",
                    protect_cell(rejection.origin or ""),
                    protect_cell(rejection.reason),
                    protect_cell(shown or ""),
                ]
            )
        else:
            line = {
                "line": rejection.line,
                "origin": rejection.origin,
                "reason": rejection.reason,
                "record": record,
            }
            self._stream.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.count += 1

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None
        elif self.path.is_file() and _looks_like_report(self.path):
            self.path.unlink()


def _looks_like_report(path: Path) -> bool:
    with path.open(encoding="utf-8", errors="replace") as stream:
        first = stream.readline().strip()
    if first == ",".join(CSV_COLUMNS):
        return True
    try:
        value = json.loads(first)
    except ValueError:
        return False
    return isinstance(value, dict) and {"line", "reason"} <= set(value)
