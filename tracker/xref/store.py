"""Stored vectors: computing them once, and keeping an in-memory index of them per process.

`refresh_vectors` encodes the records whose text (or the model) changed since their vector was
made and writes the vectors to the `vectors` table; re-running it skips the rest, which makes a
rebuild resumable. `VectorStore` holds one `VectorIndex` per kind in memory, loaded from the
table and topped up with what changed (checked at most every `refresh_seconds`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from tracker.models import Article, Claim, Figure, Vector, utcnow
from tracker.xref.embeddings import Encoder
from tracker.xref.vector_index import VectorIndex
from tracker.xref.vectors import CorruptVector, decode_vector, encode_vector

log = logging.getLogger("tracker.xref")

# What each kind of record is matched by: short statements, a debunk's title and "claim it
# refutes" line rather than its full text (bench/eval_semantic.py, EUvsDisinfo: a case's
# title finds it from its summary far more often than its debunk text does).
MODELS: dict[str, Any] = {"claim": Claim, "article": Article, "figure": Figure}
BATCH = 256


def embedding_text(kind: str, record: Any) -> str:
    if kind == "claim":
        return record.text
    if kind == "article":
        title = (record.title or "").strip().rstrip(".")
        statement = (record.claim_statement or "").strip().rstrip(".")
        # A title that only repeats the statement (imports often copy one into the other)
        # would weigh the same words twice.
        if not statement or statement.casefold() in title.casefold():
            return title
        if not title or title.casefold() in statement.casefold():
            return statement
        return f"{title}. {statement}"
    if kind == "figure":
        return ", ".join(p for p in (record.subject, record.place) if p)
    raise ValueError(f"unknown kind {kind!r}")


def embedding_lang(kind: str, record: Any) -> str | None:
    return "en" if kind == "figure" else record.language


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _live(kind: str) -> Any:
    model = MODELS[kind]
    condition = model.deleted_at.is_(None)
    if kind == "figure":
        condition = condition & model.parent_id.is_(None)
    return condition


def refresh_vectors(session: Session, kind: str, ids: Iterable[int], encoder: Encoder) -> int:
    """(Re)compute the vectors of these records where needed; returns how many were encoded.

    Deleted records lose their vector. The caller commits.
    """
    model = MODELS[kind]
    wanted = sorted({int(i) for i in ids})
    encoded = 0
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        records = {
            r.id: r for r in session.scalars(select(model).where(model.id.in_(chunk), _live(kind)))
        }
        existing = {
            v.entity_id: v
            for v in session.scalars(
                select(Vector).where(Vector.entity_type == kind, Vector.entity_id.in_(chunk))
            )
        }
        gone = [i for i in chunk if i not in records and i in existing]
        if gone:
            session.execute(
                delete(Vector).where(Vector.entity_type == kind, Vector.entity_id.in_(gone))
            )
        todo = []
        for record_id, record in records.items():
            text = embedding_text(kind, record)
            digest = text_hash(text)
            vector = existing.get(record_id)
            if (
                vector is not None
                and vector.model == encoder.model_id
                and vector.text_hash == digest
            ):
                continue
            todo.append((record, text, digest))
        if not todo:
            continue
        matrix = encoder.encode([t for _, t, _ in todo], role="passage")
        now = utcnow()
        for (record, _text, digest), row in zip(todo, matrix, strict=True):
            vector = existing.get(record.id) or Vector(entity_type=kind, entity_id=record.id)
            vector.model = encoder.model_id
            vector.lang = embedding_lang(kind, record)
            vector.text_hash = digest
            vector.data = encode_vector(row, "int8")
            vector.updated_at = now
            session.add(vector)
        encoded += len(todo)
        session.flush()
    return encoded


def count_live(session: Session, kind: str) -> int:
    """How many records of a kind `all_ids` walks (figure parts are not: only totals)."""
    model = MODELS[kind]
    return session.scalar(select(func.count()).select_from(model).where(_live(kind))) or 0


def changed_ids(
    session: Session, kind: str, since: datetime, *, or_without_vector: bool = False
) -> list[list[int]]:
    """The ids of the live records of a kind created or changed since SINCE (and, with
    OR_WITHOUT_VECTOR, those that have no vector at all), in batches as `all_ids` gives
    them: an import's records, without reading every text to compare its hash."""
    model = MODELS[kind]
    wanted = or_(model.created_at >= since, model.updated_at >= since)
    if or_without_vector:
        has_vector = (Vector.entity_type == kind) & (Vector.entity_id == model.id)
        wanted = or_(wanted, ~select(Vector.id).where(has_vector).exists())
    ids = list(session.scalars(select(model.id).where(_live(kind), wanted).order_by(model.id)))
    size = BATCH * 4
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def all_ids(session: Session, kind: str) -> Iterable[list[int]]:
    model = MODELS[kind]
    last = 0
    while True:
        ids = list(
            session.scalars(
                select(model.id)
                .where(model.id > last, _live(kind))
                .order_by(model.id)
                .limit(BATCH * 4)
            )
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


@dataclass
class LoadedIndex:
    """One kind's vectors in memory, and what is known about how fresh they are."""

    index: VectorIndex[int]
    model: str
    langs: dict[int, str | None] = field(default_factory=dict)
    seen_until: Any = None
    count: int = 0
    checked_at: float = 0.0
    corrupted: int = 0
    # Vectors of this kind made by another model (or version): not searched until re-encoded.
    stale: int = 0
    # (count, newest update) of every vector of the kind when last checked: unchanged means
    # nothing to reload.
    stamp: tuple[Any, ...] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def _index_key(session: Session, kind: str) -> tuple[str, str]:
    """Which cached index a session's kind is: one per database and kind."""
    return (str(session.get_bind().engine.url), kind)


class VectorStore:
    """Per-process cache of vector indexes, keyed by database and kind."""

    def __init__(self, refresh_seconds: float = 5.0) -> None:
        self.refresh_seconds = refresh_seconds
        self._indexes: dict[tuple[str, str], LoadedIndex] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._indexes.clear()

    def index(self, session: Session, kind: str, encoder: Encoder) -> LoadedIndex:
        """The in-memory index of a kind, up to date within `refresh_seconds`."""
        key = _index_key(session, kind)
        with self._lock:
            loaded = self._indexes.get(key)
            if loaded is None or loaded.model != encoder.model_id:
                loaded = LoadedIndex(VectorIndex(encoder.dim, precision="int8"), encoder.model_id)
                self._indexes[key] = loaded
        with loaded.lock:
            now = time.monotonic()
            if loaded.checked_at and now - loaded.checked_at < self.refresh_seconds:
                return loaded
            self._top_up(session, kind, loaded)
            loaded.checked_at = now
        return loaded

    def may_have_vectors(self, session: Session, kind: str, encoder: Encoder) -> bool:
        """False only when the kind's index was read within `refresh_seconds` and was empty
        (so a query needs no vector for it); no database read."""
        loaded = self._indexes.get(_index_key(session, kind))
        if loaded is None or loaded.model != encoder.model_id or len(loaded.index):
            return True
        return time.monotonic() - loaded.checked_at >= self.refresh_seconds

    def _top_up(self, session: Session, kind: str, loaded: LoadedIndex) -> None:
        # The cheap check first: any write to this kind's vectors (added, re-encoded by any
        # model, deleted) changes their count or newest time, both read from the
        # (entity_type, updated_at) index. The counts per model below read every row of
        # the kind: on 100,000 claims 60 ms (SQLite), against 6 ms for this check, and a
        # match paid them every `refresh_seconds`.
        stamp = tuple(
            session.execute(
                select(func.count(), func.max(Vector.updated_at)).where(Vector.entity_type == kind)
            ).one()
        )
        if stamp == loaded.stamp:
            return
        self._reload_changes(session, kind, loaded)
        loaded.stamp = stamp

    def _reload_changes(self, session: Session, kind: str, loaded: LoadedIndex) -> None:
        loaded.stale = (
            session.scalar(
                select(func.count()).where(Vector.entity_type == kind, Vector.model != loaded.model)
            )
            or 0
        )
        count, newest = session.execute(
            select(func.count(), func.max(Vector.updated_at)).where(
                Vector.entity_type == kind, Vector.model == loaded.model
            )
        ).one()
        if count == loaded.count and newest == loaded.seen_until:
            return
        query = select(Vector.entity_id, Vector.lang, Vector.data, Vector.updated_at).where(
            Vector.entity_type == kind, Vector.model == loaded.model
        )
        full = count < loaded.count or loaded.seen_until is None
        if full:  # something was deleted (or first load): start again
            loaded.index = VectorIndex(loaded.index.dim, precision="int8")
            loaded.langs.clear()
            loaded.corrupted = 0
        else:
            query = query.where(Vector.updated_at >= loaded.seen_until)
        ids: list[int] = []
        rows: list[np.ndarray] = []
        groups: list[str | None] = []
        for entity_id, lang, data, updated_at in session.execute(query).yield_per(5000):
            try:
                rows.append(decode_vector(data, loaded.index.dim))
            except CorruptVector as exc:
                # Matching goes on without this record's vector; its lexical match remains.
                loaded.corrupted += 1
                log.error("corrupted %s vector for id %s: %s", kind, entity_id, exc)
                continue
            ids.append(entity_id)
            groups.append(lang)
            loaded.langs[entity_id] = lang
            if loaded.seen_until is None or updated_at > loaded.seen_until:
                loaded.seen_until = updated_at
            if len(ids) >= 20_000:
                loaded.index.add(ids, np.stack(rows), groups)
                ids, rows, groups = [], [], []
        if ids:
            loaded.index.add(ids, np.stack(rows), groups)
        loaded.count = len(loaded.index) + loaded.corrupted
        if count != loaded.count and not full:
            # Updates of existing rows do not change the count; a mismatch means deletions.
            loaded.seen_until = None
            loaded.count = -1
            self._reload_changes(session, kind, loaded)
            return
        loaded.seen_until = newest
        _center(loaded)


# A language needs this many stored vectors before their own mean is trusted for centering.
MIN_FOR_OWN_MEAN = 100
REFERENCE_FILE = Path(__file__).with_name("reference_means.json")


@cache
def _reference() -> dict[str, Any]:
    return json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))


