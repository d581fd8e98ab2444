"""snapshot bodies in a folder or an S3-compatible bucket: where each one went

Revision ID: 0008_snapshot_store
Revises: 0007_vectors
Create Date: 2026-12-04 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_snapshot_store"
down_revision: str | None = "0007_vectors"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("snapshots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("raw_location", sa.String(length=1024), nullable=True))


def downgrade() -> None:
    # Bodies written to a folder or bucket stay there; only the pointer to them goes.
    with op.batch_alter_table("snapshots", schema=None) as batch_op:
        batch_op.drop_column("raw_location")
