"""PostgreSQL backend: a table per kind with a stored tsvector, a GIN index, and BM25 in SQL.

The tsvector is written as a tsvector literal from our own analysed terms (never through a
text search parser or dictionary, whose word splitting depends on the server's locale), one
weight letter per field: A, B, C, D. Queries are tsquery literals built the same way.

PostgreSQL's own ts_rank_cd is not BM25 and ranks clearly worse (see bench/eval_lexical.py),
so the score is FTS5's bm25() formula computed in SQL over the matching rows: term
frequencies weighted per field from the tsvector, document length from a column, document
frequencies and totals from two small statistics tables kept exact on every write. Both
databases therefore give the same scores to the same documents.

A term's frequency per field is read with ts_rank, not by unnesting the tsvector (which
builds a row for every word of every candidate, about 0.5 s for 5,000 candidates): see
`count_positions`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import count, pairwise
from typing import Any

import numpy as np
from sqlalchemy import (
    ColumnElement,
    ColumnExpressionArgument,
    Connection,
    Integer,
    Select,
    bindparam,
    cast,
    exists,
    literal,
    select,
    text,
)
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session

from tracker.search.base import (
    BM25_B,
    BM25_K1,
    Bind,
    DocumentTest,
    Plan,
    PreparedDocument,
    bm25_idf,
    clause_freq,
    expected_matches,
    hits_select,
)
from tracker.search.postgres_newest import newest_order
from tracker.search.query import Alternative, Clause
from tracker.search.sqlite_fts import _batches, table

# In "any" mode, when more documents may match than PRESELECT, only some are scored with
# BM25 (decoding a tsvector costs about 7 microseconds): those with one of the query's rarest
# words (RARE_SINGLES documents at most) or two of its others, the newest PRESELECT_CAP of
# them (`preselect_tsquery`). Measured on CheckThat! 2022 (bench/eval_lexical.py, 14,231
# claims, PostgreSQL): MAP@5 dev 0.908 and train 0.832 as with the top 1,000 by summed IDF
# that this replaced, at half the time (dev 40 against 80 ms a query); a cap of 2,000 cost
# 0.005 of MAP@5 on both splits.
PRESELECT = 1_000
RARE_SINGLES = 500
PRESELECT_CAP = 4_000
# `contains` answers only for words that are expected in at least this share of the documents:
# walking rows newest first and testing each finds 500 matches among about 10,000 of them.
DENSE_SHARE = 0.05
# A pair of common words counts only when one of them is among the PAIR_FIRSTS rarest of
# them: two of the commonest rarely make a best match, and every pair is a clause the GIN
# index evaluates per posting (a long claim's 38 words made 700 of them). On CheckThat!
# MAP@5 stayed 0.908 (dev) and 0.832 (train) with 4, at dev 34.9 against 38.4 ms a query and
# train 39.7 against 47.4; with 2, train fell to 0.830.
PAIR_FIRSTS = 4
ANALYZE_AFTER = 10_000
# A claim's tsvector is about 2 KB compressed, so the default storage moves a third of them
# out of the row into the TOAST table, and ranking 5,000 candidates fetches them from there
# (SQL under 'ranking' in search_phases.py: 69 ms for a common Russian word at 100,000
# claims; 40 ms with MAIN, which keeps them in the row whenever the row fits in a page).
TSV_STORAGE = "STORAGE MAIN"
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_TERM = 255
WEIGHT_LETTERS = "ABCD"
_names = count()


def _connection(bind: Bind) -> Connection:
    return bind.connection() if isinstance(bind, Session) else bind


def _cursor(bind: Bind) -> Any:
    driver: Any = _connection(bind).connection.driver_connection
    return driver.cursor()


def tsvector_literal(doc: PreparedDocument) -> str:
    """The tsvector of a document; fields are separated by a gap so no phrase spans two."""
    positions: dict[str, list[str]] = {}
    position = 1
    for letter, terms in zip(WEIGHT_LETTERS, doc.fields, strict=True):
        for term in terms:
            found = positions.setdefault(term, [])
            if len(found) < MAX_POSITIONS_PER_TERM:
                found.append(f"{min(position, MAX_POSITION)}{letter}")
            position += 1
        position += 1
    return " ".join(f"'{term}':{','.join(marks)}" for term, marks in positions.items())


def _alternative(alt: Alternative) -> str:
    return " <-> ".join(f"'{term}'" for term in alt)


def _clause(clause: Clause) -> str:
    return "(" + " | ".join(_alternative(alt) for alt in clause.alternatives) + ")"


def tsquery_literal(plan: Plan) -> str:
    """The tsquery of a plan; every lexeme quoted, so no input syntax can leak in."""
    joiner = " & " if plan.mode == "all" else " | "
    expression = "(" + joiner.join(_clause(clause) for clause in plan.clauses) + ")"
    if plan.excluded:
        expression += " & !(" + " | ".join(_clause(c) for c in plan.excluded) + ")"
    return expression


def _rank_of_first_positions(count_: int) -> float:
    """What ts_rank gives a one-word tsquery whose word is at `count_` positions, each
    weighted 1, ahead of any weighted 0 (PostgreSQL's calc_rank_or, in its float32 steps:
    the sum of 1/j^2 for j = 1..count_, divided by pi^2/6)."""
    total = np.float32(0.0)
    for j in range(1, count_ + 1):
        total = np.float32(total + np.float32(np.float32(1.0) / np.float32(j * j)))
    return float(np.float32((np.float32(1.0) + total - np.float32(1.0)) / 1.64493406685))


# ts_rank of a word at n positions (n = 0 .. 256, a tsvector's most) strictly grows with n,
# so the midpoints between successive values turn a rank back into n with width_bucket().
_RANKS = [0.0] + [_rank_of_first_positions(n) for n in range(1, 257)]
RANK_BOUNDS = [(low + high) / 2 for low, high in pairwise(_RANKS)]
# ts_rank's weights are given for D, C, B, A; these count the positions in the first k fields.
_FIRST_FIELDS = {1: "{0,0,0,1}", 2: "{0,0,1,1}", 3: "{0,1,1,1}", 4: "{1,1,1,1}"}


def count_positions(k: int, tsv: str, tsq: str, bounds: str) -> str:
    """SQL for the number of positions of a one-word tsquery in the first K fields.

    Fields are stored in weight order (A, B, C, D) and positions grow from one field to the
    next, so a word's positions in the first k fields come before its others. ts_rank with
    weight 1 for those fields and 0 for the rest then depends only on how many there are
    (`_rank_of_first_positions`), and width_bucket(rank, RANK_BOUNDS) gives that number
    back: a binary search in the tsvector and a loop over one word's positions, where
    unnesting the tsvector would build a row for every word of the document.
    """
    return f"width_bucket(ts_rank('{_FIRST_FIELDS[k]}', {tsv}, {tsq}), {bounds})"


def frequency_steps(weights: Sequence[float]) -> list[tuple[int, float]]:
    """A weighted term frequency as sum(count in the first k fields * step_k): the (k,
    step_k) with a step other than zero (step_k = weight k - weight k+1)."""
    levels = [*weights, 0.0]
    return [(k, levels[k - 1] - levels[k]) for k in range(1, 5) if levels[k - 1] != levels[k]]


def _term_tsquery(term: str) -> str:
    """A tsquery literal of one lexeme (quotes and backslashes escaped)."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _considered(plan: Plan) -> str:
    """SQL for a ranking's `considered` column (see `Plan.count_ranked`)."""
    return "count(*) OVER ()" if plan.count_ranked else "0"


