"""search: document frequencies in a table of their own on SQLite

Every query is planned with the document frequencies of its words. FTS5's vocabulary table
counts them by reading each word's whole posting list, which costs more the more documents
have the word; a table kept up to date on every write answers at once (PostgreSQL already
has one). `create_schema` creates it and counts the terms of the existing index once.

Revision ID: 0011_public_search_terms
Revises: 0010_desk_appearance_snapshots
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011_public_search_terms"
down_revision: str | None = "0010_desk_appearance_snapshots"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The kinds as they were when this revision was written.
KINDS = ("claim", "article", "figure")


def upgrade() -> None:
    from tracker.search import create_schema

    create_schema(op.get_bind(), KINDS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for kind in KINDS:
            op.execute(f"DROP TABLE IF EXISTS search_{kind}_terms")
