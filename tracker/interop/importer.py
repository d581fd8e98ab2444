"""Importing into the database: batches, chunked commits, rejections, progress.

The readers of this package (:mod:`claimreview_in`, :mod:`rows`, :mod:`dump_records`) turn
files into plain records; the handlers (:mod:`import_rows`, :mod:`import_claimreview`,
:mod:`import_dump`) turn one record into database records through the services, so an
import follows the validation, workflow rules and audit trail of the desk forms.

:class:`ImportRun` drives a handler over a stream of records:

- records are handled in batches; each batch is committed, so an interrupted import keeps
  what it committed and a second run resumes: every record is matched by its external id
  or URL first, and what is already there is left alone (a re-run changes nothing);
- a record that cannot be imported is written to the rejection report with its line and
  the reason, and the others go on. A handler refuses a record before writing anything
  (:class:`Rejected`); when a service refuses it half-way, the batch is rolled back and
  replayed one record per transaction, so a refused record leaves nothing behind;
- the claims a batch created or changed are re-indexed for search in one pass before its
  commit (the services' own per-claim re-indexing is deferred to it).

Nothing here imports Flask: the command line and background jobs pass a session and an
:class:`~tracker.audit.Actor`.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from tracker.audit import Actor, record_event
from tracker.errors import DomainError, ValidationFailed
from tracker.interop.import_lookups import Lookups
from tracker.interop.report import RejectionReport
from tracker.models import ApiToken, ClaimStatus, Job, User
from tracker.services.indexing import DEFERRED, deferred_reindex, reindex_deferred
from tracker.wording import counted

T = TypeVar("T")
Progress = Callable[[int, int | None], None]
DEFAULT_BATCH = 200


class Rejected(Exception):
    """A record refused before anything was written; the message says why."""


@dataclass
class ImportOptions:
    """What the person importing chose."""

    #: Where new claims land. None: draft (a full dump: each record's own status).
    status: ClaimStatus | None = None
    batch_size: int = DEFAULT_BATCH
    #: Keywords of CSV/JSONL rows become narratives (they are topic tags).
    keywords_as_narratives: bool = True
    #: Our own public address: reviews published under it are ours (``is_ours``).
    site_url: str | None = None
    encoding: str = "utf-8"


@dataclass
class Rejection:
    """One refused record: where it was and why."""

    line: int | None
    reason: str
    origin: str | None = None
    raw: Any = None


# The import summary's notes, most common first; the rest are counted, not dropped unsaid.
SHOWN_NOTES = 20


@dataclass
class ImportResult:
    """What an import did, for the command line, a job's result and the audit trail."""

    source: str
    kind: str
    read: int = 0
    created: Counter[str] = field(default_factory=Counter)
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    notes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    last_position: int = 0
    report_path: str | None = None

    @property
    def imported(self) -> int:
        """Records that created something new."""
        return self.read - self.updated - self.unchanged - self.rejected

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "read": self.read,
            "imported": self.imported,
            "created": dict(self.created),
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "notes": dict(self.notes.most_common(50)),
            "seconds": round(self.seconds, 2),
            "report": self.report_path,
        }

    def summary_lines(self) -> list[str]:
        # The kinds counted are plural nouns that make their plural with an "s".
        created = ", ".join(
            counted(n, what.removesuffix("s"), what) for what, n in sorted(self.created.items())
        )
        lines = [
            f"Read {counted(self.read, 'record')} from {self.source} in {self.seconds:.1f} s.",
            f"  new: {self.imported:,}; added to existing: {self.updated:,}; "
            f"already there: {self.unchanged:,}; rejected: {self.rejected:,}",
        ]
        if created:
            lines.append(f"  created {created}")
        shown = self.notes.most_common(SHOWN_NOTES)
        for note, count in shown:
            lines.append(f"  note: {note} (x{count:,})")
        if len(self.notes) > len(shown):
            rest = self.notes.most_common()[len(shown) :]
            lines.append(
                f"  ... and {counted(len(rest), 'other note')} "
                f"(on {counted(sum(n for _note, n in rest), 'record')}) not shown here"
            )
        return lines


class Handler(Protocol[T]):
    """Turns one kind of record into database records."""

    def prepare(self, batch: list[T]) -> None:
        """Look up, in a few queries, what the records of BATCH may match."""

    def handle(self, item: T) -> str:
        """Import one record; return "created", "updated" or "unchanged"; raise Rejected."""

    # A handler may also have finish(): called once after the last batch (then committed).


@dataclass
class Item(Generic[T]):
    """A record with its position (line number) and where it was read."""

    position: int
    value: T
    origin: str | None = None
    line: int | None = None  # for the report, when it differs from the position

    @property
    def where(self) -> int | None:
        return self.line if self.line is not None else self.position


