"""Listing and searching public claims: ranked hits, filters, pages and facet counts.

Cost does not grow with the number of hits. With a query, the search index ranks the best
matches first (at most `RANK_LIMIT`); filters are applied to those, and at most
`CANDIDATE_CAP` candidates are kept. Without a query the newest `CANDIDATE_CAP` matching
claims are the candidates. Pages are slices of the candidates and facet counts are counted
over them only, so totals are shown as "1,000+" rather than counted to the end.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from markupsafe import Markup
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    any_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from tracker.models import (
    Appearance,
    Claim,
    Country,
    Narrative,
    Outlet,
    Rating,
    claim_countries,
    claim_narratives,
)
from tracker.public import searching
from tracker.public.cache import cached
from tracker.public.filters import ClaimFilters, FilterProblem, apply_filters
from tracker.public.visibility import public_claim_condition
from tracker.search import matching_ids

CANDIDATE_CAP = 500
RANK_LIMIT = 500
# Filters drop ranked hits, so a filtered search asks the index for more of them.
FILTERED_RANK_LIMIT = 5_000
# When the filters leave too few of the best-ranked matches, this many of the newest matches
# are filtered instead (bounded: walking them in the index costs milliseconds).
FILTER_SCAN = 50_000
FACET_SIZE = 10
PER_PAGE = 20


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    param: str
    title: str
    values: list[FacetValue]


@dataclass
class ResultRow:
    claim: Claim
    score: float | None
    text_html: Markup
    summary_html: Markup | None
    outlets: list[Outlet]


@dataclass
class ResultPage:
    filters: ClaimFilters
    rows: list[ResultRow]
    total: int
    capped: bool
    page: int
    per_page: int
    facets: list[Facet] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def total_label(self) -> str:
        return f"{self.total:,}+" if self.capped else f"{self.total:,}"


def candidate_select(
    session: Session, filters: ClaimFilters, *, rank_limit: int | None = None
) -> tuple[Select[Any] | None, list[str]]:
    """``SELECT claims.id, rating, language, score`` for the public claims FILTERS select,
    in display order, without a limit. None when the query cannot match anything."""
    notices: list[str] = []
    columns = [Claim.id, Claim.rating, Claim.language]
    if filters.q:
        limit = rank_limit or (FILTERED_RANK_LIMIT if filters.has_filters else RANK_LIMIT)
        hits, notice = searching.ranked_hits(session, filters.q, limit=limit)
        if notice:
            notices.append(notice)
        if hits is None:
            return None, notices
        stmt = select(*columns, hits.c.score.label("score")).join(hits, hits.c.doc_id == Claim.id)
        if filters.effective_sort == "relevance":
            stmt = stmt.order_by(hits.c.score.desc(), Claim.id.desc())
        else:
            stmt = stmt.order_by(Claim.first_seen.desc().nulls_last(), Claim.id.desc())
    else:
        stmt = select(*columns).order_by(Claim.first_seen.desc().nulls_last(), Claim.id.desc())
    stmt = apply_filters(stmt.where(public_claim_condition()), filters)
    return stmt, notices


def search_claims(
    session: Session,
    filters: ClaimFilters,
    *,
    per_page: int = PER_PAGE,
    offset: int | None = None,
    with_facets: bool = True,
    problems: list[FilterProblem] | None = None,
) -> ResultPage:
    """One page of public claims for FILTERS, with facets and notices for the visitor."""
    # The ranked candidates and their facets are the costly part and the same for every page
    # of one search, so they are kept like the other public aggregates (cache.py). The rows
    # shown are always read fresh, and load_rows drops a claim withdrawn in the meantime.
    found = cached(
        ("search", replace(filters, page=1), with_facets),
        lambda: _ranked_candidates(session, filters, with_facets),
    )
    notices = [f"{p.message}" for p in problems or []] + found.notices
    start = offset if offset is not None else (filters.page - 1) * per_page
    window = found.candidates[start : start + per_page]
    scores = {row.id: getattr(row, "score", None) for row in window}
    rows = load_rows(session, [row.id for row in window], filters.q, scores)
    page = start // per_page + 1
    total = len(found.candidates)
    return ResultPage(filters, rows, total, found.capped, page, per_page, found.facets, notices)


@dataclass(frozen=True)
class RankedCandidates:
    candidates: list[Any]
    capped: bool
    facets: list[Facet]
    notices: list[str]


def _ranked_candidates(
    session: Session, filters: ClaimFilters, with_facets: bool
) -> RankedCandidates:
    stmt, notices = candidate_select(session, filters)
    if stmt is None:
        return RankedCandidates([], False, [], notices)
    candidates = session.execute(stmt.limit(CANDIDATE_CAP + 1)).all()
    if filters.q and filters.has_filters and len(candidates) < PER_PAGE:
        # Only the best-ranked matches of a common word were filtered; narrow filters can
        # leave few or none of them although other matching claims pass.
        narrowed = _filters_first(session, filters)
        if len(narrowed) > len(candidates):
            candidates = narrowed
            notices.append(
                "So many claims contain these words that not all could be ranked; these are "
                "the most recent that match them and your filters."
            )
    capped = len(candidates) > CANDIDATE_CAP
    candidates = candidates[:CANDIDATE_CAP]
    facets = facet_counts(session, candidates) if with_facets and candidates else []
    return RankedCandidates(candidates, capped, facets, notices)


def _filters_first(session: Session, filters: ClaimFilters) -> list[Any]:
    """Public claims that pass the filters among the newest FILTER_SCAN that contain the
    words, newest first, unranked."""
    matching = matching_ids(session, "claim", filters.q, newest=FILTER_SCAN)
    if matching is None:
        return []
    stmt = (
        select(Claim.id, Claim.rating, Claim.language)
        .where(Claim.id.in_(matching), public_claim_condition())
        .order_by(Claim.first_seen.desc().nulls_last(), Claim.id.desc())
    )
    return session.execute(apply_filters(stmt, filters).limit(CANDIDATE_CAP + 1)).all()


def load_rows(
    session: Session, ids: list[int], q: str = "", scores: dict[int, float | None] | None = None
) -> list[ResultRow]:
    """The claims with these ids, in this order, with their outlets and highlighted text."""
    if not ids:
        return []
    claims = {
        c.id: c
        for c in session.scalars(select(Claim).where(Claim.id.in_(ids), public_claim_condition()))
    }
    outlets = outlets_by_claim(session, ids)
    rows = []
    for claim_id in ids:
        claim = claims.get(claim_id)
        if claim is None:  # withdrawn since the candidates were ranked
            continue
        text_html, summary_html = searching.highlight(claim, q)
        rows.append(
            ResultRow(
                claim=claim,
                score=(scores or {}).get(claim_id),
                text_html=text_html,
                summary_html=summary_html,
                outlets=outlets.get(claim_id, []),
            )
        )
    return rows


def outlets_by_claim(session: Session, ids: list[int]) -> dict[int, list[Outlet]]:
    """The distinct outlets of each claim's appearances, earliest appearance first."""
    stmt = (
        select(Appearance.claim_id, Outlet)
        .join(Outlet, Outlet.id == Appearance.outlet_id)
        .where(Appearance.claim_id.in_(ids), Outlet.deleted_at.is_(None))
        .order_by(Appearance.claim_id, Appearance.appeared_on, Appearance.id)
    )
    found: dict[int, list[Outlet]] = {}
    for claim_id, outlet in session.execute(stmt):
        items = found.setdefault(claim_id, [])
        if outlet not in items:
            items.append(outlet)
    return found


