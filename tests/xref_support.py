"""Helpers shared by the xref tests: our own data in tests/data/quantities/ and
tests/data/xlingual/ (the cross-lingual set written for this project)."""

from __future__ import annotations

import json
import os
import select
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "quantities"


def load_jsonl(name: str) -> list[dict[str, Any]]:
    """The records of one JSON-lines file in tests/data/quantities/."""
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def as_rows(quantities: list[Any]) -> list[dict[str, Any]]:
    """Quantities as comparable dicts, in the shape of the data set's ``expected`` lists."""
    return [
        {
            "text": q.text,
            "value": round(float(q.value), 6),
            "upper": None if q.upper is None else round(float(q.upper), 6),
            "qualifier": q.qualifier,
            "kind": q.kind,
            "currency": q.currency,
        }
        for q in quantities
    ]


def expected_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``expected`` list of a sentence record, rounded like ``as_rows``."""
    return [
        {
            **row,
            "value": round(float(row["value"]), 6),
            "upper": None if row["upper"] is None else round(float(row["upper"]), 6),
        }
        for row in record["expected"]
    ]


XLINGUAL = Path(__file__).resolve().parent / "data" / "xlingual"


def xlingual_claims() -> dict[str, str]:
    """English claim statements by id."""
    with (XLINGUAL / "claims.jsonl").open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return {row["id"]: row["text"] for row in rows}


def xlingual_queries(kind: str, lang: str) -> dict[str, str]:
    """Query texts of one kind and language, by target claim id (first one wins)."""
    found: dict[str, str] = {}
    with (XLINGUAL / "queries.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["kind"] == kind and row["lang"] == lang:
                found.setdefault(row["target"], row["text"])
    return found


def in_forked_child(work: Callable[[], str], timeout: float = 20) -> str:
    """What WORK returns when run in a forked process ("error ..." when it raised), read
    through a pipe; the test fails when the child does not answer within TIMEOUT seconds (a
    child that hangs is killed). `tracker demo` works, then forks the server's workers."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child reports through the pipe, then leaves at once
        try:
            os.write(write_end, work().encode())
        except BaseException as exc:  # anything at all is reported to the parent
            os.write(write_end, f"error {exc!r}".encode())
        finally:
            os._exit(0)
    os.close(write_end)
    ready, _, _ = select.select([read_end], [], [], timeout)
    if not ready:
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    assert ready, f"the forked child did not answer within {timeout:.0f} s"
    return os.read(read_end, 200).decode()
