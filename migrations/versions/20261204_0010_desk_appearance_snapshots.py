"""every capture of an appearance's link, so a failed re-fetch never hides a good copy

Revision ID: 0010_desk_appearance_snapshots
Revises: 0009_review_audit_append_only
Create Date: 2026-12-04 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_desk_appearance_snapshots"
down_revision: str | None = "0009_review_audit_append_only"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "appearance_snapshots",
        sa.Column("appearance_id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["appearance_id"],
            ["appearances.id"],
            name=op.f("fk_appearance_snapshots_appearance_id_appearances"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshots.id"],
            name=op.f("fk_appearance_snapshots_snapshot_id_snapshots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "appearance_id", "snapshot_id", name=op.f("pk_appearance_snapshots")
        ),
    )
    # The snapshot each appearance points at today is the first entry of its history.
    op.execute(
        "INSERT INTO appearance_snapshots (appearance_id, snapshot_id, added_at) "
        "SELECT id, snapshot_id, created_at FROM appearances WHERE snapshot_id IS NOT NULL"
    )


def downgrade() -> None:
    # Appearances keep pointing at their best snapshot; only the list of attempts goes.
    op.drop_table("appearance_snapshots")