def in_ids(session: Session, column: Any, ids: list[int]) -> ColumnElement[bool]:
    """``column IN ids`` with the ids as ONE parameter (a JSON array on SQLite, an array on
    PostgreSQL): a thousand separate parameters cost more to compile than to run."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam("ids", ids, type_=ARRAY(Integer)))  # type: ignore[no-any-return]
    values = select(literal_column("value")).select_from(
        func.json_each(bindparam("ids", json.dumps(ids)))
    )
    return column.in_(values)  # type: ignore[no-any-return]


def facet_counts(session: Session, candidates: list[Any]) -> list[Facet]:
    """Counts per filter value among the candidates (at most CANDIDATE_CAP of them)."""
    ids = [int(row.id) for row in candidates]
    verdicts = Counter(row.rating for row in candidates if row.rating)
    languages = Counter(row.language for row in candidates)
    from tracker.templating import language_name

    facets = [
        Facet(
            "verdict",
            "Verdict",
            [FacetValue(r.value, Rating(r).label, n) for r, n in verdicts.most_common()],
        ),
        Facet(
            "language",
            "Language",
            [
                FacetValue(code, language_name(code), n)
                for code, n in languages.most_common(FACET_SIZE)
            ],
        ),
    ]
    count = func.count().label("n")
    outlet_rows = session.execute(
        select(Outlet.id, Outlet.name, func.count(func.distinct(Appearance.claim_id)).label("n"))
        .join(Appearance, Appearance.outlet_id == Outlet.id)
        .where(in_ids(session, Appearance.claim_id, ids), Outlet.deleted_at.is_(None))
        .group_by(Outlet.id, Outlet.name)
        .order_by(func.count(func.distinct(Appearance.claim_id)).desc(), Outlet.name)
        .limit(FACET_SIZE)
    ).all()
    facets.append(
        Facet("outlet", "Outlet", [FacetValue(str(r.id), r.name, r.n) for r in outlet_rows])
    )
    country_rows = session.execute(
        select(Country.code, Country.name, count)
        .join(claim_countries, claim_countries.c.country_code == Country.code)
        .where(in_ids(session, claim_countries.c.claim_id, ids))
        .group_by(Country.code, Country.name)
        .order_by(count.desc(), Country.name)
        .limit(FACET_SIZE)
    ).all()
    facets.append(
        Facet("country", "Country", [FacetValue(r.code, r.name, r.n) for r in country_rows])
    )
    narrative_rows = session.execute(
        select(Narrative.slug, Narrative.name, count)
        .join(claim_narratives, claim_narratives.c.narrative_id == Narrative.id)
        .where(in_ids(session, claim_narratives.c.claim_id, ids), Narrative.deleted_at.is_(None))
        .group_by(Narrative.slug, Narrative.name)
        .order_by(count.desc(), Narrative.name)
        .limit(FACET_SIZE)
    ).all()
    facets.append(
        Facet("narrative", "Narrative", [FacetValue(r.slug, r.name, r.n) for r in narrative_rows])
    )
    return [facet for facet in facets if facet.values]


def first_seen_label(value: date | None) -> str:
    return value.isoformat() if value else ""


def keyset_page(
    session: Session,
    filters: ClaimFilters,
    after: tuple[date | None, int] | None,
    limit: int,
) -> list[tuple[int, date | None]]:
    """``(id, first_seen)`` of the next LIMIT public claims, newest first, after a key.

    The order is ``first_seen DESC NULLS LAST, id DESC`` (as on the search page), paged by
    key so that any depth costs the same.
    """
    stmt = apply_filters(
        select(Claim.id, Claim.first_seen).where(public_claim_condition()), filters
    )
    if after is not None:
        seen, last_id = after
        if seen is None:
            stmt = stmt.where(Claim.first_seen.is_(None), Claim.id < last_id)
        else:
            stmt = stmt.where(
                or_(
                    Claim.first_seen < seen,
                    and_(Claim.first_seen == seen, Claim.id < last_id),
                    Claim.first_seen.is_(None),
                )
            )
    stmt = stmt.order_by(Claim.first_seen.desc().nulls_last(), Claim.id.desc()).limit(limit)
    return [(row.id, row.first_seen) for row in session.execute(stmt)]
