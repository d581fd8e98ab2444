"""The editorial workflow: every status change of a claim, enforced in one place.

    draft ──submit──▶ in_review ──publish──▶ published ──retract──▶ retracted
                        │   ▲                   │
                  return│   │submit             └─update_verdict (a dated public update)
                        ▼   │
                      returned

Analysts submit their own drafts; editors take every other transition. With "four eyes" on,
an editor may not publish a claim they wrote unless they are the only active editor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.audit import Actor, record_denial, record_event, values_of
from tracker.errors import InvalidTransition, PermissionDenied, ValidationFailed
from tracker.models import (
    Claim,
    ClaimStatus,
    Comment,
    Rating,
    Role,
    User,
    Verdict,
    VerdictEvent,
    utcnow,
)
from tracker.models.claim import RATIONALE_LIMIT
from tracker.services.indexing import reindex_claims


class Action(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    PUBLISH = "publish"
    RETRACT = "retract"
    UPDATE_VERDICT = "update_verdict"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[ClaimStatus]
    target: ClaimStatus
    role: Role
    label: str
    done: str  # what the desk says once it is done
    author_only: bool = False


TRANSITIONS: dict[Action, Transition] = {
    Action.SUBMIT: Transition(
        frozenset({ClaimStatus.DRAFT, ClaimStatus.RETURNED}), ClaimStatus.IN_REVIEW,
        Role.ANALYST, "Submit for review", "Submitted for review.", author_only=True,
    ),
    Action.RETURN: Transition(
        frozenset({ClaimStatus.IN_REVIEW}), ClaimStatus.RETURNED, Role.EDITOR,
        "Return to the analyst", "Returned to the analyst.",
    ),
    Action.PUBLISH: Transition(
        frozenset({ClaimStatus.IN_REVIEW}), ClaimStatus.PUBLISHED, Role.EDITOR, "Publish",
        "Published: the claim is on the public site.",
    ),
    Action.RETRACT: Transition(
        frozenset({ClaimStatus.PUBLISHED}), ClaimStatus.RETRACTED, Role.EDITOR, "Retract",
        "Retracted: the public page shows the correction note.",
    ),
    Action.UPDATE_VERDICT: Transition(
        frozenset({ClaimStatus.PUBLISHED}), ClaimStatus.PUBLISHED, Role.EDITOR,
        "Publish an updated verdict", "The updated verdict is published.",
    ),
}  # fmt: skip


def _active_editors(session: Session) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.active, User.role.in_([Role.EDITOR, Role.ADMIN]))
        )
        or 0
    )


def refusal(
    session: Session, claim: Claim, action: Action, user: User | None, *, four_eyes: bool = True
) -> str | None:
    """Why `user` may not take `action` on `claim` now, or None when they may."""
    transition = TRANSITIONS[action]
    if claim.deleted_at is not None:
        return "This claim is deleted; restore it first."
    if claim.status not in transition.sources:
        allowed = ", ".join(sorted(s.value for s in transition.sources))
        current = claim.status.value.replace("_", " ")
        return (
            f"“{transition.label}” is not possible for a claim that is {current} "
            f"(only from: {allowed})."
        )
    if user is None or not user.has_role(transition.role):
        return f"Only {transition.role.value}s may do this: {transition.label.lower()}."
    if transition.author_only and claim.created_by_id != user.id:
        return "Only the analyst who wrote this claim can submit it for review."
    if action == Action.PUBLISH:
        if not_ready := _not_ready(claim, action):
            return not_ready
        if four_eyes and claim.created_by_id == user.id and _active_editors(session) > 1:
            return "Four eyes: another editor must publish a claim you wrote yourself."
    return None


def _not_ready(claim: Claim, action: Action) -> str | None:
    """What the claim itself still lacks for ACTION: a step not possible yet (a 409 in the
    API), not one this user may not take (a 403)."""
    if action == Action.PUBLISH and (claim.rating is None or not (claim.rationale or "").strip()):
        return "A claim needs a verdict and a rationale before it can be published."
    return None


def available_actions(
    session: Session, claim: Claim, user: User | None, *, four_eyes: bool = True
) -> list[Action]:
    return [a for a in TRANSITIONS if refusal(session, claim, a, user, four_eyes=four_eyes) is None]


def blocked_actions(
    session: Session, claim: Claim, user: User | None, *, four_eyes: bool = True
) -> dict[Action, str]:
    """The steps this user could take on the claim in its state but not yet, and why
    ("needs a verdict and a rationale"): without them a missing Publish button said nothing."""
    blocked = {}
    for action, transition in TRANSITIONS.items():
        if claim.status not in transition.sources or user is None:
            continue
        if not user.has_role(transition.role) or claim.deleted_at is not None:
            continue
        if transition.author_only and claim.created_by_id != user.id:
            continue
        reason = refusal(session, claim, action, user, four_eyes=four_eyes)
        if reason is not None:
            blocked[action] = reason
    return blocked


def required_text(text: str | None, field: str, message: str) -> str:
    """TEXT stripped; refused with MESSAGE on FIELD when empty, or when over the limit."""
    text = (text or "").strip()
    if not text:
        raise ValidationFailed({field: [message]})
    if len(text) > RATIONALE_LIMIT:
        raise ValidationFailed({field: [f"Keep this under {RATIONALE_LIMIT:,} characters."]})
    return text


def record_verdict(
    session: Session,
    claim: Claim,
    event: VerdictEvent,
    by_id: int | None,
    at: datetime,
    note: str | None = None,
) -> None:
    """Add to the claim's verdict history its rating and rationale as they now stand."""
    session.add(
        Verdict(
            claim_id=claim.id,
            rating=claim.rating,
            rationale=claim.rationale,
            event=event,
            note=note,
            by_id=by_id,
            at=at,
        )
    )


