"""narratives: merged_into_id, so that a merged narrative's public address leads on

Editors merge a narrative typed twice or misspelt into another; the merged one is deleted
softly and remembers the one it became, as a merged outlet does. A nullable column: no
server default is needed. SQLite adds the foreign key by batch mode, which copies the table.

Revision ID: 0017_narrative_merged_into
Revises: 0016_verdict_corrected
Create Date: 2026-12-07 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_narrative_merged_into"
down_revision: str | None = "0016_verdict_corrected"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("narratives") as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_narratives_merged_into_id_narratives"),
            "narratives",
            ["merged_into_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("narratives") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_narratives_merged_into_id_narratives"), type_="foreignkey"
        )
        batch_op.drop_column("merged_into_id")
