"""Reads with a personal token: a claim as its user sees it on the desk.

Anonymous reads show the public record only. A token (read or write scope) reads, in
addition, the claims its user may open on the desk (:func:`permissions.can_view`: their
own drafts, anything submitted, everything for editors), with the whole verdict history.
Cross-references stay the confirmed ones, as on the claim page.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker.models import Appearance, Claim, Outlet, User, Verdict
from tracker.public import visibility as vis
from tracker.public.comparison import comparison_sentence
from tracker.public.details import ClaimPage, FigureComparison
from tracker.services.permissions import can_view


def desk_claim_page(session: Session, claim_id: int, user: User) -> ClaimPage | None:
    """The claim as USER sees it on the desk, or None when they may not see it."""
    claim = (
        session.execute(
            select(Claim)
            .where(Claim.id == claim_id)
            .options(
                joinedload(Claim.appearances).joinedload(Appearance.outlet),
                joinedload(Claim.appearances).joinedload(Appearance.snapshot),
                selectinload(Claim.narratives),
                selectinload(Claim.countries),
            )
        )
        .unique()
        .scalar_one_or_none()
    )
    if claim is None or not can_view(user, claim):
        return None
    outlets: list[Outlet] = []
    for appearance in claim.appearances:
        outlet = appearance.outlet
        if outlet is not None and outlet.deleted_at is None and outlet not in outlets:
            outlets.append(outlet)
    history = session.scalars(
        select(Verdict).where(Verdict.claim_id == claim.id).order_by(Verdict.at, Verdict.id)
    )
    return ClaimPage(
        claim=claim,
        appearances=list(claim.appearances),
        first_appearance=claim.first_appearance,
        outlets=outlets,
        narratives=[n for n in claim.narratives if n.deleted_at is None],
        countries=list(claim.countries),
        articles=vis.confirmed_articles(session, claim.id),
        figures=[
            FigureComparison(link, link.figure, comparison_sentence(link, link.figure))
            for link in vis.confirmed_figures(session, claim.id)
        ],
        related=vis.related_claims(session, claim.id),
        history=list(history),
    )