def apply(
    session: Session,
    claim: Claim,
    action: Action,
    *,
    by: Actor,
    comment: str | None = None,
    note: str | None = None,
    rating: Rating | None = None,
    rationale: str | None = None,
    four_eyes: bool = True,
) -> Claim:
    """Take one workflow step; raise PermissionDenied or InvalidTransition with the reason.

    - return: `comment` (for the analyst) is required;
    - retract: `note` (a public correction note) is required;
    - update_verdict: the new `rating`, `rationale` and a public `note` are required.
    """
    reason = refusal(session, claim, action, by.user, four_eyes=four_eyes)
    if reason is not None:
        transition = TRANSITIONS[action]
        if (
            claim.status not in transition.sources
            or claim.deleted_at is not None
            or _not_ready(claim, action)
        ):
            raise InvalidTransition(reason)
        raise PermissionDenied(reason)
    before = _state(claim)
    now = utcnow()
    transition = TRANSITIONS[action]
    texts: dict[str, str] = {}  # the step's own words, kept whole in the audit event

    # One step is one new version: the queries below must not flush half of it (what came
    # before the step, such as the edit of "Save and submit", is flushed first).
    session.flush()
    with session.no_autoflush:
        if action == Action.SUBMIT:
            claim.submitted_at = now
            if claim.rating is not None and _is_new_proposal(session, claim):
                record_verdict(session, claim, VerdictEvent.PROPOSED, by.user_id, now)
        elif action == Action.RETURN:
            body = required_text(comment, "comment", "Say what the analyst should change.")
            texts["comment"] = body
            session.add(
                Comment(
                    claim_id=claim.id,
                    author_id=by.user_id,
                    body=body,
                    workflow_action="returned",
                    created_at=now,
                )
            )
        elif action == Action.PUBLISH:
            claim.published_at = claim.published_at or now
            record_verdict(session, claim, VerdictEvent.PUBLISHED, by.user_id, now)
        elif action == Action.RETRACT:
            text = required_text(note, "note", "A retraction needs a public correction note.")
            claim.correction_note = text
            texts["note"] = text
            record_verdict(session, claim, VerdictEvent.RETRACTED, by.user_id, now, note=text)
        elif action == Action.UPDATE_VERDICT:
            if rating is None:
                raise ValidationFailed({"rating": ["Choose the new verdict."]})
            new_rationale = required_text(rationale, "rationale", "Explain the new verdict.")
            text = required_text(note, "note", "Say publicly what changed and why.")
            texts["note"] = text
            if rating == claim.rating and new_rationale == (claim.rationale or ""):
                raise ValidationFailed({"rating": ["The verdict and rationale are unchanged."]})
            claim.rating, claim.rationale = rating, new_rationale
            record_verdict(session, claim, VerdictEvent.UPDATED, by.user_id, now, note=text)

        claim.status = transition.target
        claim.updated_by_id = by.user_id
        claim.updated_at = now
    session.flush()
    old, new = _audit_values(before, _state(claim))
    if action == Action.UPDATE_VERDICT:  # the rationale is part of the search document
        reindex_claims(session, [claim.id])
    record_event(
        session,
        action.value,
        "claim",
        claim.id,
        by=by,
        before=old,
        after={**new, **texts},
        detail=texts.get("comment") or texts.get("note"),
    )
    return claim


