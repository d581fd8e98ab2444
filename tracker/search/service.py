"""The search interface the application uses: schema, indexing, matching, ids.

Queries are planned the same way on both databases before they reach the index, so cost does
not grow with the number of hits:

- "all" mode (public search): every word must match (any of its stems or its name key).
  At most `MAX_ALL_CLAUSES` words are kept, the rarest ones.
- "any" mode (cross-referencing: a whole claim or tweet is the query): the `MAX_ANY_CLAUSES`
  rarest words are kept, then the most common of those are dropped while the words together
  would touch more than `ANY_POSTINGS_BUDGET` postings (keeping at least the rarest one).
  Common words add little to BM25 and most of the cost.
- If more than `RANK_WINDOW` documents may still match (by the document frequencies, an
  upper bound), only the newest `RANK_WINDOW` matches (by id) are ranked; when fewer match,
  all are. Finding the newest matches needs no scoring (FTS5 walks its index by rowid,
  PostgreSQL orders by its primary key), so a term in most documents costs about what a
  term in 5,000 does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    Select,
    String,
    Table,
    delete,
    insert,
    inspect,
    select,
)

from tracker.search.analysis import ANALYSER_VERSION
from tracker.search.base import (
    DEFAULT_WEIGHTS,
    KINDS,
    Bind,
    DocumentTest,
    Plan,
    PreparedDocument,
    SearchDocument,
    SearchHit,
    backend_for,
    check_kind,
    clause_freq,
    empty_select,
    fewest_matches,
    prepare,
)
from tracker.search.query import AnalysedQuery, Clause, ParsedQuery, analyse_query

MODES = ("all", "any")
MAX_ALL_CLAUSES = 12
MAX_ANY_CLAUSES = 32
ANY_POSTINGS_BUDGET = 20_000
RANK_WINDOW = 5_000
DEFAULT_LIMIT = 1_000


def create_schema(connection: Connection, kinds: Sequence[str] = KINDS) -> None:
    """Create the search tables of every kind if they do not exist (for migrations)."""
    backend_for(connection).create_schema(connection, [check_kind(k) for k in kinds])


def drop_schema(connection: Connection, kinds: Sequence[str] = KINDS) -> None:
    """Drop the search tables of every kind if they exist."""
    backend_for(connection).drop_schema(connection, [check_kind(k) for k in kinds])


def index_documents(bind: Bind, kind: str, docs: Iterable[SearchDocument]) -> int:
    """Add or replace documents in the index of `kind`; returns how many were written.

    Works in batches on the session's transaction (the caller commits). Documents are
    analysed lazily, so a generator of a million documents is fine.
    """
    check_kind(kind)
    return backend_for(bind).write(bind, kind, (prepare(doc) for doc in docs))


def write_prepared(bind: Bind, kind: str, docs: Iterable[PreparedDocument]) -> int:
    """Add or replace documents already analysed (by `prepare_all`, e.g. in another process)."""
    check_kind(kind)
    return backend_for(bind).write(bind, kind, docs)


def delete_documents(bind: Bind, kind: str, ids: Iterable[int]) -> int:
    """Remove documents from the index of `kind`; returns how many were there."""
    check_kind(kind)
    return backend_for(bind).delete(bind, kind, [int(i) for i in ids])


def _rarest(clauses: Sequence[Clause], freqs: dict[str, int], keep: int) -> list[Clause]:
    """The `keep` clauses with the fewest documents, in their original order."""
    if len(clauses) <= keep:
        return list(clauses)
    ranked = sorted(range(len(clauses)), key=lambda i: clause_freq(clauses[i], freqs))
    chosen = set(ranked[:keep])
    return [clause for index, clause in enumerate(clauses) if index in chosen]


def plan_query(
    bind: Bind,
    kind: str,
    query: ParsedQuery | str | AnalysedQuery,
    *,
    mode: str = "all",
    lang: str | None = None,
    limit: int = DEFAULT_LIMIT,
    weights: Sequence[float] = DEFAULT_WEIGHTS,
    budget: int = ANY_POSTINGS_BUDGET,
    window_size: int = RANK_WINDOW,
    max_any_clauses: int = MAX_ANY_CLAUSES,
    window: bool = True,
) -> Plan | None:
    """Decide what the index will match and rank; None when nothing can match.

    With `window` False every match is ranked (for counting).
    """
    check_kind(kind)
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    analysed = (
        query if isinstance(query, AnalysedQuery) else analyse_query(query, mode=mode, lang=lang)
    )
    if analysed.is_empty:
        return None
    backend = backend_for(bind)
    terms = {t for c in analysed.clauses for alt in c.alternatives for t in alt}
    freqs = backend.doc_freqs(bind, kind, terms)
    clauses = list(analysed.clauses)
    if mode == "all":
        if any(clause_freq(clause, freqs) == 0 for clause in clauses):
            return None
        clauses = _rarest(clauses, freqs, MAX_ALL_CLAUSES)
        estimate = min(clause_freq(clause, freqs) for clause in clauses)
    else:
        clauses = [clause for clause in clauses if clause_freq(clause, freqs) > 0]
        if not clauses:
            return None
        clauses = _rarest(clauses, freqs, max_any_clauses)
        by_freq = sorted(clauses, key=lambda clause: clause_freq(clause, freqs))
        kept, estimate = [by_freq[0]], clause_freq(by_freq[0], freqs)
        for clause in by_freq[1:]:
            cost = clause_freq(clause, freqs)
            if estimate + cost > budget:
                break
            kept.append(clause)
            estimate += cost
        clauses = [clause for clause in clauses if clause in kept]
    # In "any" mode the budget already bounds the postings; a window there would hide old
    # documents from cross-referencing, so it is only used when one word alone is too common.
    limit_at = window_size if mode == "all" else budget
    return Plan(
        mode=mode,
        clauses=tuple(clauses),
        excluded=analysed.excluded,
        weights=(float(weights[0]), float(weights[1]), float(weights[2]), float(weights[3])),
        limit=max(1, int(limit)),
        freqs=freqs,
        estimate=estimate,
        window=window_size if window and estimate > limit_at else None,
    )


def match(
    bind: Bind,
    kind: str,
    query: ParsedQuery | str,
    *,
    mode: str = "all",
    lang: str | None = None,
    limit: int = DEFAULT_LIMIT,
    weights: Sequence[float] = DEFAULT_WEIGHTS,
    within: Sequence[int] | None = None,
    count_ranked: bool = False,
) -> Select:
    """A select of `(doc_id, score, considered)`: the best `limit` matches, ranked inside the
    index; with `count_ranked`, on every row how many documents were ranked to find them (a
    lower bound of the matches: every match, or the newest ones when too many match), else 0.

    Join it onto your own table, then filter and order::

        hits = match(session, "claim", q).subquery()
        stmt = (select(Claim, hits.c.score).join(hits, Claim.id == hits.c.doc_id)
                .where(Claim.status == "published").order_by(hits.c.score.desc()).limit(20))

    `lang` is the query's language when known (e.g. the claim being cross-referenced);
    without it each word is expanded into the stems of the plausible languages.

    With `within`, only those documents are ranked, every one that matches (for a few
    hundred ids that passed other filters: each costs a lookup in the index).
    """
    plan = plan_query(
        bind, kind, query, mode=mode, lang=lang, limit=limit, weights=weights,
        window=within is None,
    )  # fmt: skip
    if plan is None or (within is not None and not within):
        return empty_select()
    if within is not None:
        plan = replace(plan, within=tuple(int(doc_id) for doc_id in within))
    if count_ranked:
        plan = replace(plan, count_ranked=True)
    return backend_for(bind).select(bind, kind, plan)


def matching_ids(
    bind: Bind,
    kind: str,
    query: ParsedQuery | str | Plan,
    *,
    newest: int,
    before: int | None = None,
    mode: str = "all",
    lang: str | None = None,
    any_order: bool = False,
) -> Select | None:
    """A select of the `doc_id` of the NEWEST matches (highest ids), unranked; None when
    nothing can match. For narrowing by other conditions first, where ranking the best
    matches of a common word would miss the few that pass them.

    With `before`, only ids below it: successive calls walk every match, newest first, a
    batch at a time (each batch costs the same, however many matches there are). A `Plan`
    from :func:`match_plan` may be passed to plan the query once for many batches.

    With `any_order`, NEWEST matches in whatever order the index finds them (for counting,
    where which ones does not matter and the newest cost a sort on PostgreSQL).
    """
    plan = query if isinstance(query, Plan) else match_plan(bind, kind, query, mode=mode, lang=lang)
    if plan is None:
        return None
    return backend_for(bind).matching(bind, kind, plan, newest, before=before, any_order=any_order)


def containing(bind: Bind, kind: str, plan: Plan) -> DocumentTest | None:
    """What makes the condition that a document (a column of document ids in the caller's
    query) matches PLAN, tested row by row as the caller's query walks its rows; None where
    the backend walks the matches themselves more cheaply (see `Backend.contains`)."""
    return backend_for(bind).contains(bind, kind, plan)


def match_plan(
    bind: Bind,
    kind: str,
    query: ParsedQuery | str,
    *,
    mode: str = "all",
    lang: str | None = None,
) -> Plan | None:
    """The plan for walking every match unranked (:func:`matching_ids`); None when nothing
    can match. Its `estimate` is an upper bound of the number of matches, read from the
    index's document frequencies without touching a posting list."""
    return plan_query(bind, kind, query, mode=mode, lang=lang, limit=1, window=False)


