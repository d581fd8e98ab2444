"""The internal comments of a dumped claim, written back with their times and authors."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tracker.audit import Actor, record_event
from tracker.interop.records import CommentRecord
from tracker.models import Claim, Comment


def restore_comments(
    session: Session,
    claim: Claim,
    comments: tuple[CommentRecord, ...],
    users: dict[str, int | None],
    *,
    by: Actor,
) -> int:
    """Add COMMENTS to a claim the import just created; USERS maps emails to accounts.

    An author without an account here is named at the top of their comment, so that who
    said it is not lost. One audit event records the import of them all.
    """
    for item in comments:
        author_id = users.get(item.by) if item.by else None
        body = item.body
        if item.by and author_id is None:
            body = f"{item.by} wrote:\n\n{body}"
        session.add(
            Comment(
                claim_id=claim.id,
                author_id=author_id,
                body=body,
                workflow_action=item.workflow_action,
                created_at=item.at,
            )
        )
    if comments:
        session.flush()
        record_event(
            session,
            "comment",
            "claim",
            claim.id,
            by=by,
            after={"imported_comments": len(comments)},
        )
    return len(comments)
