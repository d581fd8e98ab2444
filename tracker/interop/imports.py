"""One entry point for every kind of import, used by the command line and background jobs.

    spec = ImportSpec("csv", Path("cases.csv"), mapping="euvsdisinfo")
    result = run_import(session, spec, by=Actor(user), progress=print)

``jsonl`` without a mapping reads our full-fidelity dump when the file is one (its first
record says ``"format": "disinfo-tracker/..."``), else the ``generic`` columns; ``csv``
without a mapping reads the ``generic`` columns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tracker.audit import Actor
from tracker.interop.dump_records import PREFIX
from tracker.interop.errors import InteropError
from tracker.interop.import_claimreview import import_claimreviews
from tracker.interop.import_dump import import_dump
from tracker.interop.import_rows import import_rows
from tracker.interop.importer import ImportOptions, ImportResult, ImportRun, Progress
from tracker.interop.mapping import Mapping, load_mapping
from tracker.interop.report import RejectionReport
from tracker.interop.rows import check_encoding
from tracker.models import ClaimStatus

FORMATS = ("claimreview", "csv", "jsonl")


@dataclass
class ImportSpec:
    """What to import, from where, and how."""

    fmt: str
    path: Path
    mapping: str | None = None
    base_url: str | None = None
    report: Path | None = None
    options: ImportOptions = field(default_factory=ImportOptions)

    def as_payload(self) -> dict[str, Any]:
        """A JSON form of the spec, for a background job's payload."""
        options = self.options
        return {
            "format": self.fmt,
            "path": str(self.path),
            "mapping": self.mapping,
            "base_url": self.base_url,
            "report": str(self.report) if self.report else None,
            "status": options.status.value if options.status else None,
            "batch_size": options.batch_size,
            "keywords_as_narratives": options.keywords_as_narratives,
            "site_url": options.site_url,
            "encoding": options.encoding,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ImportSpec:
        status = payload.get("status")
        options = ImportOptions(
            status=ClaimStatus(status) if status else None,
            batch_size=int(payload.get("batch_size") or ImportOptions.batch_size),
            keywords_as_narratives=bool(payload.get("keywords_as_narratives", True)),
            site_url=payload.get("site_url"),
            encoding=payload.get("encoding") or "utf-8",
        )
        report = payload.get("report")
        return cls(
            fmt=payload["format"],
            path=Path(payload["path"]),
            mapping=payload.get("mapping"),
            base_url=payload.get("base_url"),
            report=Path(report) if report else None,
            options=options,
        )


def is_dump(path: Path) -> bool:
    """Whether the first record of a JSONL file is one of our dump records."""
    with path.open("rb") as stream:
        for raw in stream:
            if raw.strip():
                try:
                    first = json.loads(raw.decode("utf-8-sig"))
                except ValueError:
                    return False
                fmt = first.get("format") if isinstance(first, dict) else None
                return isinstance(fmt, str) and fmt.startswith(PREFIX)
    return False


def resolve_mapping(spec: ImportSpec) -> Mapping | None:
    """The mapping the rows are read through; None for ClaimReview and full dumps.

    Raises :class:`~tracker.interop.errors.MappingError` for an unknown or invalid mapping
    and :class:`InteropError` for a missing file or unknown format, before anything is read.
    """
    if spec.fmt not in FORMATS:
        raise InteropError(f"unknown format {spec.fmt!r}: one of {', '.join(FORMATS)}")
    check_encoding(spec.options.encoding)
    if not spec.path.exists():
        raise InteropError(f"no such file or folder: {spec.path}")
    if spec.fmt == "claimreview":
        return None
    if not spec.path.is_file():
        raise InteropError(f"not a file: {spec.path}")
    if spec.fmt == "jsonl" and (
        spec.mapping == "tracker" or (spec.mapping is None and is_dump(spec.path))
    ):
        return None
    mapping = load_mapping(spec.mapping or "generic")
    if mapping.record is not None:
        if spec.fmt != "jsonl":
            raise InteropError(f"the {mapping.name} mapping reads JSONL only")
        return None
    return mapping


def count_lines(path: Path) -> int | None:
    """Lines in a file (the progress total of a row import), None for a folder."""
    if not path.is_file():
        return None
    count = 0
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            count += chunk.count(b"\n")
    return count


def run_import(
    session: Session, spec: ImportSpec, *, by: Actor, progress: Progress | None = None
) -> ImportResult:
    """Import SPEC as BY; commits batch by batch; returns what was done."""
    mapping = resolve_mapping(spec)
    report = RejectionReport(spec.report) if spec.report else None
    kind = spec.fmt if mapping is None else f"{spec.fmt} ({mapping.name})"
    if spec.fmt == "jsonl" and mapping is None:
        kind = "jsonl (full dump)"
    run = ImportRun(
        session,
        by,
        source=str(spec.path),
        kind=kind,
        options=spec.options,
        report=report,
        progress=progress,
        total=None if spec.fmt == "claimreview" else count_lines(spec.path),
    )
    if spec.fmt == "claimreview":
        import_claimreviews(run, spec.path, base_url=spec.base_url)
    elif mapping is None:
        import_dump(run, spec.path)
    else:
        import_rows(run, spec.path, spec.fmt, mapping)
    return run.result


__all__ = ["FORMATS", "ImportSpec", "count_lines", "import_dump", "is_dump", "run_import"]