def preselect_tsquery(plan: Plan) -> str:
    """The candidates of an "any" query whose words are common: the documents that contain
    one of its rarest words (while these are in fewer than RARE_SINGLES documents together)
    or two of its other words, one of them among the PAIR_FIRSTS rarest. The GIN index
    answers this from its posting lists alone.

    Every document that shares one common word with the query would each need a row read
    (a tsvector's row fills a quarter of a page): about 2 microseconds a posting, 30-40 ms
    for the 20,000 postings of a long claim at 100,000 claims, where a document sharing
    a single common word rarely ranks among the best 50 anyway.
    """
    clauses = sorted(plan.clauses, key=lambda clause: clause_freq(clause, plan.freqs))
    singles, postings = [], 0
    for clause in clauses:
        postings += clause_freq(clause, plan.freqs)
        if postings > RARE_SINGLES:
            break
        singles.append(_clause(clause))
    rest = [_clause(clause) for clause in clauses[len(singles) :]]
    if not singles and len(rest) == 1:
        singles = rest  # one common word: its newest documents
    # "Two of a, b, c, d" as a & (b | c | d) | b & (c | d) | c & d: evaluated per posting,
    # each part stops at its first word when that is missing.
    pairs = [
        f"{first} & ({' | '.join(rest[i + 1 :])})"
        for i, first in enumerate(rest[: min(len(rest) - 1, PAIR_FIRSTS)])
    ]
    expression = "(" + " | ".join([*singles, *(f"({pair})" for pair in pairs)]) + ")"
    if plan.excluded:
        expression += " & !(" + " | ".join(_clause(c) for c in plan.excluded) + ")"
    return expression


