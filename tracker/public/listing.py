"""Listing and searching public claims: pages of candidates, with rows and facets.

Which claims are candidates, and how many match, is decided in :mod:`candidates` with
bounded work; pages are slices of the candidates, and facet counts are counted over them
(:mod:`facets`), so totals are shown as "1,000+" rather than counted to the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from markupsafe import Markup
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from tracker.models import Appearance, Claim, Outlet, Rating
from tracker.public import searching
from tracker.public.cache import cached
from tracker.public.candidates import (
    CANDIDATE_CAP,
    NEWEST_SCAN,
    PER_PAGE,
    Candidate,
    find_candidates,
    newest_matching,
)
from tracker.public.facets import Facet, facet_counts
from tracker.public.filters import ClaimFilters, FilterProblem, apply_filters
from tracker.public.visibility import public_claim_condition

__all__ = ["CANDIDATE_CAP", "PER_PAGE", "ResultPage", "ResultRow", "search_claims"]


@dataclass
class ResultRow:
    claim: Claim
    score: float | None
    text_html: Markup
    summary_html: Markup | None
    outlets: list[Outlet]
    # Where the words matched, when the text and summary on the card do not show them.
    match_html: Markup | None = None


@dataclass
class ResultPage:
    """One page of a search. `total` claims match (at least, when `capped`); the first
    `available` of them can be paged through."""

    filters: ClaimFilters
    rows: list[ResultRow]
    total: int
    capped: bool
    page: int
    per_page: int
    available: int
    facets: list[Facet] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.available

    @property
    def pages(self) -> int:
        return max(1, -(-self.available // self.per_page))

    @property
    def total_label(self) -> str:
        return f"{self.total:,}+" if self.capped else f"{self.total:,}"

    @property
    def more_than_shown(self) -> bool:
        """More claims match than can be paged through (or counted)."""
        return self.capped or self.total > self.available


def candidate_select(
    session: Session, filters: ClaimFilters
) -> Select[int, Rating | None, str] | None:
    """``SELECT claims.id, rating, language`` of the public claims FILTERS select, newest
    first, without a limit (for feeds, which order by publication). With a query, among
    the newest matches only. None when the query cannot match anything."""
    if not filters.q:
        stmt = select(Claim.id, Claim.rating, Claim.language).where(public_claim_condition())
        return apply_filters(stmt, filters).order_by(
            Claim.first_seen.desc().nulls_last(), Claim.id.desc()
        )
    plan = searching.plan(session, filters.q)
    if plan is None:
        return None
    stmt, _complete = newest_matching(session, filters, plan, NEWEST_SCAN)
    return stmt


@dataclass(frozen=True)
class RankedCandidates:
    candidates: list[Candidate]
    total: int
    capped: bool
    facets: list[Facet]
    notices: list[str]


def _ranked_candidates(
    session: Session, filters: ClaimFilters, with_facets: bool
) -> RankedCandidates:
    found = find_candidates(session, filters)
    facets = facet_counts(session, found.candidates) if with_facets and found.candidates else []
    return RankedCandidates(found.candidates, found.total, found.capped, facets, found.notices)


def _undated_count(session: Session) -> int:
    """Public claims without a first-appearance date: no date range can include them."""
    undated = and_(public_claim_condition(), Claim.first_seen.is_(None))
    return int(session.scalar(select(func.count()).select_from(Claim).where(undated)) or 0)


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
    if filters.date_from or filters.date_to:
        undated = cached("undated", lambda: _undated_count(session))
        if undated:
            notices.append(
                f"{undated:,} public {'claim has' if undated == 1 else 'claims have'} no known "
                "date of first appearance, so a date filter leaves them out."
            )
    available = len(found.candidates)
    start = offset if offset is not None else (filters.page - 1) * per_page
    if offset is None and start >= available > 0:
        # A page beyond the last (an old link, an edited URL): show the last one.
        last = -(-available // per_page)
        notices.append("There are fewer results than that page needs; this is the last page.")
        start = (last - 1) * per_page
    window = found.candidates[start : start + per_page]
    scores = {row.id: row.score for row in window}
    rows = load_rows(session, [row.id for row in window], filters.q, scores)
    page = start // per_page + 1
    return ResultPage(
        filters,
        rows,
        found.total,
        found.capped,
        page,
        per_page,
        available,
        found.facets,
        notices,
    )


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
    unexplained = []
    for claim_id in ids:
        claim = claims.get(claim_id)
        if claim is None:  # withdrawn since the candidates were ranked
            continue
        text_html, summary_html = searching.highlight(claim, q)
        row = ResultRow(
            claim=claim,
            score=(scores or {}).get(claim_id),
            text_html=text_html,
            summary_html=summary_html,
            outlets=outlets.get(claim_id, []),
        )
        rows.append(row)
        if q and not searching.shows_match(claim, text_html, summary_html):
            unexplained.append(row)
    if unexplained:
        titles = _appearance_titles(session, [row.claim.id for row in unexplained])
        for row in unexplained:
            names = [outlet.name for outlet in row.outlets]
            row.match_html = searching.explain_match(
                row.claim, q, names, titles.get(row.claim.id, [])
            )
    return rows


def _appearance_titles(session: Session, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    stmt = (
        select(Appearance.claim_id, Appearance.title)
        .where(Appearance.claim_id.in_(ids), Appearance.title.is_not(None))
        .order_by(Appearance.claim_id, Appearance.id)
    )
    for claim_id, title in session.execute(stmt):
        if title is not None:  # never, given the WHERE; the column is nullable
            found.setdefault(claim_id, []).append(title)
    return found


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