def search_ids(
    bind: Bind,
    kind: str,
    query: ParsedQuery | str,
    limit: int = 20,
    *,
    mode: str = "all",
    lang: str | None = None,
    weights: Sequence[float] = DEFAULT_WEIGHTS,
) -> list[SearchHit]:
    """The best `limit` hits, best first."""
    stmt = match(bind, kind, query, mode=mode, lang=lang, limit=limit, weights=weights)
    hits = stmt.subquery()
    ordered = select(hits.c.doc_id, hits.c.score).order_by(hits.c.score.desc(), hits.c.doc_id)
    return [SearchHit(int(row.doc_id), float(row.score)) for row in bind.execute(ordered)]


def count_matches(
    bind: Bind,
    kind: str,
    query: ParsedQuery | str,
    *,
    mode: str = "all",
    lang: str | None = None,
    cap: int = 1_000,
) -> int:
    """How many documents match, counting no further than `cap` (show "1,000+")."""
    plan = match_plan(bind, kind, query, mode=mode, lang=lang)
    if plan is None:
        return 0
    if fewest_matches(plan) >= cap:
        # The index's own counts say so; counting would read `cap` rows (a common name
        # in rare_names took 2 ms on PostgreSQL at 100,000 claims).
        return cap
    return backend_for(bind).count(bind, kind, plan, cap)


# Facts about the indexes as a whole: which analyser wrote their terms.
META = Table(
    "search_meta",
    MetaData(),
    Column("name", String(50), primary_key=True),
    Column("value", String(200), nullable=False),
)


def index_analyser(bind: Bind) -> int | None:
    """The `ANALYSER_VERSION` the indexes were last rebuilt with (None: not recorded)."""
    connection = bind if isinstance(bind, Connection) else bind.connection()
    if not inspect(connection).has_table(META.name):
        return None
    value = connection.scalar(select(META.c.value).where(META.c.name == "analyser"))
    return int(value) if value is not None else None


def record_analyser(bind: Bind, version: int = ANALYSER_VERSION) -> None:
    """Note that every index was just rebuilt by analyser VERSION (the caller commits)."""
    connection = bind if isinstance(bind, Connection) else bind.connection()
    META.create(connection, checkfirst=True)
    connection.execute(delete(META).where(META.c.name == "analyser"))
    connection.execute(insert(META).values(name="analyser", value=str(version)))