class ImportRun:
    """The shared machinery of one import (see the module docstring)."""

    def __init__(
        self,
        session: Session,
        by: Actor,
        *,
        source: str,
        kind: str,
        options: ImportOptions | None = None,
        report: RejectionReport | None = None,
        progress: Progress | None = None,
        total: int | None = None,
    ) -> None:
        self.session = session
        self.by = by
        self.options = options or ImportOptions()
        self.report = report
        self.progress = progress
        self.total = total
        self.result = ImportResult(source=source, kind=kind)
        if report is not None:
            self.result.report_path = str(report.path)
        self.lookups = Lookups(session, by, self.result.created)
        self._touched: set[int] = set()
        self._started = time.perf_counter()

    # --- what handlers call -------------------------------------------------------------

    def touched(self, claim_id: int) -> None:
        """A claim was created or changed: re-index it with the batch."""
        self._touched.add(claim_id)

    def note(self, text: str, count: int = 1) -> None:
        self.result.notes[text] += count

    def count(self, what: str, n: int = 1) -> None:
        self.result.created[what] += n

    # --- the loop ------------------------------------------------------------------------

    def reject(
        self, line: int | None, reason: str, raw: Any = None, origin: str | None = None
    ) -> None:
        self.result.rejected += 1
        self.result.read += 1
        if self.report is not None:
            self.report.write(Rejection(line, reason, origin, raw))

    def run(self, items: Iterable[Item[T] | Rejection], handler: Handler[T]) -> ImportResult:
        """Import every item; rejections already found by the reader are reported as such."""
        with deferred_reindex(self.session):
            self._run(items, handler)
        self._finish()
        return self.result

    def _run(self, items: Iterable[Item[T] | Rejection], handler: Handler[T]) -> None:
        batch: list[Item[T]] = []
        for item in items:
            if isinstance(item, Rejection):
                self.reject(item.line, item.reason, item.raw, item.origin)
                self.result.last_position = max(self.result.last_position, item.line or 0)
                continue
            batch.append(item)
            if len(batch) >= self.options.batch_size:
                self._batch(batch, handler)
                batch = []
        if batch:
            self._batch(batch, handler)
        finish = getattr(handler, "finish", None)
        if finish is not None:
            try:
                finish()
                self._commit()
            except (DomainError, SQLAlchemyError) as error:
                self._rollback()
                self.note(f"the last step was refused: {_reason(error)}")

    def _batch(self, batch: list[Item[T]], handler: Handler[T]) -> None:
        try:
            handler.prepare([item.value for item in batch])
            outcomes = [self._one(item, handler) for item in batch]
            self._commit()
        except (DomainError, SQLAlchemyError):
            # A service refused a record half-way: undo the batch and take it again, one
            # record per transaction, so that only the refused record is left out.
            self._rollback()
            outcomes = []
            for item in batch:
                try:
                    handler.prepare([item.value])
                    outcome = self._one(item, handler)
                    self._commit()
                except (DomainError, SQLAlchemyError) as error:
                    self._rollback()
                    outcome = Rejection(item.where, _reason(error), item.origin, item.value)
                outcomes.append(outcome)
        self._release()
        for outcome in outcomes:
            if isinstance(outcome, Rejection):
                self.reject(outcome.line, outcome.reason, outcome.raw, outcome.origin)
                continue
            self.result.read += 1
            if outcome == "updated":
                self.result.updated += 1
            elif outcome == "unchanged":
                self.result.unchanged += 1
        self.result.last_position = max(self.result.last_position, batch[-1].position)
        if self.progress is not None:
            self.progress(self.result.last_position, self.total)

    def _one(self, item: Item[T], handler: Handler[T]) -> str | Rejection:
        try:
            return handler.handle(item.value)
        except Rejected as refusal:
            return Rejection(item.where, str(refusal), item.origin, item.value)

    def _commit(self) -> None:
        # The services asked for the claims they changed to be re-indexed; the batch is
        # indexed in one pass, in the transaction that commits it.
        pending = self.session.info.get(DEFERRED)
        if pending is not None:
            pending.setdefault("claim", set()).update(self._touched)
        reindex_deferred(self.session)
        self.session.commit()
        self._touched.clear()

    def _rollback(self) -> None:
        self.session.rollback()
        self._touched.clear()
        self.session.info.get(DEFERRED, set()).clear()
        self.lookups.reset()

    def _release(self) -> None:
        # Keep memory flat: forget what the batch loaded, but not the objects that belong
        # to whoever runs the import (the acting user, a job row being updated).
        for obj in list(self.session.identity_map.values()):
            # Expunging a claim takes its appearances with it (cascade): check each.
            if not isinstance(obj, User | Job | ApiToken) and obj in self.session:
                self.session.expunge(obj)

    def _finish(self) -> None:
        self.result.seconds = time.perf_counter() - self._started
        record_event(
            self.session,
            "import",
            "import",
            None,
            by=self.by,
            after=self.result.as_dict(),
            detail=f"{self.result.kind} import of {self.result.source}",
        )
        self.session.commit()
        if self.report is not None:
            self.report.close()


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationFailed):
        return "; ".join(
            f"{name}: {message}" for name, messages in error.errors.items() for message in messages
        )
    if isinstance(error, DomainError):
        return error.message
    original = getattr(error, "orig", None) or error
    first = str(original).strip().splitlines()[0] if str(original).strip() else type(error)
    return f"the database refused it: {first}"


def positions(values: Iterable[tuple[int, Any]]) -> Iterator[Item[Any]]:
    for position, value in values:
        yield Item(position, value)
