"""SQLite backend: one FTS5 table per document kind, holding the analysed token streams.

SQLite 3.40 has no contentless-delete, so the table is a regular FTS5 table (it stores the
token text, not the original text) whose rowid is the document id: an update is an
INSERT OR REPLACE, a delete is a DELETE by rowid. The tokenizer only has to split on the
spaces between our pre-analysed terms: unicode61 without diacritic removal, with combining
marks counted as letters and "_" as a token character (name keys start with it).

Document frequencies, which plan every query, are kept in a table of their own
(``search_<kind>_terms``), updated with every write as PostgreSQL's are. FTS5's vocabulary
table would give them too, but it reads a term's whole posting list to count it: tens of
milliseconds for a word in most of 100,000 documents, ten times that at a million.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import count, islice
from typing import Any

from sqlalchemy import Connection, Integer, Select, select, text
from sqlalchemy.orm import Session

from tracker.search.base import (
    Bind,
    DocumentTest,
    Plan,
    PreparedDocument,
    bm25_idf,
    bm25_part,
    empty_select,
    hits_select,
)
from tracker.search.query import Alternative, Clause

TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M*' tokenchars '_'"
BATCH = 5_000
_names = count()


def table(kind: str) -> str:
    return f"search_{kind}"


def terms_table(kind: str) -> str:
    return f"search_{kind}_terms"


def _connection(bind: Bind) -> Connection:
    return bind.connection() if isinstance(bind, Session) else bind


def _dbapi(bind: Bind) -> Any:
    """The sqlite3 connection inside the current transaction (for executemany speed)."""
    return _connection(bind).connection.driver_connection


def _fetch(bind: Bind, sql: str, params: Sequence[Any]) -> list[Any]:
    """Run one statement to the end and close its cursor (an unfinished SQLite statement
    keeps the table locked for DDL on the same connection)."""
    cursor = _dbapi(bind).cursor()
    try:
        return cursor.execute(sql, params).fetchall()
    finally:
        cursor.close()


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _phrase(alternative: Alternative) -> str:
    return '"' + " ".join(alternative) + '"'


def _clause(clause: Clause) -> str:
    return "(" + " OR ".join(_phrase(alt) for alt in clause.alternatives) + ")"


def match_expression(plan: Plan) -> str:
    """The FTS5 MATCH string of a plan: every term double-quoted, so no syntax can leak in."""
    joiner = " AND " if plan.mode == "all" else " OR "
    expression = "(" + joiner.join(_clause(clause) for clause in plan.clauses) + ")"
    if plan.excluded:
        expression += " NOT (" + " OR ".join(_clause(c) for c in plan.excluded) + ")"
    return expression


class SqliteBackend:
    """The FTS5 implementation of `tracker.search.base.Backend`."""

    def create_schema(self, connection: Connection, kinds: Sequence[str]) -> None:
        for kind in kinds:
            name = table(kind)
            connection.exec_driver_sql(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {name} "
                f'USING fts5(f1, f2, f3, f4, tokenize="{TOKENIZER}")'
            )
            connection.exec_driver_sql(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {name}_vocab USING fts5vocab({name}, 'row')"
            )
            terms = terms_table(kind)
            exists = connection.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (terms,)
            ).first()
            if exists is None:
                connection.exec_driver_sql(
                    f"CREATE TABLE {terms} (term TEXT PRIMARY KEY, df INTEGER NOT NULL) "
                    "WITHOUT ROWID"
                )
                # An index written before the table existed: count its terms once.
                connection.exec_driver_sql(
                    f"INSERT INTO {terms} (term, df) SELECT term, doc FROM {name}_vocab"
                )

    def drop_schema(self, connection: Connection, kinds: Sequence[str]) -> None:
        for kind in kinds:
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {terms_table(kind)}")
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {table(kind)}_vocab")
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {table(kind)}")

    def _stored_terms(self, cursor: Any, kind: str, ids: Sequence[int]) -> Counter[str]:
        """One count per distinct term of each stored document among IDS."""
        found: Counter[str] = Counter()
        for batch in _batches(ids, 500):
            marks = ",".join("?" * len(batch))
            rows = cursor.execute(
                f"SELECT f1, f2, f3, f4 FROM {table(kind)} WHERE rowid IN ({marks})", batch
            ).fetchall()
            for fields in rows:
                found.update(set(" ".join(fields).split()))
        return found

    def _apply_freqs(self, cursor: Any, kind: str, delta: Counter[str]) -> None:
        terms = terms_table(kind)
        changed = sorted(term for term, value in delta.items() if value)
        cursor.executemany(
            f"INSERT INTO {terms} (term, df) VALUES (?, ?) "
            "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
            [(term, delta[term]) for term in changed],
        )
        cursor.executemany(
            f"DELETE FROM {terms} WHERE term = ? AND df <= 0",
            [(term,) for term in changed if delta[term] < 0],
        )

    def write(self, bind: Bind, kind: str, docs: Iterable[PreparedDocument]) -> int:
        sql = f"INSERT OR REPLACE INTO {table(kind)}(rowid, f1, f2, f3, f4) VALUES (?, ?, ?, ?, ?)"
        cursor = _dbapi(bind).cursor()
        written = 0
        delta: Counter[str] = Counter()
        for batch in _batches(docs, BATCH):  # analysed lazily, batch by batch
            unique = list({doc.doc_id: doc for doc in batch}.values())
            delta.subtract(self._stored_terms(cursor, kind, [doc.doc_id for doc in unique]))
            rows = []
            for doc in unique:
                rows.append((doc.doc_id, *(" ".join(terms) for terms in doc.fields)))
                delta.update({term for terms in doc.fields for term in terms})
            cursor.executemany(sql, rows)
            written += len(rows)
        self._apply_freqs(cursor, kind, delta)
        cursor.close()
        return written

    def delete(self, bind: Bind, kind: str, ids: Sequence[int]) -> int:
        cursor = _dbapi(bind).cursor()
        delta: Counter[str] = Counter()
        delta.subtract(self._stored_terms(cursor, kind, ids))
        deleted = 0
        for batch in _batches(ids, 500):
            marks = ",".join("?" * len(batch))
            cursor.execute(f"DELETE FROM {table(kind)} WHERE rowid IN ({marks})", batch)
            deleted += max(cursor.rowcount, 0)
        self._apply_freqs(cursor, kind, delta)
        cursor.close()
        return deleted

    def doc_freqs(self, bind: Bind, kind: str, terms: Iterable[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for batch in _batches(sorted(set(terms)), 500):
            marks = ",".join("?" * len(batch))
            sql = f"SELECT term, df FROM {terms_table(kind)} WHERE term IN ({marks})"
            found.update(_fetch(bind, sql, batch))
        return found

    def cutoff_id(self, bind: Bind, kind: str, plan: Plan, window: int) -> int | None:
        """The id of the `window`-th newest match (None when fewer match): FTS5 walks the
        matches in rowid order without scoring them."""
        sql = (
            f"SELECT rowid FROM {table(kind)} WHERE {table(kind)} MATCH ? "
            "ORDER BY rowid DESC LIMIT 1 OFFSET ?"
        )
        rows = _fetch(bind, sql, (match_expression(plan), window - 1))
        return int(rows[0][0]) if rows else None

    def count(self, bind: Bind, kind: str, plan: Plan, cap: int) -> int:
        sql = (
            f"SELECT count(*) FROM (SELECT rowid FROM {table(kind)} "
            f"WHERE {table(kind)} MATCH ? LIMIT ?)"
        )
        return int(_fetch(bind, sql, (match_expression(plan), cap))[0][0])

    def matching(
        self,
        bind: Bind,
        kind: str,
        plan: Plan,
        newest: int,
        *,
        before: int | None = None,
        any_order: bool = False,
    ) -> Select:
        name, n = table(kind), next(_names)
        # FTS5 walks the matches in rowid order without scoring them, and starts the walk at
        # a rowid bound: cheap even for a word in most documents, at any depth, in either
        # order (so `any_order` changes nothing here).
        params: dict[str, Any] = {f"q_{n}": match_expression(plan), f"newest_{n}": newest}
        bound = ""
        if before is not None:
            bound = f" AND rowid < :before_{n}"
            params[f"before_{n}"] = before
        sql = (
            f"SELECT rowid AS doc_id FROM {name} WHERE {name} MATCH :q_{n}{bound} "
            f"ORDER BY rowid DESC LIMIT :newest_{n}"
        )
        hits = text(sql).bindparams(**params)
        return select(hits.columns(doc_id=Integer).subquery().c.doc_id)

    def contains(self, bind: Bind, kind: str, plan: Plan) -> DocumentTest | None:
        # FTS5 walks a word's matches from any rowid on, unscored, cheaply at any depth
        # (see `matching`); a MATCH per document would repeat that walk for each one.
        return None

    def select(self, bind: Bind, kind: str, plan: Plan) -> Select:
        name = table(kind)
        n = next(_names)
        weights = ", ".join(f":w{i}_{n}" for i in range(4))
        cutoff = self.cutoff_id(bind, kind, plan, plan.window) if plan.window else None
        window = f" AND rowid >= :min_{n}" if cutoff is not None else ""
        params: dict[str, Any] = {f"q_{n}": match_expression(plan), f"limit_{n}": plan.limit}
        averages = self._averages(bind, kind) if plan.within is not None else None
        if plan.within is not None and averages is not None:
            return self._select_within(bind, kind, plan, list(plan.within), averages)
        if plan.within is not None:
            # No averages recorded yet (an index not yet committed): bm25() knows them.
            marks = [f":in{i}_{n}" for i in range(len(plan.within))]
            params.update({f"in{i}_{n}": doc_id for i, doc_id in enumerate(plan.within)})
            window += f" AND rowid IN ({', '.join(marks)})"
        sql = (
            f"SELECT rowid AS doc_id, -bm25({name}, {weights}) AS score FROM {name} "
            f"WHERE {name} MATCH :q_{n}{window}"
        )
        if plan.count_ranked:
            # FTS5 refuses bm25() beside a window function: the matches are scored inside.
            sql = f"SELECT doc_id, score, count(*) OVER () AS considered FROM ({sql})"
        else:
            sql = f"SELECT doc_id, score, 0 AS considered FROM ({sql})"
        sql += f" ORDER BY score DESC, doc_id LIMIT :limit_{n}"
        params.update({f"w{i}_{n}": float(w) for i, w in enumerate(plan.weights)})
        if cutoff is not None:
            params[f"min_{n}"] = cutoff
        return hits_select(sql, params)

    def _select_within(
        self, bind: Bind, kind: str, plan: Plan, ids: list[int], averages: tuple[int, float]
    ) -> Select:
        """`select` for the few documents of `plan.within`, with the scores FTS5's bm25()
        would give them, computed here from their stored terms.

        Each is looked up by rowid in a list of values (about 60 microseconds; a subquery
        would make FTS5 walk every match). bm25() cannot be asked for them: it counts each
        phrase's documents again for every rowid looked up, a walk of a common word's whole
        posting list each time (70 ms for 54 rowids)."""
        name = table(kind)
        n_docs, avgdl = averages
        idfs = {alt: bm25_idf(n_docs, self._documents_with(bind, kind, plan, alt))
                for alt in plan.alternatives}  # fmt: skip
        scored = []
        for batch in _batches(ids, 500):
            sql = (
                f"SELECT rowid, f1, f2, f3, f4 FROM {name} WHERE {name} MATCH ? "
                f"AND rowid IN ({','.join('?' * len(batch))})"
            )
            for doc_id, *fields in _fetch(bind, sql, (match_expression(plan), *batch)):
                columns = [text.split() for text in fields]
                length = sum(len(terms) for terms in columns)
                score = 0.0
                for alt, idf in idfs.items():
                    frequency = sum(
                        weight * _occurrences(terms, alt)
                        for weight, terms in zip(plan.weights, columns, strict=True)
                    )
                    score += bm25_part(idf, frequency, length, avgdl)
                scored.append((doc_id, score))
        scored.sort(key=lambda hit: (-hit[1], hit[0]))
        return _as_select(scored[: plan.limit], len(scored) if plan.count_ranked else 0)

    def _documents_with(self, bind: Bind, kind: str, plan: Plan, alt: Alternative) -> int:
        if len(alt) == 1:
            return plan.freqs.get(alt[0], 0)
        sql = f"SELECT count(*) FROM {table(kind)} WHERE {table(kind)} MATCH ?"
        return int(_fetch(bind, sql, (_phrase(alt),))[0][0])

    def _averages(self, bind: Bind, kind: str) -> tuple[int, float] | None:
        """The number of documents and their mean number of terms, from FTS5's own record of
        them (the %_data row 1: varints, the row count then each column's total), which it
        writes when a transaction commits; None before that."""
        rows = _fetch(bind, f"SELECT block FROM {table(kind)}_data WHERE id = 1", ())
        values = _varints(bytes(rows[0][0])) if rows and rows[0][0] else []
        if not values or not values[0]:
            return None
        return values[0], sum(values[1:]) / values[0]


def _varints(data: bytes) -> list[int]:
    """SQLite's variable-length integers: 7 bits a byte, high bit set while more follow, and
    a ninth byte of 8 bits."""
    values, index = [], 0
    while index < len(data):
        value = 0
        for position in range(9):
            byte = data[index]
            index += 1
            if position == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return values


def _occurrences(terms: list[str], alt: Alternative) -> int:
    """How often the phrase ALT occurs in a field's terms."""
    if len(alt) == 1:
        return terms.count(alt[0])
    size = len(alt)
    return sum(1 for i in range(len(terms) - size + 1) if tuple(terms[i : i + size]) == alt)


def _as_select(hits: list[tuple[int, float]], considered: int) -> Select:
    """A `(doc_id, score, considered)` select of fixed rows."""
    if not hits:
        return empty_select()
    n = next(_names)
    params: dict[str, Any] = {f"considered_{n}": considered}
    rows = []
    for i, (doc_id, score) in enumerate(hits):
        params[f"d{i}_{n}"], params[f"s{i}_{n}"] = doc_id, score
        rows.append(f"(:d{i}_{n}, :s{i}_{n})")
    sql = (
        f"SELECT column1 AS doc_id, column2 AS score, :considered_{n} AS considered "
        f"FROM (VALUES {', '.join(rows)})"
    )
    return hits_select(sql, params)
