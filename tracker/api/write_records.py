"""What the write endpoints answer: records as their writer sees them, in any status."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tracker.api import serializers as ser
from tracker.extensions import db
from tracker.models import Appearance, Claim, ClaimArticleLink, ClaimFigureLink, LinkStatus
from tracker.public.urls import absolute_url


def claim_record(claim: Claim) -> dict[str, Any]:
    """A claim as its writer sees it (any status), with the version to send back."""
    session = db.session
    confirmed = LinkStatus.CONFIRMED
    return {
        "id": claim.id,
        "version": claim.version,
        "status": claim.status.value,
        "text": claim.text,
        "language": claim.language,
        "summary": claim.summary_en,
        "rating": claim.rating.value if claim.rating else None,
        "rationale": claim.rationale,
        "claimant": claim.claimant,
        "external_id": claim.external_id,
        "first_seen": ser.iso(claim.first_seen),
        "correction_note": claim.correction_note,
        "appearances": [appearance_record(a) for a in claim.appearances],
        "narratives": [n.slug for n in claim.narratives],
        "countries": [c.code for c in claim.countries],
        "article_ids": list(
            session.scalars(
                select(ClaimArticleLink.article_id).where(
                    ClaimArticleLink.claim_id == claim.id, ClaimArticleLink.status == confirmed
                )
            )
        ),
        "figure_ids": list(
            session.scalars(
                select(ClaimFigureLink.figure_id).where(
                    ClaimFigureLink.claim_id == claim.id, ClaimFigureLink.status == confirmed
                )
            )
        ),
        "desk_url": absolute_url(
            "desk.claim",
            claim_id=claim.id,
        ),
        "updated_at": ser.iso(claim.updated_at),
    }


def appearance_record(appearance: Appearance) -> dict[str, Any]:
    return {
        "id": appearance.id,
        "url": appearance.url,
        "date": ser.iso(appearance.appeared_on),
        "language": appearance.language,
        "platform": appearance.platform,
        "title": appearance.title,
        "outlet_id": appearance.outlet_id,
    }