# Always in a workflow event's before/after; the other state fields only when they changed.
ALWAYS_SHOWN = ("status", "rating")
STATE_FIELDS = [*ALWAYS_SHOWN, "rationale", "published_at", "correction_note"]


def _state(claim: Claim) -> dict[str, Any]:
    return values_of(claim, STATE_FIELDS)


def _audit_values(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [k for k in STATE_FIELDS if k in ALWAYS_SHOWN or before[k] != after[k]]
    return {k: before[k] for k in keys}, {k: after[k] for k in keys}


def _is_new_proposal(session: Session, claim: Claim) -> bool:
    """Whether the claim's verdict differs from the last one in its history (a resubmission
    without a change of verdict proposes nothing new)."""
    last = session.scalars(
        select(Verdict)
        .where(Verdict.claim_id == claim.id)
        .order_by(Verdict.at.desc(), Verdict.id.desc())
        .limit(1)
    ).first()
    return last is None or (last.rating, last.rationale) != (claim.rating, claim.rationale)


def record_refusal(session: Session, claim_id: int, action: str, reason: str, *, by: Actor) -> None:
    """The audit entry for a refused step (written after the refused change is rolled back)."""
    record_denial(session, "claim", claim_id, action, reason, by=by)


def assign(session: Session, claim: Claim, assignee: User | None, *, by: Actor) -> Claim:
    """Assign a claim in review to an editor (or clear the assignment)."""
    if by.user is None or not by.user.has_role(Role.EDITOR):
        raise PermissionDenied("Only editors can assign reviews.")
    in_review = claim.status == ClaimStatus.IN_REVIEW and claim.deleted_at is None
    if assignee is not None and not in_review:
        raise InvalidTransition("Only claims in review can be assigned to an editor.")
    if assignee is not None and not assignee.has_role(Role.EDITOR):
        raise ValidationFailed({"assignee": [f"{assignee.name} is not an editor."]})
    set_assignee(session, claim, assignee.id if assignee else None, by=by)
    return claim


def set_assignee(
    session: Session, claim: Claim, assignee_id: int | None, *, by: Actor, why: str | None = None
) -> None:
    """Change who reviews the claim, with its audit event (the rules are the caller's)."""
    before = {"assignee_id": claim.assignee_id}
    claim.assignee_id = assignee_id
    after = {"assignee_id": assignee_id}
    record_event(session, "assign", "claim", claim.id, by=by, before=before, after=after,
                 detail=why)  # fmt: skip
