"""Claims already recorded with the same or nearly the same text, found when one is saved."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Appearance, Claim, User
from tracker.services.permissions import can_view
from tracker.xref.fingerprint import claim_fingerprint, near_identical, normalise_for_fingerprint

# Near-identical texts rank at the top of a full-text search for the text itself; the
# best few are compared character by character.
NEAR_CANDIDATES = 20


@dataclass
class Duplicates:
    """What one person is told: the claims they may read, and how many they may not."""

    visible: list[Claim] = field(default_factory=list)
    hidden: int = 0

    def __bool__(self) -> bool:
        return bool(self.visible) or self.hidden > 0


def _language(text: str, language: str | None) -> str:
    if language:
        return language
    from tracker.services.claims import detect_language

    return detect_language(text)


def find_duplicates(
    session: Session, text: str, language: str | None, *, exclude_id: int | None = None
) -> list[Claim]:
    """Claims (not deleted) with the same normalised text, or nearly the same text in the
    same language (a spelling variant, a word more or less); oldest first."""
    query = select(Claim).where(
        Claim.fingerprint == claim_fingerprint(text), Claim.deleted_at.is_(None)
    )
    if language:
        query = query.where(Claim.language == language)
    if exclude_id is not None:
        query = query.where(Claim.id != exclude_id)
    found = {claim.id: claim for claim in session.scalars(query)}
    for claim in _near(session, text, _language(text, language), exclude_id):
        found.setdefault(claim.id, claim)
    return sorted(found.values(), key=lambda c: c.id)


def _near(session: Session, text: str, language: str, exclude_id: int | None) -> list[Claim]:
    from tracker.search import search_ids

    words = normalise_for_fingerprint(text)  # no quotes or minus signs for the query parser
    if not words:
        return []
    ids = [hit.doc_id for hit in search_ids(session, "claim", words, NEAR_CANDIDATES, mode="any")]
    if exclude_id is not None:
        ids = [i for i in ids if i != exclude_id]
    if not ids:
        return []
    candidates = session.scalars(
        select(Claim).where(
            Claim.id.in_(ids), Claim.language == language, Claim.deleted_at.is_(None)
        )
    )
    return [claim for claim in candidates if near_identical(text, claim.text)]


def duplicates_for(
    session: Session,
    user: User | None,
    text: str,
    language: str | None,
    *,
    exclude_id: int | None = None,
) -> Duplicates:
    """The duplicates of TEXT as USER may be told of them: others' drafts are counted,
    never shown (their text is private until submitted)."""
    claims = find_duplicates(session, text, language, exclude_id=exclude_id)
    visible = [claim for claim in claims if can_view(user, claim)]
    return Duplicates(visible=visible, hidden=len(claims) - len(visible))


def claims_sharing_links(session: Session, user: User | None, claim: Claim) -> list[Claim]:
    """Other claims (not deleted, that USER may read) with a link of CLAIM's, oldest first.

    Not a duplicate: one broadcast or article often makes several claims. The analyst is
    told, in case the claim was recorded before under other words."""
    urls = [a.url for a in claim.appearances]
    if not urls:
        return []
    others = session.scalars(
        select(Claim)
        .join(Appearance, Appearance.claim_id == Claim.id)
        .where(Appearance.url.in_(urls), Claim.id != claim.id, Claim.deleted_at.is_(None))
        .distinct()
        .order_by(Claim.id)
    )
    return [other for other in others if can_view(user, other)]
