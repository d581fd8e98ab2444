"""Types shared by the search backends, and the choice of backend for a connection.

Every document kind ("claim", "article", "figure") has an index of its own. A document has up
to four weighted fields; what is stored is the analysed token stream of each field, the name
keys appended to the fourth field (so both databases see the same terms in the same places).
Scores are BM25 with the same constants and the same field weights on both backends (SQLite
computes it with FTS5's bm25(), PostgreSQL with an SQL expression over the stored tsvector),
returned as "higher is better".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from sqlalchemy import (
    ColumnElement,
    ColumnExpressionArgument,
    Connection,
    Float,
    Integer,
    Select,
    false,
    literal,
    select,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from tracker.search.analysis import index_terms
from tracker.search.query import Alternative, Clause

KINDS = ("claim", "article", "figure")
FIELD_COUNT = 4
# Weights of the four fields (primary text, secondary, tertiary, names and name keys).
DEFAULT_WEIGHTS: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 0.5)
# BM25 constants: the ones FTS5's bm25() has compiled in, so PostgreSQL can match it.
BM25_K1 = 1.2
BM25_B = 0.75


def bm25_idf(n_docs: int, hits: int) -> float:
    """FTS5's bm25() IDF of a phrase in HITS of N_DOCS documents, with its floor for one in
    more than half of them."""
    idf = math.log((n_docs - hits + 0.5) / (hits + 0.5)) if n_docs else 0.0
    return idf if idf > 0 else 1e-6


def bm25_part(idf: float, frequency: float, length: int, avgdl: float) -> float:
    """One phrase's share of a document's BM25 score: FREQUENCY is its weighted count in
    the document, LENGTH the document's number of terms."""
    norm = BM25_K1 * (1 - BM25_B + BM25_B * length / avgdl)
    return idf * frequency * (BM25_K1 + 1) / (frequency + norm)


# Characters of a field that are analysed: a longer text's tail is not indexed.
MAX_FIELD_CHARS = 100_000

Bind = Session | Connection
# Makes, for a column of document ids, the condition that the document matches a plan.
DocumentTest = Callable[[ColumnExpressionArgument[int]], ColumnElement[bool]]


class SearchError(Exception):
    """A search request that cannot be carried out; the message says why."""


class UnknownKindError(SearchError):
    """The document kind has no index."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"There is no search index for {kind!r}; known kinds: {', '.join(KINDS)}.")


@dataclass(frozen=True)
class SearchDocument:
    """A document to index: its id, up to four texts in weight order, and its language.

    `names` is the fourth field: outlet names, people, places; it carries the name keys that
    let a Latin spelling find a Cyrillic name and back.
    """

    doc_id: int
    primary: str = ""
    secondary: str = ""
    tertiary: str = ""
    names: str = ""
    lang: str | None = None


@dataclass(frozen=True)
class SearchHit:
    """One result: the document id and its score (higher is better)."""

    doc_id: int
    score: float


class PreparedDocument(NamedTuple):
    """A document as the index stores it: the analysed terms of each field.

    A named tuple rather than a dataclass: a million are made in a bulk load, and a frozen
    dataclass costs several microseconds each to build.
    """

    doc_id: int
    fields: tuple[list[str], list[str], list[str], list[str]]

    @property
    def length(self) -> int:
        return sum(len(terms) for terms in self.fields)


def prepare(doc: SearchDocument) -> PreparedDocument:
    """Analyse a document's fields; name keys from every field go to the fourth."""
    fields: list[list[str]] = [[], [], [], []]
    all_keys: list[str] = []
    for index, text in enumerate((doc.primary, doc.secondary, doc.tertiary, doc.names)):
        if text:
            fields[index], keys = index_terms(text[:MAX_FIELD_CHARS], doc.lang)
            all_keys.extend(keys)
    fields[3].extend(all_keys)
    return PreparedDocument(int(doc.doc_id), (fields[0], fields[1], fields[2], fields[3]))


def prepare_all(docs: list[SearchDocument]) -> list[PreparedDocument]:
    """Analyse a batch of documents (what a bulk load's worker processes run)."""
    return [prepare(doc) for doc in docs]


@dataclass(frozen=True)
class Plan:
    """A query ready for a backend: what to match, how to score, where to stop."""

    mode: str
    clauses: tuple[Clause, ...]
    excluded: tuple[Clause, ...]
    weights: tuple[float, float, float, float]
    limit: int
    # Document frequencies of single terms (PostgreSQL scores with them).
    freqs: dict[str, int]
    # An upper bound of the documents the clauses match (sum or minimum of frequencies).
    estimate: int = 0
    # Rank only the newest `window` matches (by id); None: rank every match.
    window: int | None = None
    # Rank only these documents (the few that pass a search's other filters); None: any.
    within: tuple[int, ...] | None = None
    # Count the documents ranked (`considered`); otherwise that column is 0. It costs a
    # pass over every ranked match (3 ms for 5,000 in FTS5), for a lower bound of the matches
    # that a caller may need when the index's own counts give none (`fewest_matches`).
    count_ranked: bool = False

    @property
    def alternatives(self) -> list[Alternative]:
        """Every distinct term or phrase that scores, in a stable order."""
        found = dict.fromkeys(alt for clause in self.clauses for alt in clause.alternatives)
        return list(found)


