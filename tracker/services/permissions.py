"""Record-level rules: who may see and change which claim."""

from __future__ import annotations

from tracker.errors import NotFound, PermissionDenied
from tracker.models import Claim, ClaimStatus, Role, User

# Claims in these states belong to their author until submitted; other analysts cannot
# see them, even by guessing ids.
PRIVATE_STATES = {ClaimStatus.DRAFT, ClaimStatus.RETURNED}
AUTHOR_EDITABLE_STATES = {ClaimStatus.DRAFT, ClaimStatus.RETURNED}


def is_editor(user: User | None) -> bool:
    return user is not None and user.has_role(Role.EDITOR)


def is_author(user: User | None, claim: Claim) -> bool:
    return user is not None and claim.created_by_id == user.id


def can_view(user: User | None, claim: Claim) -> bool:
    if user is None or not user.active:
        return claim.is_public
    if claim.deleted_at is not None:
        return is_editor(user)
    if claim.status in PRIVATE_STATES:
        return is_author(user, claim) or is_editor(user)
    return True


def can_edit(user: User | None, claim: Claim) -> bool:
    if user is None or not user.active or claim.deleted_at is not None:
        return False
    if is_editor(user):
        return True
    return is_author(user, claim) and claim.status in AUTHOR_EDITABLE_STATES


def require_view(user: User | None, claim: Claim | None, claim_id: int) -> Claim:
    """The claim, or NotFound: a claim one may not see is reported as absent."""
    if claim is None or not can_view(user, claim):
        raise NotFound(f"There is no claim {claim_id}.")
    return claim


def require_edit(user: User | None, claim: Claim) -> Claim:
    if not can_edit(user, claim):
        if claim.status not in AUTHOR_EDITABLE_STATES and not is_editor(user):
            raise PermissionDenied(
                "Only editors can change a claim once it has been submitted for review."
            )
        raise PermissionDenied("You can edit only your own drafts and returned claims.")
    return claim