def _least(expressions: list[str]) -> str:
    return expressions[0] if len(expressions) == 1 else f"LEAST({', '.join(expressions)})"


class PostgresBackend:
    """The tsvector/GIN implementation of `tracker.search.base.Backend`."""

    def create_schema(self, connection: Connection, kinds: Sequence[str]) -> None:
        connection.exec_driver_sql(
            "CREATE TABLE IF NOT EXISTS search_stats ("
            "kind text PRIMARY KEY, n_docs bigint NOT NULL, n_tokens bigint NOT NULL)"
        )
        for kind in kinds:
            name = table(kind)
            connection.exec_driver_sql(
                f"CREATE TABLE IF NOT EXISTS {name} (doc_id bigint PRIMARY KEY, "
                "len integer NOT NULL, tsv tsvector NOT NULL)"
            )
            connection.exec_driver_sql(f"ALTER TABLE {name} ALTER COLUMN tsv SET {TSV_STORAGE}")
            connection.exec_driver_sql(
                f"CREATE INDEX IF NOT EXISTS ix_{name}_tsv ON {name} USING gin (tsv)"
            )
            connection.exec_driver_sql(
                f"CREATE TABLE IF NOT EXISTS {name}_terms (term text PRIMARY KEY, "
                "df integer NOT NULL)"
            )
            connection.exec_driver_sql(
                "INSERT INTO search_stats (kind, n_docs, n_tokens) VALUES (%(kind)s, 0, 0) "
                "ON CONFLICT (kind) DO NOTHING",
                {"kind": kind},
            )

    def drop_schema(self, connection: Connection, kinds: Sequence[str]) -> None:
        for kind in kinds:
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {table(kind)}_terms")
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {table(kind)}")
        connection.exec_driver_sql("DROP TABLE IF EXISTS search_stats")

    def _forget(self, cursor: Any, kind: str, ids: Sequence[int]) -> tuple[Counter[str], int, int]:
        """Delete rows, returning the document frequencies, documents and tokens they held."""
        freqs: Counter[str] = Counter()
        docs = tokens = 0
        cursor.execute(
            f"DELETE FROM {table(kind)} WHERE doc_id = ANY(%s) "
            "RETURNING len, tsvector_to_array(tsv)",
            (list(ids),),
        )
        for length, terms in cursor.fetchall():
            freqs.update(terms)
            docs += 1
            tokens += length
        return freqs, docs, tokens

    def _apply_stats(self, cursor: Any, kind: str, delta: Counter[str], docs: int, tokens: int):
        changed = sorted(term for term, value in delta.items() if value)
        if changed:
            # Sorted so that concurrent writers lock the rows in the same order.
            cursor.execute(
                f"INSERT INTO {table(kind)}_terms AS t (term, df) "
                "SELECT * FROM unnest(%s::text[], %s::int[]) ORDER BY 1 "
                "ON CONFLICT (term) DO UPDATE SET df = t.df + excluded.df",
                (changed, [delta[term] for term in changed]),
            )
            cursor.execute(
                f"DELETE FROM {table(kind)}_terms WHERE term = ANY(%s) AND df <= 0", (changed,)
            )
        if docs or tokens:
            cursor.execute(
                "UPDATE search_stats SET n_docs = n_docs + %s, n_tokens = n_tokens + %s "
                "WHERE kind = %s",
                (docs, tokens, kind),
            )

    def write(self, bind: Bind, kind: str, docs: Iterable[PreparedDocument]) -> int:
        cursor = _cursor(bind)
        written = 0
        delta: Counter[str] = Counter()
        n_docs = n_tokens = 0
        for batch in _batches(docs, 5_000):
            unique = list({doc.doc_id: doc for doc in batch}.values())
            old_freqs, old_docs, old_tokens = self._forget(cursor, kind, [d.doc_id for d in unique])
            delta.subtract(old_freqs)
            n_docs -= old_docs
            n_tokens -= old_tokens
            with cursor.copy(f"COPY {table(kind)} (doc_id, len, tsv) FROM STDIN") as copy:
                for doc in unique:
                    copy.write_row((doc.doc_id, doc.length, tsvector_literal(doc)))
                    delta.update({term for terms in doc.fields for term in terms})
                    n_docs += 1
                    n_tokens += doc.length
            written += len(unique)
        self._apply_stats(cursor, kind, delta, n_docs, n_tokens)
        if written >= ANALYZE_AFTER:
            # A bulk load changes the table's shape; plans (GIN or not) depend on statistics.
            cursor.execute(f"ANALYZE {table(kind)}")
        return written

    def delete(self, bind: Bind, kind: str, ids: Sequence[int]) -> int:
        cursor = _cursor(bind)
        freqs, docs, tokens = self._forget(cursor, kind, list(ids))
        delta: Counter[str] = Counter()
        delta.subtract(freqs)
        self._apply_stats(cursor, kind, delta, -docs, -tokens)
        return docs

    def doc_freqs(self, bind: Bind, kind: str, terms: Iterable[str]) -> dict[str, int]:
        cursor = _cursor(bind)
        cursor.execute(
            f"SELECT term, df FROM {table(kind)}_terms WHERE term = ANY(%s)", (sorted(set(terms)),)
        )
        return dict(cursor.fetchall())

    def _totals(self, cursor: Any, kind: str) -> tuple[int, int]:
        cursor.execute("SELECT n_docs, n_tokens FROM search_stats WHERE kind = %s", (kind,))
        row = cursor.fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def count(self, bind: Bind, kind: str, plan: Plan, cap: int) -> int:
        cursor = _cursor(bind)
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {table(kind)} WHERE tsv @@ %s::tsquery "
            "LIMIT %s) AS s",
            (tsquery_literal(plan), cap),
        )
        return int(cursor.fetchone()[0])

    def contains(self, bind: Bind, kind: str, plan: Plan) -> DocumentTest | None:
        """A look-up of the document by id and a test of its tsvector (about 2.5
        microseconds), worth it only when the words are in many documents: walking other
        rows then finds matches among the first few (see DENSE_SHARE)."""
        n_docs, _ = self._totals(_cursor(bind), kind)
        if expected_matches(plan, n_docs) < DENSE_SHARE * n_docs:
            return None
        literal_tsquery = tsquery_literal(plan)

        def test(doc_id: ColumnExpressionArgument[int]) -> ColumnElement[bool]:
            n = next(_names)
            docs = sql_table(table(kind), sql_column("doc_id"), sql_column("tsv")).alias(f"has_{n}")
            tsquery = cast(bindparam(f"has_tsq_{n}", literal_tsquery), TSQUERY)
            # OFFSET keeps the test a subplan run per row: as a semi-join, the planner may
            # read every match through the GIN index first, which is what this avoids.
            check = select(literal(1)).where(docs.c.doc_id == doc_id, docs.c.tsv.op("@@")(tsquery))
            return exists(check.offset(0))

        return test

    def _phrase_freq(self, cursor: Any, kind: str, alt: Alternative) -> int:
        cursor.execute(
            f"SELECT count(*) FROM {table(kind)} WHERE tsv @@ %s::tsquery", (_alternative(alt),)
        )
        return int(cursor.fetchone()[0])

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
        n = next(_names)
        params: dict[str, Any] = {f"tsq_{n}": tsquery_literal(plan), f"newest_{n}": newest}
        bound = ""
        if before is not None:
            bound = f" AND doc_id < :before_{n}"
            params[f"before_{n}"] = before
        order = ""
        if not any_order:
            n_docs, _ = self._totals(_cursor(bind), kind)
            order = f" ORDER BY {newest_order(n_docs, plan, newest, 'doc_id')} DESC"
        # In any order, the GIN index's matches are taken as its bitmap scan reads them, and
        # the scan stops at the limit: counting the public claims among 2,000 matches of a
        # word in 10,800 claims took about 20 ms newest first (all 10,800 read and sorted)
        # and 12 ms so.
        sql = (
            f"SELECT doc_id FROM {table(kind)} WHERE tsv @@ CAST(:tsq_{n} AS tsquery){bound}"
            f"{order} LIMIT :newest_{n}"
        )
        hits = text(sql).bindparams(**params)
        return select(hits.columns(doc_id=Integer).subquery().c.doc_id)

    def select(self, bind: Bind, kind: str, plan: Plan) -> Select:
        cursor = _cursor(bind)
        n_docs, n_tokens = self._totals(cursor, kind)
        n = next(_names)
        params: dict[str, Any] = {
            f"tsq_{n}": tsquery_literal(plan),
            f"limit_{n}": plan.limit,
            f"bounds_{n}": RANK_BOUNDS,
            f"avgdl_{n}": n_tokens / n_docs if n_docs else 1.0,
        }
        columns, score = self._scoring(cursor, kind, plan, n, n_docs, params)
        source = f"{table(kind)} AS d"
        matches = f"d.tsv @@ CAST(:tsq_{n} AS tsquery)"
        if plan.within is not None:
            params[f"within_{n}"] = list(plan.within)
            matches += f" AND d.doc_id = ANY(CAST(:within_{n} AS bigint[]))"
        elif plan.window:
            order = newest_order(n_docs, plan, plan.window, "doc_id")
            newest = (
                f"FROM {table(kind)} WHERE tsv @@ CAST(:tsq_{n} AS tsquery) "
                f"ORDER BY {order} DESC LIMIT {int(plan.window)}"
            )
            if order == "doc_id":
                # Dense matches: the backward walk of the primary key reads the rows in
                # order, so they are taken as they come (looking each up again by id was a
                # third of a common word's 37 ms).
                source, matches = f"(SELECT doc_id, len, tsv {newest}) AS d", "TRUE"
            else:
                # Sparse matches, read through the GIN index and sorted ("doc_id + 0" hides
                # the primary key from the planner): their row addresses alone, then the
                # rows at those addresses. Sorting the rows, tsvectors and all, went to disk;
                # sorting ids and looking each up by id took 27 ms of 5,888 matches, row
                # addresses 16 ms. An address is that of the row version this statement
                # sees, so the rows read are the ones that matched.
                matches = f"d.ctid = ANY(ARRAY(SELECT ctid {newest}))"
        elif plan.mode == "any" and plan.estimate > PRESELECT:
            # The candidates' row addresses, from the GIN index (see preselect_tsquery), then
            # their rows (as for sparse matches in a window, above).
            params[f"pre_{n}"] = preselect_tsquery(plan)
            del params[f"tsq_{n}"]  # the candidates match it: they contain a query word
            matches = (
                f"d.ctid = ANY(ARRAY(SELECT ctid FROM {table(kind)} "
                f"WHERE tsv @@ CAST(:pre_{n} AS tsquery) "
                f"ORDER BY doc_id + 0 DESC LIMIT {PRESELECT_CAP}))"
            )
        sql = f"""
            WITH cand AS (
                SELECT d.doc_id, d.len, d.tsv FROM {source} WHERE {matches}
            )
            SELECT c.doc_id, {score} AS score, {_considered(plan)} AS considered
            -- OFFSET 0 keeps the subquery whole, so each count is computed once per row.
            FROM cand AS c CROSS JOIN LATERAL (SELECT {", ".join(columns)} OFFSET 0) AS t
            ORDER BY score DESC, c.doc_id LIMIT :limit_{n}
        """
        return hits_select(sql, params)

    def _scoring(
        self, cursor: Any, kind: str, plan: Plan, n: int, n_docs: int, params: dict[str, Any]
    ) -> tuple[list[str], str]:
        """The columns computed once per candidate (`t.norm`, BM25's length norm, and
        `t.n<k>_<j>`, the positions of term j in the first k fields: n4 anywhere, which says
        whether it is there at all, the others as the field weights need them), and the
        BM25 score made of them, summed over the plan's alternatives."""
        # An alternative no document contains adds nothing to any score, and each of its
        # words costs two tsvector lookups per candidate: a stem's unstemmed form or a name
        # key that is in no claim was most of a two-word query's ranking (5 of 7 words).
        hits_of = {alt: self._hits(cursor, kind, plan, alt) for alt in plan.alternatives}
        scoring = [alt for alt, hits in hits_of.items() if hits]
        terms = list(dict.fromkeys(term for alt in scoring for term in alt))
        steps = frequency_steps(plan.weights)
        columns = [f"{BM25_K1} * (1 - {BM25_B} + {BM25_B} * CAST(c.len AS float8) "
                   f"/ CAST(:avgdl_{n} AS float8)) AS norm"]  # fmt: skip
        for j, term in enumerate(terms):
            params[f"t{j}_{n}"] = _term_tsquery(term)
            tsq, bounds = f"CAST(:t{j}_{n} AS tsquery)", f"CAST(:bounds_{n} AS real[])"
            for k in sorted({4, *(k for k, _ in steps)}):
                columns.append(f"{count_positions(k, 'c.tsv', tsq, bounds)} AS n{k}_{j}")

        def frequency(j: int) -> str:
            # float8 steps: a bare 0.5 times an integer is numeric arithmetic, which made
            # scoring 5,000 candidates 10-15 ms slower at 100,000 claims (the same scores).
            terms = (f"CAST({step!r} AS float8) * t.n{k}_{j}" for k, step in steps)
            return " + ".join(terms) or "CAST(0 AS float8)"

        parts = []
        for index, alt in enumerate(scoring):
            params[f"idf{index}_{n}"] = bm25_idf(n_docs, hits_of[alt])
            # A phrase counts as often as its rarest word, and only when all its words are in.
            js = [terms.index(term) for term in dict.fromkeys(alt)]
            f = _least([f"({frequency(j)})" for j in js])
            present = _least([f"t.n4_{j}" for j in js])
            parts.append(
                f"CASE WHEN {present} > 0 THEN CAST(:idf{index}_{n} AS float8) * {f} "
                f"* {BM25_K1 + 1} / ({f} + t.norm) ELSE 0 END"
            )
        return columns, " + ".join(parts) or "CAST(0 AS float8)"

    def _hits(self, cursor: Any, kind: str, plan: Plan, alt: Alternative) -> int:
        """The documents that contain ALT: a word's from the statistics, a phrase's counted
        (none when one of its words is in none)."""
        if len(alt) == 1:
            return plan.freqs.get(alt[0], 0)
        if not all(plan.freqs.get(term, 0) for term in alt):
            return 0
        return self._phrase_freq(cursor, kind, alt)
