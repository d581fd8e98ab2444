"""stored sentence vectors

Revision ID: 0007_vectors
Revises: 0006_interop
Create Date: 2026-11-25 11:37:29.821902
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_vectors"
down_revision: str | None = "0006_interop"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "vectors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_type", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=120), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=True),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vectors")),
        sa.UniqueConstraint(
            "entity_type", "entity_id", name=op.f("uq_vectors_entity_type_entity_id")
        ),
    )
    with op.batch_alter_table("vectors", schema=None) as batch_op:
        batch_op.create_index(
            "ix_vectors_entity_type_updated_at", ["entity_type", "updated_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("vectors", schema=None) as batch_op:
        batch_op.drop_index("ix_vectors_entity_type_updated_at")

    op.drop_table("vectors")
