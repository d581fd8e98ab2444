"""When a public record last changed, for the Last-Modified of the API's detail endpoints.

A client that sends only If-Modified-Since gets 304 when nothing changed since: so the time
must cover everything the response shows, not just the record's own row. A claim shows its
appearances, outlets, snapshots, narratives, linked articles, figures and claims; an outlet
its claims; an article and a figure the claims linked to them. Each of those has a time it
was created or last updated (soft deletes update it too), and the newest one is the answer.

Narratives and appearances have no update time: a renamed narrative or an edited
appearance title is only seen through the ETag (the claim's own time moves when its
appearances are edited through the desk, which saves the claim).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tracker.models import (
    Appearance,
    Article,
    Claim,
    ClaimArticleLink,
    ClaimFigureLink,
    ClaimLink,
    Figure,
    Outlet,
)
from tracker.public.details import ClaimPage


def _latest(times: Iterable[datetime | None]) -> datetime | None:
    found = [time for time in times if time is not None]
    return max(found) if found else None


def _link_time(link: Any) -> Any:
    """When a cross-reference was proposed or last decided (confirmed, rejected)."""
    return func.coalesce(link.decided_at, link.created_at)


def _maxima(session: Session, *selects: Any) -> list[datetime | None]:
    """The value of each one-column aggregate select, in one round trip."""
    row = session.execute(select(*(s.scalar_subquery() for s in selects))).one()
    return list(row)


def claim_modified(session: Session, page: ClaimPage) -> datetime:
    """The newest change to anything the claim's public record shows."""
    claim = page.claim
    times: list[datetime | None] = [page.last_modified, claim.updated_at]
    for appearance in page.appearances:
        times.append(appearance.created_at)
        if appearance.outlet is not None:
            outlet = appearance.outlet
            times += [outlet.updated_at, outlet.deleted_at]
        if appearance.snapshot is not None:
            times.append(appearance.snapshot.fetched_at)
    for narrative in claim.narratives:  # deleted ones too: their removal is a change
        times += [narrative.created_at, narrative.deleted_at]
    claim_id = claim.id
    times += _maxima(
        session,
        select(func.max(_link_time(ClaimArticleLink))).where(ClaimArticleLink.claim_id == claim_id),
        select(func.max(Article.updated_at))
        .join(ClaimArticleLink, ClaimArticleLink.article_id == Article.id)
        .where(ClaimArticleLink.claim_id == claim_id),
        select(func.max(_link_time(ClaimFigureLink))).where(ClaimFigureLink.claim_id == claim_id),
        select(func.max(Figure.updated_at))
        .join(ClaimFigureLink, ClaimFigureLink.figure_id == Figure.id)
        .where(ClaimFigureLink.claim_id == claim_id),
        select(func.max(_link_time(ClaimLink))).where(
            or_(ClaimLink.claim_id == claim_id, ClaimLink.other_claim_id == claim_id)
        ),
    )
    times += [other.updated_at for other in page.related]
    return _latest(times) or claim.created_at


def outlet_modified(session: Session, outlet: Outlet) -> datetime:
    """The newest change to the outlet or to the claims (and their narratives) it counts."""
    claims = select(Appearance.claim_id).where(Appearance.outlet_id == outlet.id)
    times = _maxima(
        session,
        select(func.max(Claim.updated_at)).where(Claim.id.in_(claims)),
        select(func.max(Appearance.created_at)).where(Appearance.outlet_id == outlet.id),
    )
    return _latest([outlet.updated_at, *times]) or outlet.created_at


def article_modified(session: Session, article: Article) -> datetime:
    """The newest change to the article, its links, or the claims it is linked to."""
    times = _maxima(
        session,
        select(func.max(_link_time(ClaimArticleLink))).where(
            ClaimArticleLink.article_id == article.id
        ),
        select(func.max(Claim.updated_at))
        .join(ClaimArticleLink, ClaimArticleLink.claim_id == Claim.id)
        .where(ClaimArticleLink.article_id == article.id),
    )
    return _latest([article.updated_at, *times]) or article.created_at


def figure_modified(session: Session, figure: Figure, parts: list[Figure]) -> datetime:
    """The newest change to the figure, its parts, their links or the claims linked."""
    ids = [figure.id, *(part.id for part in parts)]
    times = _maxima(
        session,
        select(func.max(Figure.updated_at)).where(
            or_(Figure.id.in_(ids), Figure.parent_id == figure.id)
        ),
        select(func.max(_link_time(ClaimFigureLink))).where(ClaimFigureLink.figure_id.in_(ids)),
        select(func.max(Claim.updated_at))
        .join(ClaimFigureLink, ClaimFigureLink.claim_id == Claim.id)
        .where(ClaimFigureLink.figure_id.in_(ids)),
    )
    return _latest([figure.updated_at, *times]) or figure.created_at
