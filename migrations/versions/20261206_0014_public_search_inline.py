"""search: keep each document's tsvector in its row on PostgreSQL

A claim's tsvector is about 2 KB compressed, so PostgreSQL's default storage (EXTENDED) put a
third of them in the TOAST table, and ranking the 5,000 newest matches of a common word
fetched them from there one by one. With STORAGE MAIN they stay in the row whenever the row
fits in a page (tracker/search/postgres.py, TSV_STORAGE).

A storage setting only applies to values written after it, so each table is written again:
copied aside, emptied, set, filled back, and its GIN index built anew (an UPDATE of every row
would update the GIN index row by row: 80 s for 100,000 claims, against seconds this way).
SQLite has nothing to do.

Revision ID: 0014_public_search_inline
Revises: 0013_interop_rating_mapping
Create Date: 2026-12-06 06:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014_public_search_inline"
down_revision: str | None = "0013_interop_rating_mapping"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The kinds as they were when this revision was written.
KINDS = ("claim", "article", "figure")


def _rewrite_with_storage(storage: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # Table names come from KINDS above, never from input.
    for kind in KINDS:
        name = f"search_{kind}"
        op.execute(f"CREATE TEMPORARY TABLE rewrite_{kind} AS SELECT * FROM {name}")  # noqa: S608
        op.execute(f"DROP INDEX IF EXISTS ix_{name}_tsv")
        op.execute(f"TRUNCATE {name}")
        op.execute(f"ALTER TABLE {name} ALTER COLUMN tsv SET STORAGE {storage}")
        op.execute(f"INSERT INTO {name} SELECT * FROM rewrite_{kind}")  # noqa: S608
        op.execute(f"DROP TABLE rewrite_{kind}")
        op.execute(f"CREATE INDEX ix_{name}_tsv ON {name} USING gin (tsv)")
        op.execute(f"ANALYZE {name}")


def upgrade() -> None:
    _rewrite_with_storage("MAIN")


def downgrade() -> None:
    _rewrite_with_storage("EXTENDED")
