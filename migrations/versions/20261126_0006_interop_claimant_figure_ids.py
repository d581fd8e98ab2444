"""claimants on claims, external ids on figures (imports)

Revision ID: 0006_interop
Revises: 0005_search
Create Date: 2026-11-26 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_interop"
down_revision: str | None = "0005_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimant", sa.String(length=500), nullable=True))
    with op.batch_alter_table("figures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("external_id", sa.String(length=500), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_figures_external_id"), ["external_id"])


def downgrade() -> None:
    with op.batch_alter_table("figures", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_figures_external_id"), type_="unique")
        batch_op.drop_column("external_id")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("claimant")
