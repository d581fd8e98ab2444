"""Claims that arrive with their status already decided: the workflow's rules for imports.

A dump, a ClaimReview feed or a spreadsheet may bring claims already in review, published or
retracted. They are put into that status in one audited step, under the rules a person
taking the steps would meet (see :mod:`tracker.services.workflow`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from tracker.audit import Actor, record_event
from tracker.errors import InvalidTransition, PermissionDenied, ValidationFailed
from tracker.models import Claim, ClaimStatus, Rating, Role, Verdict, VerdictEvent, utcnow
from tracker.services.indexing import reindex_claims
from tracker.services.workflow import record_verdict, required_text


def _value(rating: Rating | None) -> str | None:
    return rating.value if rating is not None else None


@dataclass(frozen=True)
class VerdictHistoryItem:
    """One past verdict event, as an import restores it (times and people kept)."""

    event: VerdictEvent
    rating: Rating | None
    rationale: str | None
    at: datetime
    by_id: int | None = None
    note: str | None = None


def import_state(
    session: Session,
    claim: Claim,
    status: ClaimStatus,
    *,
    by: Actor,
    history: list[VerdictHistoryItem] | None = None,
    published_at: datetime | None = None,
    correction_note: str | None = None,
    rating: Rating | None = None,
    rationale: str | None = None,
) -> Claim:
    """Put an imported claim into STATUS, under the rules a person taking the steps meets.

    - in review: anyone may submit what they import;
    - published, retracted, returned: only editors (or the system itself, with no user);
      a published claim needs a verdict and a rationale, a retracted one a public
      correction note;
    - HISTORY, when given (a full-fidelity dump), is written as it was, with its times,
      and RATING and RATIONALE become the current verdict; otherwise the events the
      workflow itself would record are added now.

    The four-eyes rule does not apply: an imported verdict was reviewed where it was made,
    and the import is audited as one step ("import_status") with the status before and after.
    """
    if claim.deleted_at is not None:
        raise InvalidTransition("This claim is deleted; restore it first.")
    before = {"status": claim.status.value, "rating": _value(claim.rating)}
    if history is not None:
        claim.rating = rating
        claim.rationale = (rationale or "").strip() or claim.rationale
    editorial = status not in (ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW)
    if editorial and by.user is not None and not by.user.has_role(Role.EDITOR):
        shown = status.value.replace("_", " ")
        raise PermissionDenied(f"Only editors may import claims as {shown}.")
    unrated = claim.rating is None or not (claim.rationale or "").strip()
    if status == ClaimStatus.PUBLISHED and unrated:
        raise ValidationFailed(
            {"status": ["A claim needs a verdict and a rationale before it can be published."]}
        )
    if status == ClaimStatus.RETRACTED:
        correction_note = required_text(
            correction_note, "correction_note", "A retraction needs a public correction note."
        )
    now = utcnow()
    if history is not None:
        for item in history:
            session.add(
                Verdict(
                    claim_id=claim.id,
                    rating=item.rating,
                    rationale=item.rationale,
                    event=item.event,
                    note=item.note,
                    by_id=item.by_id,
                    at=item.at,
                )
            )
    if status != ClaimStatus.DRAFT:
        claim.submitted_at = claim.submitted_at or now
    if status == ClaimStatus.RETRACTED and history is not None:
        # A claim can be retracted before it was ever published; it then stays private.
        claim.published_at = published_at
    elif status in (ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED):
        claim.published_at = published_at or claim.published_at or now
        if history is None and claim.status != ClaimStatus.PUBLISHED:
            record_verdict(session, claim, VerdictEvent.PUBLISHED, by.user_id, now)
    if status == ClaimStatus.RETRACTED:
        claim.correction_note = correction_note
    claim.status = status
    claim.updated_by_id = by.user_id
    session.flush()
    after = {"status": claim.status.value, "rating": _value(claim.rating)}
    if after != before or history:
        record_event(session, "import_status", "claim", claim.id, by=by, before=before, after=after)
    reindex_claims(session, [claim.id])
    return claim