def reference_means(model_id: str, role: str) -> dict[str, np.ndarray]:
    """Shipped mean vectors per language for a model (bench/reference_means.py)."""
    means = _reference().get(model_id.split("@")[0], {}).get(role, {})
    return {lang: np.asarray(vector, dtype=np.float32) for lang, vector in means.items()}


def query_means(model_id: str) -> dict[Any, np.ndarray]:
    """The mean query vector per language: what a query is centered by."""
    return dict(reference_means(model_id, "query"))


def _center(loaded: LoadedIndex) -> None:
    """Center stored rows by their language's mean: their own once there are enough of
    them, the shipped reference before that (centering by the mean of one or two vectors
    would erase them)."""
    counts: dict[str | None, int] = {}
    for lang in loaded.langs.values():
        counts[lang] = counts.get(lang, 0) + 1
    reference = reference_means(loaded.model, "passage")
    means = {}
    for lang, count in counts.items():
        if count >= MIN_FOR_OWN_MEAN:
            means[lang] = loaded.index.mean(lang)
        elif lang in reference:
            means[lang] = reference[lang]
    total = sum(counts.values())
    default = (
        loaded.index.mean(all_groups=True) if total >= MIN_FOR_OWN_MEAN else reference.get("en")
    )
    if not means and default is None:
        loaded.index.set_centering(None)
        return
    loaded.index.set_centering(means, default=default)
