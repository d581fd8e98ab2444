"""Which public claims a search or listing shows, and how many match: bounded work each.

Cost does not grow with the number of hits (DESIGN.md §4):

- Relevance order: the index ranks at most `RANK_LIMIT` best matches (`FILTERED_RANK_LIMIT`
  when filters will drop some); the public rule and the filters are applied to those.
- Newest first: the index walks its newest `NEWEST_SCAN` matches by id, unscored (claims are
  recorded as they are found, so the most recently recorded are the newest; the ones walked
  are ordered by first appearance). When narrow filters keep fewer than a page, `FILTER_SCAN`;
  when they keep none of those, every match (slow for a common word, but never a false
  "none"). The same walk stands in for ranking when filters keep too few ranked matches.
- Filters that few claims pass (an outlet's, a small narrative's): when at most
  `FILTER_FIRST` public claims pass them, the index ranks just those, and the result is
  complete and exact.
- At most `CANDIDATE_CAP` candidates are kept: that is as deep as pages go.
- The total is exact when every match was looked at, and otherwise a lower bound marked as
  such (`capped`): when the index returned as many ranked hits as it was asked for, more
  claims may match, so they are counted among `COUNT_SCAN` matches, no further than
  `COUNT_CAP` ("1,000+"), unless the index's own counts already say that many match."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from tracker.models import Claim
from tracker.public import searching
from tracker.public.filters import (
    ClaimFilters,
    apply_filters,
    in_ids,
    in_selected,
    verdict_value,
)
from tracker.public.visibility import not_published_condition, public_claim_condition
from tracker.search.base import Plan, fewest_matches

CANDIDATE_CAP = 500
RANK_LIMIT = 500
# Filters drop ranked hits, so a filtered search asks the index for more of them: enough
# for the 500 candidates when a quarter pass. Each costs a row fetched, a tuple and an id
# in the filtering query (5,000 of them were a third of a filtered search's time).
FILTERED_RANK_LIMIT = 2_000
NEWEST_SCAN = 5_000
# When the filters leave too few of the best-ranked matches, this many of the newest matches
# are filtered instead (bounded: walking them in the index costs about 3 microseconds each;
# with 50,000, the filtered searches' p95 at 100,000 claims was 135 ms in process, with
# 20,000 77 ms).
FILTER_SCAN = 20_000
# When at most this many public claims pass a search's filters, the index is asked about
# just those: each is one lookup (about 60 microseconds in FTS5), where ranking a common
# word's matches and filtering them costs 100 ms or more at 100,000 claims.
FILTER_FIRST = 300
# Filters that many claims pass and words in many claims (a date range years back and a
# word in a fifth of the claims): the claims that pass the filters are walked newest first
# and each is tested for the words, at most this many, where the words' newest 20,000
# matches may still hold none that pass (PostgreSQL, 100,000 claims, "media" from 2019 to
# 2023: 76 ms walking the newest matches, 3 ms walking the claims in range).
FILTER_WALK = 10_000
COUNT_CAP = 1_000
# Matches walked (any of them) to count past the ranked ones: enough to find COUNT_CAP
# public ones.
COUNT_SCAN = 2_000
PER_PAGE = 20


class Candidate(NamedTuple):
    """One public claim a search may show: what facets need, and its score when ranked.

    A named tuple: a search makes up to 5,000, and a frozen dataclass costs several
    microseconds each to build."""

    id: int
    rating: str | None  # a Rating's value, or "retracted"
    language: str
    score: float | None = None


@dataclass(frozen=True)
class Found:
    """The candidates of one search, in display order, and the total that match.

    `total` is exact unless `capped`, in which case at least that many match.
    """

    candidates: list[Candidate]
    total: int
    capped: bool
    notices: list[str] = field(default_factory=list)


def _columns() -> Select:
    verdict = verdict_value().label("rating")
    return select(Claim.id, verdict, Claim.language).where(public_claim_condition())


def _newest_first(stmt: Select) -> Select:
    return stmt.order_by(Claim.first_seen.desc().nulls_last(), Claim.id.desc())


def _capped_count(session: Session, stmt: Select, cap: int | None = None) -> int:
    """Rows of STMT, counted no further than CAP (COUNT_CAP unless given)."""
    limit = COUNT_CAP if cap is None else cap
    limited = stmt.with_only_columns(Claim.id).order_by(None).limit(limit).subquery()
    return int(session.scalar(select(func.count()).select_from(limited)) or 0)


def _as_candidates(
    session: Session, stmt: Select, scores: dict[int, float] | None = None
) -> list[Candidate]:
    # fetched all at once: row by row, a driver's fetchone() costs more than the row.
    rows = session.execute(stmt).all()
    if scores is None:
        return [Candidate(id_, rating, language) for id_, rating, language in rows]
    return [Candidate(id_, rating, language, scores.get(id_)) for id_, rating, language in rows]


def newest_matching(
    session: Session, filters: ClaimFilters, plan: Plan, scan: int, *, any_order: bool = False
) -> tuple[Select, bool]:
    """Public claims that pass FILTERS among the newest SCAN claims containing the words of
    PLAN (with ANY_ORDER, among any SCAN of them), newest first, without a limit; and whether
    those SCAN were every match."""
    ids = searching.newest_ids(session, plan, scan, any_order=any_order)
    stmt = apply_filters(_columns().where(in_selected(session, Claim.id, ids)), filters)
    return _newest_first(stmt), plan.estimate <= scan


def find_candidates(session: Session, filters: ClaimFilters) -> Found:
    """The candidates and the (capped) total for FILTERS."""
    if not filters.q:
        return _browse(session, filters)
    plan = searching.plan(session, filters.q)
    if plan is None:
        return Found([], 0, False)
    if filters.has_filters:
        few = _few_passing(session, filters)
        if few is not None:
            return _among(session, filters, few)
    if filters.effective_sort == "newest":
        return _newest(session, filters, plan)
    return _ranked(session, filters, plan)


def _few_passing(session: Session, filters: ClaimFilters) -> list[Candidate] | None:
    """The public claims that pass FILTERS, words aside and newest first, when at most
    FILTER_FIRST do."""
    passing = apply_filters(_columns(), filters)
    # Counted first, in whatever order the database finds them: put newest first, the
    # FILTER_FIRST + 1 rows of a broad filter (a language's 40,000 claims) took a sort of
    # all of them on PostgreSQL, whose index has its NULLs on the other side (48 ms).
    if _capped_count(session, passing, FILTER_FIRST + 1) > FILTER_FIRST:
        return None
    return _as_candidates(session, _newest_first(passing))


def _among(session: Session, filters: ClaimFilters, few: list[Candidate]) -> Found:
    """Every claim of FEW (which pass the filters) that has the words, in the order asked."""
    ids = [row.id for row in few]
    hits = searching.ranked_hits(session, filters.q, limit=max(len(ids), 1), within=ids).hits
    scores = dict(hits)
    rows = [row._replace(score=scores[row.id]) for row in few if row.id in scores]
    if filters.effective_sort != "newest":
        rows.sort(key=lambda row: (-(row.score or 0.0), -row.id))
    return Found(rows[:CANDIDATE_CAP], len(rows), False)


def _browse(session: Session, filters: ClaimFilters) -> Found:
    stmt = _newest_first(apply_filters(_columns(), filters))
    rows = _as_candidates(session, stmt.limit(CANDIDATE_CAP + 1))
    if len(rows) <= CANDIDATE_CAP:
        return Found(rows, len(rows), False)
    total = _capped_count(session, stmt)
    return Found(rows[:CANDIDATE_CAP], total, total >= COUNT_CAP)


class Walk(NamedTuple):
    """The newest matches that pass a search's filters, as far as a walk went: the
    candidates (CANDIDATE_CAP + 1 at most), a statement of them all for counting, whether
    the walk saw every match, and if not, the notice that says how far it went."""

    rows: list[Candidate]
    stmt: Select
    complete: bool
    notice: str = ""


def _walk_filters_first(session: Session, filters: ClaimFilters, plan: Plan) -> Walk | None:
    """The newest public claims that pass FILTERS and have the words of PLAN, found by
    testing the claims that pass the filters one by one, newest first, no more than
    FILTER_WALK of them. None when the index has no cheap test for these words, or when the
    claims tested held less than a page of matches and more pass the filters."""
    has_words_in = searching.containing_words(session, plan)
    if has_words_in is None:
        return None
    passing = apply_filters(_columns().add_columns(Claim.first_seen), filters)
    # Newest first is first_seen descending with claims without one last: two walks, so
    # each follows an index (PostgreSQL keeps NULLs at the other end of it).
    walks: list[tuple[ColumnElement[bool], tuple[str, ...]]] = [
        (Claim.first_seen.is_not(None), ("first_seen", "id"))
    ]
    if not (filters.date_from or filters.date_to):
        walks.append((Claim.first_seen.is_(None), ("id",)))
    everything = apply_filters(_columns().where(has_words_in(Claim.id)), filters)
    rows: list[Candidate] = []
    for dated, keys in walks:
        order = [getattr(Claim, key).desc() for key in keys]
        position = func.row_number().over(order_by=order).label("position")
        walked = (
            passing.where(dated).add_columns(position).order_by(*order).limit(FILTER_WALK)
        ).subquery()
        has_words = has_words_in(walked.c.id)
        # The last claim tested comes back whether it has the words or not: it says the
        # walk stopped at its limit, with claims left untested. Ordered by the walk's own
        # keys, so the database stops as soon as it has enough (by position, it would test
        # every claim first and then sort).
        found = session.execute(
            select(walked.c.id, walked.c.rating, walked.c.language, walked.c.position)
            .add_columns(has_words.label("has_words"))
            .where(or_(has_words, walked.c.position == FILTER_WALK))
            .order_by(*(walked.c[key].desc() for key in keys))
            .limit(CANDIDATE_CAP + 2 - len(rows))
        ).all()
        rows += [Candidate(row.id, row.rating, row.language) for row in found if row.has_words]
        if len(rows) > CANDIDATE_CAP:
            return Walk(rows[: CANDIDATE_CAP + 1], everything, True)
        if any(row.position == FILTER_WALK for row in found):
            if len(rows) < PER_PAGE:
                return None
            notice = (
                f"So many claims pass these filters that only the {FILTER_WALK:,} most "
                "recent of them were searched for these words; these are the newest that "
                "have them."
            )
            return Walk(rows, everything, False, notice)
    return Walk(rows, everything, True)


def _walk_newest(
    session: Session, filters: ClaimFilters, plan: Plan, *, walk_all: bool = True
) -> Walk:
    """The newest matches that pass FILTERS. With filters, when the words are in many
    claims, the claims that pass the filters are walked instead (`_walk_filters_first`).
    Otherwise NEWEST_SCAN first; when filters keep fewer than a page of those, FILTER_SCAN;
    when they keep none and WALK_ALL, every match."""
    if filters.has_filters:
        walked = _walk_filters_first(session, filters, plan)
        if walked is not None:
            return walked
    for scan in (NEWEST_SCAN, FILTER_SCAN):
        stmt, complete = newest_matching(session, filters, plan, scan)
        rows = _as_candidates(session, stmt.limit(CANDIDATE_CAP + 1))
        if complete or not filters.has_filters or len(rows) >= PER_PAGE:
            break
    else:
        if not rows and walk_all:
            # None of the newest matches passes (a date range years back): walk them all,
            # slow for a word in most claims, but "No claims found" would be wrong.
            scan = plan.estimate
            stmt, complete = newest_matching(session, filters, plan, scan)
            rows = _as_candidates(session, stmt.limit(CANDIDATE_CAP + 1))
    notice = (
        f"So many claims contain these words that only the {scan:,} most recently "
        "recorded were put in order; these are the newest of them."
    )
    return Walk(rows, stmt, complete, "" if complete else notice)


def _newest(session: Session, filters: ClaimFilters, plan: Plan) -> Found:
    rows, stmt, complete, notice = _walk_newest(session, filters, plan)
    total = len(rows) if len(rows) <= CANDIDATE_CAP else _capped_count(session, stmt)
    capped = total >= COUNT_CAP or not complete
    return Found(rows[:CANDIDATE_CAP], total, capped, [notice] if notice else [])


def _ranked(session: Session, filters: ClaimFilters, plan: Plan) -> Found:
    limit = FILTERED_RANK_LIMIT if filters.has_filters else RANK_LIMIT
    # Unfiltered, the total may be known without counting from how many the index ranked,
    # when its own counts say nothing (two words, a phrase, an excluded word).
    count_ranked = not filters.has_filters and fewest_matches(plan) == 0
    hits, considered = searching.ranked_hits(
        session, filters.q, limit=limit, count_ranked=count_ranked
    )
    if not hits:
        return Found([], 0, False)
    scores = dict(hits)
    stmt = apply_filters(_columns().where(in_ids(session, Claim.id, list(scores))), filters)
    rows = _as_candidates(session, stmt, scores)
    rows.sort(key=lambda row: (-(row.score or 0.0), -row.id))
    if len(hits) < limit:
        # The index returned every match: nothing beyond these can match.
        return Found(rows[:CANDIDATE_CAP], len(rows), False)
    # The index stopped at its limit, so more claims may match than were ranked.
    notices: list[str] = []
    if filters.has_filters and len(rows) < PER_PAGE:
        # Narrow filters can leave few or none of the best-ranked matches of a common word
        # although other matching claims pass them.
        narrowed = _walk_newest(session, filters, plan, walk_all=not rows).rows
        if len(narrowed) > len(rows):
            rows = narrowed
            notices.append(
                "So many claims contain these words that not all could be ranked; these are "
                "the most recent that match them and your filters."
            )
    if filters.has_filters:
        # The survivors of FILTERED_RANK_LIMIT ranked matches are already a lower bound as
        # good as counting the filters among as many newest matches would give.
        return Found(rows[:CANDIDATE_CAP], len(rows), True, notices)
    if _surely_many(session, plan, considered):
        return Found(rows[:CANDIDATE_CAP], COUNT_CAP, True, notices)
    # Any COUNT_SCAN matches will do for counting to COUNT_CAP.
    some, complete = newest_matching(session, filters, plan, COUNT_SCAN, any_order=True)
    counted = _capped_count(session, some)
    if complete and counted < COUNT_CAP:
        # Every match was walked: the count is exact.
        return Found(rows[:CANDIDATE_CAP], counted, False, notices)
    return Found(rows[:CANDIDATE_CAP], max(counted, len(rows)), True, notices)


def _surely_many(session: Session, plan: Plan, ranked: int) -> bool:
    """Whether at least COUNT_CAP public claims match, without counting them: when N claims
    of the index match (a word in N claims, or the RANKED the index put in order), at least
    N minus every indexed claim that is not published are public ones (a common word's count
    took 10-15 ms at 100,000 claims on PostgreSQL, two common words' up to 14 ms)."""
    least = max(fewest_matches(plan), ranked)
    if least < COUNT_CAP:
        return False
    hidden = session.scalar(
        select(func.count()).select_from(Claim).where(not_published_condition())
    )
    return least - int(hidden or 0) >= COUNT_CAP
