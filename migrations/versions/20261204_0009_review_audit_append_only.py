"""audit events are append-only in the database itself: UPDATE and DELETE raise

Revision ID: 0009_review_audit_append_only
Revises: 0008_snapshot_store
Create Date: 2026-12-04 17:30:00

Row triggers refuse every UPDATE and DELETE of audit_events, whoever issues them (the app,
a script, a psql session), so the trail cannot be edited quietly. What still works:
- INSERT (the app's only write);
- PostgreSQL TRUNCATE (the test suite's clean-up) and DROP TABLE: row triggers do not fire;
- `tracker restore`: SQLite copies pages with the backup API and pg_restore drops and
  recreates the table (with these triggers, which pg_dump keeps);
- downgrading past this revision, which drops the triggers.
A later migration that rebuilds audit_events with SQLite batch mode ("move and copy") loses
these triggers with the old table and must create them again.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009_review_audit_append_only"
down_revision: str | None = "0008_snapshot_store"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "audit_events is append-only"

SQLITE_UP = [
    f"""
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: rows cannot be changed'); END
    """,
    f"""
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: rows cannot be deleted'); END
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_events_no_delete",
    "DROP TRIGGER IF EXISTS audit_events_no_update",
]

POSTGRESQL_UP = [
    f"""
    CREATE FUNCTION audit_events_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % is not allowed', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
    """,
]
POSTGRESQL_DOWN = [
    "DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events",
    "DROP FUNCTION IF EXISTS audit_events_append_only()",
]


def _run(statements: dict[str, list[str]]) -> None:
    dialect = op.get_bind().dialect.name
    if dialect not in statements:
        raise NotImplementedError(f"No append-only triggers for {dialect} databases.")
    for statement in statements[dialect]:
        op.execute(statement)


def upgrade() -> None:
    _run({"sqlite": SQLITE_UP, "postgresql": POSTGRESQL_UP})


def downgrade() -> None:
    _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRESQL_DOWN})
