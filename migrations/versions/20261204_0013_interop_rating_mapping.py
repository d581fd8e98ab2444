"""articles keep how another organisation's rating was put on our scale

Revision ID: 0013_interop_rating_mapping
Revises: 0012_public_search_reindex
Create Date: 2026-12-04 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_interop_rating_mapping"
down_revision: str | None = "0012_public_search_reindex"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Both empty for existing articles: their mapping was only written in a comment.
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rating_rule", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("rating_confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Batch mode would copy and drop the table, which the foreign keys of the links to
        # articles refuse once there are links; SQLite (3.35+) drops a plain column itself.
        op.execute("ALTER TABLE articles DROP COLUMN rating_confidence")
        op.execute("ALTER TABLE articles DROP COLUMN rating_rule")
        return
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("rating_confidence")
        batch_op.drop_column("rating_rule")
