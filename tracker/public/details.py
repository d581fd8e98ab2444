"""What the public detail pages show, gathered in a few queries each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, ColumnExpressionArgument, Select, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker.models import (
    CHANGE_EVENTS,
    Appearance,
    Article,
    Claim,
    ClaimArticleLink,
    ClaimFigureLink,
    Country,
    Figure,
    Narrative,
    Outlet,
    Verdict,
    VerdictEvent,
    claim_narratives,
)
from tracker.public import visibility as vis
from tracker.public.charts import Point
from tracker.public.comparison import comparison_sentence
from tracker.public.filters import verdict_value

RECENT_DAYS = 30


@dataclass
class FigureComparison:
    link: ClaimFigureLink
    figure: Figure
    sentence: str


@dataclass
class ClaimPage:
    claim: Claim
    appearances: list[Appearance]
    first_appearance: Appearance | None
    outlets: list[Outlet]
    narratives: list[Narrative]
    countries: list[Country]
    articles: list[ClaimArticleLink]
    figures: list[FigureComparison]
    related: list[Claim]
    history: list[Verdict]

    @property
    def updates(self) -> list[Verdict]:
        """Published changes after the first publication, oldest first."""
        return [v for v in self.history if v.event in (*CHANGE_EVENTS, VerdictEvent.RETRACTED)]

    @property
    def last_modified(self) -> datetime:
        times = [self.claim.published_at or self.claim.created_at]
        times += [v.at for v in self.history]
        return max(t for t in times if t is not None)

    @property
    def is_retracted(self) -> bool:
        return self.claim.status == "retracted"


def claim_page(session: Session, claim_id: int) -> ClaimPage | None:
    """Everything the claim page shows, or None when the claim is not public."""
    claim = (
        session.execute(
            vis.public_claims()
            .where(Claim.id == claim_id)
            .options(
                # The outlets' domains go into the ClaimReview markup.
                joinedload(Claim.appearances)
                .joinedload(Appearance.outlet)
                .selectinload(Outlet.handles),
                joinedload(Claim.appearances).joinedload(Appearance.snapshot),
                selectinload(Claim.narratives),
                selectinload(Claim.countries),
            )
        )
        .unique()
        .scalar_one_or_none()
    )
    if claim is None:
        return None
    appearances = list(claim.appearances)
    outlets: list[Outlet] = []
    for appearance in appearances:
        outlet = appearance.outlet
        if outlet is not None and outlet.deleted_at is None and outlet not in outlets:
            outlets.append(outlet)
    figures = [
        FigureComparison(link, link.figure, comparison_sentence(link, link.figure))
        for link in vis.confirmed_figures(session, claim.id)
    ]
    return ClaimPage(
        claim=claim,
        appearances=appearances,
        first_appearance=claim.first_appearance,
        outlets=outlets,
        narratives=[n for n in claim.narratives if n.deleted_at is None],
        countries=list(claim.countries),
        articles=vis.confirmed_articles(session, claim.id),
        figures=figures,
        related=vis.related_claims(session, claim.id),
        history=vis.public_verdict_events(session, claim.id),
    )


def month_of(column: ColumnExpressionArgument[date | None], dialect: str) -> ColumnElement[str]:
    """'YYYY-MM' of a date column, on either database."""
    if dialect == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


@dataclass
class OutletStats:
    outlet: Outlet
    claim_count: int
    by_verdict: list[tuple[str, int]]
    months: list[Point]
    narratives: list[tuple[Narrative, int]]
    first_appearance: Appearance | None
    latest_appearance: Appearance | None


def _outlet_claim_ids(outlet_id: int) -> Select[int]:
    return (
        select(Appearance.claim_id)
        .join(Claim, Claim.id == Appearance.claim_id)
        .where(Appearance.outlet_id == outlet_id, vis.public_claim_condition())
    )


def outlet_stats(session: Session, outlet: Outlet) -> OutletStats:
    claim_ids = _outlet_claim_ids(outlet.id)
    in_outlet = Claim.id.in_(claim_ids)
    # A retracted claim counts as retracted, not under the verdict that was withdrawn.
    verdict, claims = verdict_value().label("verdict"), func.count().label("claims")
    by_verdict = session.execute(
        select(verdict, claims).where(in_outlet).group_by(verdict).order_by(claims.desc(), verdict)
    ).all()
    month = month_of(Appearance.appeared_on, _dialect(session))
    months = session.execute(
        select(month.label("m"), func.count(func.distinct(Appearance.claim_id)))
        .join(Claim, Claim.id == Appearance.claim_id)
        .where(
            Appearance.outlet_id == outlet.id,
            Appearance.appeared_on.is_not(None),
            vis.public_claim_condition(),
        )
        .group_by(month)
        .order_by(month)
    ).all()
    count = func.count().label("n")
    narratives = session.execute(
        select(Narrative, count)
        .join(claim_narratives, claim_narratives.c.narrative_id == Narrative.id)
        # The claims are public ones: a narrative they tell is public unless deleted.
        .where(claim_narratives.c.claim_id.in_(claim_ids), Narrative.deleted_at.is_(None))
        .group_by(Narrative.id)
        .order_by(count.desc(), Narrative.name)
        .limit(10)
    ).all()
    appearances = (
        select(Appearance)
        .join(Claim, Claim.id == Appearance.claim_id)
        .where(
            Appearance.outlet_id == outlet.id,
            Appearance.appeared_on.is_not(None),
            vis.public_claim_condition(),
        )
    )
    first = session.scalar(appearances.order_by(Appearance.appeared_on, Appearance.id).limit(1))
    latest = session.scalar(
        appearances.order_by(Appearance.appeared_on.desc(), Appearance.id.desc()).limit(1)
    )
    return OutletStats(
        outlet=outlet,
        claim_count=sum(n for _, n in by_verdict),
        by_verdict=[(value or "none", n) for value, n in by_verdict],
        months=[Point(m, n) for m, n in months if m],
        narratives=[(n, c) for n, c in narratives],
        first_appearance=first,
        latest_appearance=latest,
    )


@dataclass
class OutletRow:
    outlet: Outlet
    claims: int


OUTLET_SORTS = ("claims", "name")


def outlet_index(
    session: Session, sort: str = "claims", limit: int | None = None
) -> list[OutletRow]:
    """Outlets with public claims, by number of claims (or by name). Counting claims per
    outlet reads every appearance, so callers keep the whole list (cache.py) and page it.

    The handles are loaded with the outlets: a kept list outlives the request's session,
    and a later page read them lazily from a detached outlet (a 500 on the API's page 2)."""
    claims = func.count(func.distinct(Appearance.claim_id)).label("claims")
    stmt = (
        select(Outlet, claims)
        .options(selectinload(Outlet.handles))
        .join(Appearance, Appearance.outlet_id == Outlet.id)
        .join(Claim, Claim.id == Appearance.claim_id)
        .where(
            vis.public_claim_condition(),
            Outlet.deleted_at.is_(None),
            Outlet.merged_into_id.is_(None),
        )
        .group_by(Outlet.id)
    )
    if sort == "name":
        stmt = stmt.order_by(func.lower(Outlet.name), Outlet.id)
    else:
        stmt = stmt.order_by(claims.desc(), func.lower(Outlet.name), Outlet.id)
    return [OutletRow(o, n) for o, n in session.execute(stmt.limit(limit))]


def public_narratives(session: Session) -> list[Narrative]:
    """Every public narrative, by name (a few dozen: the search form lists them)."""
    stmt = select(Narrative).where(vis.public_narrative_condition()).order_by(Narrative.name)
    return list(session.scalars(stmt))


def narrative_index(session: Session) -> list[tuple[Narrative, int]]:
    """Public narratives with their number of public claims, most claims first."""
    claims = func.count(Claim.id).label("claims")
    stmt = (
        select(Narrative, claims)
        .join(claim_narratives, claim_narratives.c.narrative_id == Narrative.id)
        .join(Claim, Claim.id == claim_narratives.c.claim_id)
        .where(vis.public_narrative_condition(), vis.public_claim_condition())
        .group_by(Narrative.id)
        .order_by(claims.desc(), func.lower(Narrative.name), Narrative.id)
    )
    return [(narrative, count) for narrative, count in session.execute(stmt)]


@dataclass
class NarrativeStats:
    narrative: Narrative
    claim_count: int
    months: list[Point]
    outlets: list[tuple[Outlet, int]]
    claims: list[Claim] = field(default_factory=list)


def narrative_stats(session: Session, narrative: Narrative, limit: int = 50) -> NarrativeStats:
    claim_ids = select(claim_narratives.c.claim_id).where(
        claim_narratives.c.narrative_id == narrative.id
    )
    public_in = vis.public_claims().where(Claim.id.in_(claim_ids))
    claim_count = session.scalar(
        select(func.count()).select_from(public_in.with_only_columns(Claim.id).subquery())
    )
    month = month_of(Claim.first_seen, _dialect(session))
    months = session.execute(
        select(month.label("m"), func.count())
        .where(Claim.id.in_(claim_ids), vis.public_claim_condition(), Claim.first_seen.is_not(None))
        .group_by(month)
        .order_by(month)
    ).all()
    n = func.count(func.distinct(Appearance.claim_id)).label("n")
    outlets = session.execute(
        select(Outlet, n)
        .join(Appearance, Appearance.outlet_id == Outlet.id)
        .join(Claim, Claim.id == Appearance.claim_id)
        .where(Claim.id.in_(claim_ids), vis.public_claim_condition(), Outlet.deleted_at.is_(None))
        .group_by(Outlet.id)
        .order_by(n.desc(), Outlet.name)
        .limit(15)
    ).all()
    claims = session.scalars(
        public_in.order_by(Claim.first_seen.desc().nulls_last(), Claim.id.desc()).limit(limit)
    ).all()
    return NarrativeStats(
        narrative=narrative,
        claim_count=claim_count or 0,
        months=[Point(m, c) for m, c in months if m],
        outlets=[(o, c) for o, c in outlets],
        claims=list(claims),
    )


@dataclass
class HomeStats:
    claims: int
    outlets: int
    narratives: int
    articles: int
    top_narratives: list[tuple[Narrative, int]]
    top_narratives_recent: bool
    published_recently: bool  # any claim published in the last RECENT_DAYS


def home_stats(session: Session) -> HomeStats:
    """Counts and top narratives (cacheable); the latest claims are added by the view."""
    claims = session.scalar(
        select(func.count()).select_from(Claim).where(vis.public_claim_condition())
    )
    outlets = session.scalar(
        select(func.count(func.distinct(Appearance.outlet_id)))
        .join(Claim, Claim.id == Appearance.claim_id)
        .join(Outlet, Outlet.id == Appearance.outlet_id)
        .where(vis.public_claim_condition(), Outlet.deleted_at.is_(None))
    )
    narratives = session.scalar(
        select(func.count()).select_from(Narrative).where(vis.public_narrative_condition())
    )
    articles = session.scalar(
        select(func.count()).select_from(Article).where(vis.public_article_condition())
    )
    since = datetime.now(UTC) - timedelta(days=RECENT_DAYS)
    top = _top_narratives(session, since)
    recent = bool(top)
    published_recently = recent
    if not top:
        top = _top_narratives(session, None)
        published_recently = bool(
            session.scalar(
                select(Claim.id)
                .where(vis.public_claim_condition(), Claim.published_at >= since)
                .limit(1)
            )
        )
    return HomeStats(
        claims=claims or 0,
        outlets=outlets or 0,
        narratives=narratives or 0,
        articles=articles or 0,
        top_narratives=top,
        top_narratives_recent=recent,
        published_recently=published_recently,
    )


def latest_claims(session: Session, limit: int = 10) -> list[Claim]:
    """The most recently published public claims (always read fresh)."""
    return list(
        session.scalars(
            vis.public_claims().order_by(Claim.published_at.desc(), Claim.id.desc()).limit(limit)
        )
    )


def _top_narratives(session: Session, since: datetime | None) -> list[tuple[Narrative, int]]:
    n = func.count().label("n")
    stmt = (
        select(Narrative, n)
        .join(claim_narratives, claim_narratives.c.narrative_id == Narrative.id)
        .join(Claim, Claim.id == claim_narratives.c.claim_id)
        .where(vis.public_claim_condition(), Narrative.deleted_at.is_(None))
        .group_by(Narrative.id)
        .order_by(n.desc(), Narrative.name)
        .limit(8)
    )
    if since is not None:
        stmt = stmt.where(Claim.published_at >= since)
    return [(narrative, count) for narrative, count in session.execute(stmt)]


@dataclass
class FigurePage:
    figure: Figure
    parts: list[Figure]
    links: list[FigureComparison]


def figure_page(session: Session, figure: Figure) -> FigurePage:
    parts = [p for p in figure.parts if p.deleted_at is None]
    links = vis.figure_links_for_figure(session, [figure.id, *[p.id for p in parts]])
    return FigurePage(
        figure=figure,
        parts=parts,
        links=[FigureComparison(link, link.figure, comparison_sentence(link)) for link in links],
    )


def country_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Country.code, Country.name)).tuples().all())
