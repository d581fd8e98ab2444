"""What may still happen to a claim once readers have seen it.

A published verdict changes only by a dated public update (the workflow's "Publish an
updated verdict"), and a public claim leaves the record only by a retraction with a
correction note: readers must be able to see that something changed, when, and why. A plain
edit or a delete would change or remove the public record without a trace.
"""

from __future__ import annotations

from tracker.errors import InvalidTransition, ValidationFailed
from tracker.models import Claim, ClaimStatus, Rating

# Claims whose verdict a plain edit may not touch.
VERDICT_LOCKED = frozenset({ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED})

UPDATE_INSTEAD = (
    "This verdict is public. Change it with “Publish an updated verdict” on the claim's "
    "page: that adds a dated update with a note that readers can see."
)
RETRACTED_FOR_GOOD = "This claim is retracted; its verdict can no longer be changed."
RETRACT_INSTEAD = (
    "This claim is on the public record and cannot be deleted. Retract it instead, with a "
    "public correction note."
)


def _same_text(a: str | None, b: str | None) -> bool:
    # Browsers send line breaks as CRLF whatever was stored; that is not a change.
    def norm(text: str | None) -> str:
        return (text or "").replace("\r\n", "\n").strip()

    return norm(a) == norm(b)


def verdict_edit_problem(claim: Claim, rating: Rating | None, rationale: str | None) -> str | None:
    """Why an edit may not set this rating and rationale, or None when it may."""
    if claim.status not in VERDICT_LOCKED:
        return None
    if rating == claim.rating and _same_text(rationale, claim.rationale):
        return None
    return RETRACTED_FOR_GOOD if claim.status == ClaimStatus.RETRACTED else UPDATE_INSTEAD


def deletion_problem(claim: Claim) -> str | None:
    """Why the claim may not be deleted, or None when it may."""
    return RETRACT_INSTEAD if claim.is_public else None


WORDING_NOTE = (
    "This claim is public: say in a public note what was corrected in its wording. Readers "
    "see it as a dated correction on the claim's page."
)


def wording_changed(claim: Claim, text: str, summary_en: str | None) -> bool:
    """Whether an edit changes what readers of a public claim read as its wording."""
    return claim.status in VERDICT_LOCKED and (
        text.strip() != claim.text or ((summary_en or "").strip() or None) != claim.summary_en
    )


def check_wording_edit(claim: Claim, text: str, summary_en: str | None, note: str | None) -> None:
    """Refuse a silent change to the wording of a public claim: it needs a public note."""
    if wording_changed(claim, text, summary_en) and not (note or "").strip():
        raise ValidationFailed({"public_note": [WORDING_NOTE]})


def check_verdict_edit(claim: Claim, rating: Rating | None, rationale: str | None) -> None:
    """Refuse (next to the rating field) an edit that would change a public verdict."""
    problem = verdict_edit_problem(claim, rating, rationale)
    if problem:
        raise ValidationFailed({"rating": [problem]})


def check_deletion(claim: Claim) -> None:
    """Refuse deleting a claim that readers have seen."""
    problem = deletion_problem(claim)
    if problem:
        raise InvalidTransition(problem)