def clause_freq(clause: Clause, freqs: dict[str, int]) -> int:
    """An upper bound of the documents a clause matches."""
    return sum(min(freqs.get(term, 0) for term in alt) for alt in clause.alternatives)


def fewest_matches(plan: Plan) -> int:
    """How many documents PLAN matches at least, from the index's own counts: one word's
    (or stem's) document frequency when the plan is a single clause without exclusions;
    otherwise 0 (what words match together, or phrases, the counts cannot bound below)."""
    if plan.mode != "all" or len(plan.clauses) != 1 or plan.excluded:
        return 0
    return max(
        (plan.freqs.get(alt[0], 0) for alt in plan.clauses[0].alternatives if len(alt) == 1),
        default=0,
    )


def expected_matches(plan: Plan, n_docs: int) -> float:
    """How many documents PLAN likely matches: its estimate, except that in "all" mode the
    clauses' shares are multiplied, as if words occurred independently ("president" and
    "Georgia" are each in 20,000 of 100,000 claims and together in 6,800; the estimate
    says 20,000)."""
    if plan.mode != "all" or len(plan.clauses) < 2 or n_docs <= 0:
        return float(plan.estimate)
    share = math.prod(min(1.0, clause_freq(c, plan.freqs) / n_docs) for c in plan.clauses)
    return n_docs * share


class Backend(Protocol):
    """What a database must provide to hold the search indexes."""

    def create_schema(self, connection: Connection, kinds: Sequence[str]) -> None: ...

    def drop_schema(self, connection: Connection, kinds: Sequence[str]) -> None: ...

    def write(self, bind: Bind, kind: str, docs: Iterable[PreparedDocument]) -> int: ...

    def delete(self, bind: Bind, kind: str, ids: Sequence[int]) -> int: ...

    def doc_freqs(self, bind: Bind, kind: str, terms: Iterable[str]) -> dict[str, int]: ...

    def select(self, bind: Bind, kind: str, plan: Plan) -> Select:
        """`(doc_id, score, considered)` of the best `plan.limit` matches; with
        `plan.count_ranked`, `considered` is how many documents were ranked to find them
        (every match, or the newest `plan.window` of them), the same on every row, else 0."""
        ...

    def matching(
        self,
        bind: Bind,
        kind: str,
        plan: Plan,
        newest: int,
        *,
        before: int | None = None,
        any_order: bool = False,
    ) -> Select: ...

    def count(self, bind: Bind, kind: str, plan: Plan, cap: int) -> int: ...

    def contains(self, bind: Bind, kind: str, plan: Plan) -> DocumentTest | None:
        """What makes the condition that a document (a column of the caller's query holding
        its id) matches PLAN, checked one document at a time: for walking other rows (claims
        that pass some filters) and keeping those with the words. None where that would cost
        more than walking the matches themselves."""
        ...


def hits_select(sql: str, params: dict[str, Any]) -> Select:
    """A `(doc_id, score, considered)` select of the rows of a backend's ranking SQL."""
    columns = {"doc_id": Integer, "score": Float, "considered": Integer}
    found = sql_text(sql).bindparams(**params).columns(**columns).subquery()
    return select(found.c.doc_id, found.c.score, found.c.considered)


def empty_select() -> Select:
    """A `(doc_id, score, considered)` select with no rows."""
    return select(
        literal(0, Integer).label("doc_id"),
        literal(0.0, Float).label("score"),
        literal(0, Integer).label("considered"),
    ).where(false())


def check_kind(kind: str) -> str:
    """Return `kind` if it has an index (it becomes part of table names), else raise."""
    if kind not in KINDS:
        raise UnknownKindError(kind)
    return kind


def backend_for(bind: Bind) -> Backend:
    """The backend for the database behind a session or connection."""
    dialect = bind.get_bind().dialect.name if isinstance(bind, Session) else bind.dialect.name
    if dialect == "sqlite":
        from tracker.search.sqlite_fts import SqliteBackend

        return SqliteBackend()
    if dialect == "postgresql":
        from tracker.search.postgres import PostgresBackend

        return PostgresBackend()
    raise SearchError(f"Full-text search supports SQLite and PostgreSQL, not {dialect}.")
