"""Taking a debunk article or a figure off the public site, and putting it back.

Only editors may: an article or figure recorded by mistake (or while trying the desk) was
public for good before. Withdrawing keeps the record and its links, hides it from the public
site, the API, search and matching, and is audited; restoring undoes it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from tracker.audit import Actor, json_value, record_event
from tracker.errors import PermissionDenied
from tracker.models import Article, Figure, utcnow
from tracker.services.indexing import reindex
from tracker.services.permissions import is_editor

NAMES = {"article": "debunk article", "figure": "figure"}


def kind_of(record: Article | Figure) -> str:
    """The record's kind as the audit trail and the search index name it."""
    return "article" if isinstance(record, Article) else "figure"


def _set(session: Session, record: Article | Figure, withdrawn: bool, *, by: Actor) -> bool:
    """Withdraw or restore RECORD; whether anything changed."""
    kind = kind_of(record)
    if not is_editor(by.user):
        raise PermissionDenied(f"Only editors can withdraw or restore a {NAMES[kind]}.")
    if (record.deleted_at is not None) == withdrawn:
        return False
    before = {"deleted_at": json_value(record.deleted_at)}
    record.deleted_at = utcnow() if withdrawn else None
    session.flush()
    action = "withdraw" if withdrawn else "restore"
    after = {"deleted_at": json_value(record.deleted_at)}
    record_event(session, action, kind, record.id, by=by, before=before, after=after)
    reindex(session, kind, [record.id])
    return True


def withdraw(session: Session, record: Article | Figure, *, by: Actor) -> bool:
    return _set(session, record, True, by=by)


def restore(session: Session, record: Article | Figure, *, by: Actor) -> bool:
    return _set(session, record, False, by=by)
