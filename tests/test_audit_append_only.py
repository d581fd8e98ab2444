"""Audit events are append-only: the database refuses UPDATE and DELETE (triggers from
migration 0009_review_audit_append_only), and no code of the app issues either."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from tests.factories import make_user
from tracker.audit import Actor, record_event
from tracker.models import AuditEvent

TRACKER = Path(__file__).resolve().parent.parent / "tracker"


@pytest.fixture
def event(db) -> AuditEvent:
    recorded = record_event(db, "create", "claim", 1, by=Actor(make_user(db)), detail="kept")
    db.commit()
    return recorded


def test_the_database_refuses_to_update_an_audit_event(db, event):
    with pytest.raises(DBAPIError, match="append-only"):
        db.execute(update(AuditEvent).values(detail="rewritten"))
    db.rollback()
    assert db.scalar(select(AuditEvent.detail)) == "kept"


def test_the_database_refuses_a_change_made_through_the_orm(db, event):
    event.detail = "rewritten"
    with pytest.raises(DBAPIError, match="append-only"):
        db.commit()
    db.rollback()
    assert db.scalar(select(AuditEvent.detail)) == "kept"


def test_the_database_refuses_to_delete_an_audit_event(db, event):
    with pytest.raises(DBAPIError, match="append-only"):
        db.execute(delete(AuditEvent))
    db.rollback()
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == 1


def test_raw_sql_cannot_delete_audit_events_either(db, event):
    with pytest.raises(DBAPIError, match="append-only"):
        db.execute(text("DELETE FROM audit_events"))
    db.rollback()
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == 1


def test_new_events_can_still_be_appended(db, event):
    record_event(db, "update", "claim", 1, by=Actor(None))
    db.commit()
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == 2


def test_the_test_clean_up_still_empties_the_table(app, database, db, event):
    """PostgreSQL tests are cleaned with TRUNCATE, which row triggers do not stop."""
    if database.backend != "postgresql":
        pytest.skip("SQLite test databases are throwaway copies; nothing is cleaned")
    db.close()
    with app.app_context():
        from tracker.extensions import db as extension

        database.clean(extension.engine)
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_a_restore_replaces_audit_events_written_after_the_backup(app, db, event, tmp_path):
    """`tracker restore` brings the trail back to the backup's, triggers or not."""
    from tracker.backup import backup, restore
    from tracker.database import make_engine

    db.close()
    engine = make_engine(app.config["DATABASE_URL"])
    path = tmp_path / "backup.db"
    backup(engine, path)
    record_event(db, "update", "claim", 1, by=Actor(None))
    db.commit()
    db.close()
    restored = restore(engine, path)
    engine.dispose()
    assert restored["audit_events"].rows == 1
    # The backup's trail, then the restore's own event; the later "update" is gone.
    trail = db.execute(select(AuditEvent.action, AuditEvent.detail).order_by(AuditEvent.id)).all()
    assert [action for action, _ in trail] == ["create", "restore"]
    assert trail[0].detail == "kept" and "backup=backup.db" in trail[1].detail
    record_event(db, "update", "claim", 1, by=Actor(None))
    db.commit()  # still append-only after the restore, and appending still works
    with pytest.raises(DBAPIError, match="append-only"):
        db.execute(delete(AuditEvent))
    db.rollback()


# --- no code changes or deletes audit events --------------------------------------------------

SQL_WRITE = re.compile(r"\b(UPDATE\s+\"?audit_events|DELETE\s+FROM\s+\"?audit_events)", re.I)


def _offences(source: str) -> list[str]:
    found = [match.group(0) for match in SQL_WRITE.finditer(source)]
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        names_audit = any(
            getattr(arg, "id", None) == "AuditEvent" or getattr(arg, "attr", None) == "AuditEvent"
            for arg in node.args
        )
        if name in {"update", "delete"} and names_audit:
            found.append(ast.unparse(node))
    return found


def test_the_offence_finder_finds_updates_and_deletes():
    source = (
        "session.execute(update(AuditEvent).values(x=1))\n"
        "session.execute(sa.delete(models.AuditEvent))\n"
        "session.execute(text('DELETE FROM audit_events'))\n"
    )
    assert len(_offences(source)) == 3
    assert _offences("session.execute(select(AuditEvent))") == []


def test_no_code_updates_or_deletes_audit_events():
    offences = {
        str(path.relative_to(TRACKER)): found
        for path in sorted(TRACKER.rglob("*.py"))
        if (found := _offences(path.read_text(encoding="utf-8")))
    }
    assert offences == {}
