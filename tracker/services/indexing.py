"""Keeping the full-text indexes of claims, debunk articles and figures in step with them.

Services call :func:`reindex_claims` (or :func:`reindex`) with the ids of records that were
created, edited, published, retracted, deleted or restored, in the same transaction (the
caller commits)::

    from tracker.services.indexing import reindex_claims
    reindex_claims(session, [claim.id])

Every record that is not deleted is indexed, whatever its status: the desk searches drafts
with the same index, and public pages join every hit onto the public-content rule
(:mod:`tracker.public.visibility`), so a draft is never shown publicly. Deleted records are
removed from the index. :func:`rebuild_index` re-indexes a whole kind in batches.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.models import Appearance, Article, Claim, Figure
from tracker.search import SearchDocument, delete_documents, index_documents
from tracker.search.base import PreparedDocument, prepare_all
from tracker.search.service import write_prepared

BATCH = 1_000
# Long article bodies add little to matching and a lot to index size: the start is kept.
ARTICLE_TEXT_LIMIT = 4_000


def claim_document(claim: Claim) -> SearchDocument:
    """A claim: its text, English summary, rationale, and names (outlets, page titles)."""
    names: list[str] = []
    for appearance in claim.appearances:
        if appearance.outlet is not None and appearance.outlet.name not in names:
            names.append(appearance.outlet.name)
        if appearance.title:
            names.append(appearance.title)
    return SearchDocument(
        doc_id=claim.id,
        primary=claim.text,
        secondary=claim.summary_en or "",
        tertiary=claim.rationale or "",
        names="\n".join(names),
        lang=claim.language,
    )


def article_document(article: Article) -> SearchDocument:
    """A debunk article: the claim it refutes, its title, the start of its text, publisher."""
    return SearchDocument(
        doc_id=article.id,
        primary=article.claim_statement or "",
        secondary=article.title,
        tertiary=(article.text or "")[:ARTICLE_TEXT_LIMIT],
        names=article.publisher or "",
        lang=article.language,
    )


def figure_document(figure: Figure) -> SearchDocument:
    """A figure: what it counts, where, its quote, and who published and cited it."""
    sources = [figure.publisher or "", figure.cited_source or ""]
    return SearchDocument(
        doc_id=figure.id,
        primary=figure.subject,
        secondary=figure.place or "",
        tertiary=figure.quote or "",
        names="\n".join(s for s in sources if s),
        lang="en",
    )


@dataclass(frozen=True)
class IndexedKind:
    model: Any
    document: Callable[[Any], SearchDocument]
    load_options: tuple[Any, ...] = ()
    # Figure parts are compared through their total; only totals are indexed.
    only: Any = None


KINDS: dict[str, IndexedKind] = {
    "claim": IndexedKind(
        Claim, claim_document, (selectinload(Claim.appearances).selectinload(Appearance.outlet),)
    ),
    "article": IndexedKind(Article, article_document),
    "figure": IndexedKind(Figure, figure_document, only=Figure.parent_id.is_(None)),
}


#: While a session's info holds this key, re-indexing is collected there (ids by kind)
#: instead of done at once: an import re-indexes each committed batch in one go.
DEFERRED = "tracker.reindex_deferred"


@contextmanager
def deferred_reindex(session: Session) -> Iterator[dict[str, set[int]]]:
    """Collect, instead of doing, the re-indexing services ask for on SESSION.

    The caller re-indexes the collected ids itself (with :func:`reindex_deferred`) before
    each commit; bulk imports use it to index a batch of records in one pass per kind.
    """
    pending: dict[str, set[int]] = {}
    session.info[DEFERRED] = pending
    try:
        yield pending
    finally:
        session.info.pop(DEFERRED, None)


def reindex_deferred(session: Session) -> int:
    """Re-index what :func:`deferred_reindex` collected so far, and forget it."""
    pending = session.info.get(DEFERRED)
    total = 0
    while pending:
        kind, ids = pending.popitem()
        total += _reindex(session, kind, ids)
    return total


def reindex(session: Session, kind: str, ids: Iterable[int]) -> int:
    """Bring the index entries of these records up to date; returns how many were indexed."""
    pending = session.info.get(DEFERRED)
    if pending is not None:
        pending.setdefault(kind, set()).update(int(i) for i in ids)
        return 0
    return _reindex(session, kind, ids)


def _load_documents(
    session: Session, kind: str, chunk: list[int]
) -> tuple[list[SearchDocument], list[int]]:
    """The documents of the live records among CHUNK, and the ids that are gone."""
    spec = KINDS[kind]
    session.flush()
    query = select(spec.model).where(spec.model.id.in_(chunk)).options(*spec.load_options)
    if spec.only is not None:
        query = query.where(spec.only)
    live = [r for r in session.scalars(query) if r.deleted_at is None]
    gone = sorted(set(chunk) - {r.id for r in live})
    return [spec.document(r) for r in live], gone


def _reindex(session: Session, kind: str, ids: Iterable[int]) -> int:
    wanted = sorted({int(i) for i in ids})
    indexed = 0
    for start in range(0, len(wanted), BATCH):
        documents, gone = _load_documents(session, kind, wanted[start : start + BATCH])
        if gone:
            delete_documents(session, kind, gone)
        indexed += index_documents(session, kind, documents)
    return indexed


def reindex_claims(session: Session, claim_ids: Iterable[int]) -> int:
    return reindex(session, "claim", claim_ids)


def _all_ids(session: Session, kind: str) -> Iterator[list[int]]:
    spec = KINDS[kind]
    last = 0
    while True:
        query = select(spec.model.id).where(spec.model.id > last, spec.model.deleted_at.is_(None))
        if spec.only is not None:
            query = query.where(spec.only)
        ids = list(session.scalars(query.order_by(spec.model.id).limit(BATCH)))
        if not ids:
            return
        yield ids
        last = ids[-1]


def rebuild_index(
    session: Session,
    kind: str,
    *,
    release_batches: bool = False,
    progress: Callable[[int], None] | None = None,
    parallel: bool = False,
) -> int:
    """Index every record of a kind that is not deleted (after an import or a restore).

    With RELEASE_BATCHES the session forgets the loaded records after each batch, which keeps
    memory flat for millions of rows; only use it on a session of its own. With PARALLEL the
    text analysis (most of the work) runs in worker processes while this one loads the next
    batch and writes the last: for bulk loads and `tracker xref rebuild`, not for requests.
    Workers are spawned, not forked (they must not share this process's database
    connections), so a script calling this needs the `if __name__ == "__main__":` guard.
    """
    if parallel:
        return _rebuild_in_parallel(session, kind, release_batches, progress)
    total = 0
    for ids in _all_ids(session, kind):
        total += reindex(session, kind, ids)
        if progress is not None:
            progress(len(ids))
        if release_batches:
            session.expunge_all()
    return total


def _rebuild_in_parallel(
    session: Session,
    kind: str,
    release_batches: bool,
    progress: Callable[[int], None] | None,
) -> int:
    workers = max(1, (os.cpu_count() or 2) - 1)
    # A few batches in flight keep every worker busy without holding the whole table.
    in_flight: deque[tuple[int, Future[list[PreparedDocument]]]] = deque()
    total = 0

    def write_oldest() -> None:
        nonlocal total
        count, future = in_flight.popleft()
        total += write_prepared(session, kind, future.result())
        if progress is not None:
            progress(count)

    # "spawn": a worker needs only the analyser, never the parent's database connections.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for ids in _all_ids(session, kind):
            documents, _ = _load_documents(session, kind, ids)
            in_flight.append((len(ids), pool.submit(prepare_all, documents)))
            if release_batches:
                session.expunge_all()
            if len(in_flight) > 2 * workers:
                write_oldest()
        while in_flight:
            write_oldest()
    return total


def rebuild_claim_index(
    session: Session, *, release_batches: bool = False, parallel: bool = False
) -> int:
    return rebuild_index(session, "claim", release_batches=release_batches, parallel=parallel)


def rebuild_all(
    session: Session, *, release_batches: bool = False, parallel: bool = False
) -> dict[str, int]:
    return {
        kind: rebuild_index(session, kind, release_batches=release_batches, parallel=parallel)
        for kind in KINDS
    }


__all__ = [
    "DEFERRED",
    "KINDS",
    "article_document",
    "claim_document",
    "deferred_reindex",
    "figure_document",
    "rebuild_all",
    "rebuild_claim_index",
    "rebuild_index",
    "reindex",
    "reindex_claims",
    "reindex_deferred",
]
