"""Internal comments on claims (Markdown, rendered sanitised; signed-in users only)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tracker.audit import Actor, record_event
from tracker.errors import ValidationFailed
from tracker.models import Claim, Comment

COMMENT_LIMIT = 10_000


def add_comment(session: Session, claim: Claim, body: str, *, by: Actor) -> Comment:
    body = body.strip()
    if not body:
        raise ValidationFailed({"body": ["Write a comment first."]})
    if len(body) > COMMENT_LIMIT:
        raise ValidationFailed({"body": [f"Keep comments under {COMMENT_LIMIT:,} characters."]})
    comment = Comment(claim_id=claim.id, author_id=by.user_id, body=body)
    session.add(comment)
    session.flush()
    record_event(
        session,
        "comment",
        "claim",
        claim.id,
        by=by,
        after={"comment_id": comment.id, "body": body[:500]},
    )
    return comment
