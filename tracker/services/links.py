"""Confirming and rejecting cross-references. Only confirmed links are public."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.audit import Actor, record_event
from tracker.errors import NotFound, PermissionDenied, ValidationFailed
from tracker.models import (
    Article,
    Claim,
    ClaimArticleLink,
    ClaimFigureLink,
    ClaimLink,
    Figure,
    LinkStatus,
    utcnow,
)
from tracker.models.xref import LinkMixin

# Typed by the mixin that declares the shared columns: mypy would otherwise join the three
# classes to the declarative base, which has none of them.
LINK_TYPES: dict[str, type[LinkMixin]] = {
    "article": ClaimArticleLink,
    "figure": ClaimFigureLink,
    "claim": ClaimLink,
}


def confirmed_target_ids(
    session: Session, model: type[LinkMixin], key: str, claim_id: int
) -> list[int]:
    """The ids (column KEY of MODEL) that the claim's confirmed links point to, ascending."""
    statement = select(getattr(model, key)).where(
        model.claim_id == claim_id, model.status == LinkStatus.CONFIRMED
    )
    return sorted(session.scalars(statement))


_TARGETS: dict[str, tuple[type, str, type]] = {
    "article": (ClaimArticleLink, "article_id", Article),
    "figure": (ClaimFigureLink, "figure_id", Figure),
    "claim": (ClaimLink, "other_claim_id", Claim),
}


def decide(
    session: Session, kind: str, link_id: int, status: LinkStatus, *, by: Actor
) -> LinkMixin:
    """Confirm or reject a suggested cross-reference (analysts and editors may)."""
    model = LINK_TYPES.get(kind)
    link = session.get(model, link_id) if model else None
    if link is None:
        raise NotFound(f"There is no {kind} cross-reference {link_id}.")
    if by.user is None:
        raise PermissionDenied("Sign in to confirm or reject cross-references.")
    before = link.status.value
    link.status = status
    link.decided_at = utcnow()
    link.decided_by_id = by.user_id
    session.flush()
    record_event(
        session,
        f"xref_{status.value}",
        f"{kind}_link",
        link.id,
        by=by,
        before={"status": before},
        after={"status": status.value, "claim_id": link.claim_id},
    )
    return link


def set_link(
    session: Session,
    kind: str,
    claim: Claim,
    target_id: int,
    *,
    by: Actor,
    status: LinkStatus = LinkStatus.CONFIRMED,
    method: str = "manual",
    reason: str | None = None,
    score: float | None = None,
) -> tuple[ClaimArticleLink | ClaimFigureLink | ClaimLink, bool]:
    """Record a decided cross-reference (an import, an API client): create it or set its status.

    Returns the link and whether anything changed. The target must exist; a figure link
    gets its comparison in words and numbers, as one made in the claim form does.
    """
    model, key, target_model = _TARGETS[kind]
    if kind == "claim" and target_id == claim.id:
        raise ValidationFailed({"links": ["A claim cannot be linked to itself."]})
    target = session.get(target_model, target_id)
    if target is None:
        raise ValidationFailed({"links": [f"There is no {kind} {target_id}."]})
    link = session.scalar(
        select(model).where(model.claim_id == claim.id, getattr(model, key) == target_id)
    )
    if link is not None and link.status == status:
        return link, False
    now = utcnow()
    before = link.status.value if link is not None else None
    if link is None:
        link = model(
            claim_id=claim.id,
            method=method,
            reason=reason,
            score=score,
            **{key: target_id},
        )
        session.add(link)
    link.status = status
    if status != LinkStatus.SUGGESTED:
        link.decided_at, link.decided_by_id = now, by.user_id
    session.flush()
    if kind == "figure":
        from tracker.services.figure_checks import refresh_link

        refresh_link(link, claim, target)
    record_event(
        session,
        f"xref_{status.value}",
        f"{kind}_link",
        link.id,
        by=by,
        before={"status": before},
        after={"status": status.value, "claim_id": claim.id, "method": method},
    )
    return link, True
