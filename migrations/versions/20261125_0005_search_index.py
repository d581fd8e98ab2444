"""full-text search index tables (SQLite FTS5 or PostgreSQL tsvector + GIN)

The tables belong to tracker.search, which creates them with dialect-specific DDL; they are
derived data (rebuilt by `tracker xref rebuild` or the demo), so downgrading drops them.

Revision ID: 0005_search
Revises: 0004_public
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_search"
down_revision: str | None = "0004_public"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The kinds as they were when this revision was written (not imported, so the migration
# keeps meaning the same thing if the engine later gains kinds).
KINDS = ("claim", "article", "figure")


def upgrade() -> None:
    from tracker.search import create_schema

    create_schema(op.get_bind(), KINDS)


def downgrade() -> None:
    from tracker.search import drop_schema

    drop_schema(op.get_bind(), KINDS)
