"""verdicts: a "corrected" event for a public claim whose wording was corrected

A published claim's text or English summary may be corrected; readers see it as a dated
entry with a note, as they see a verdict update. The event column is a VARCHAR with a CHECK
constraint (tracker/models/types.py), so the constraint is replaced; on SQLite that is done
by batch mode, which copies the table.

Revision ID: 0016_verdict_corrected
Revises: 0015_public_search_name_keys
Create Date: 2026-12-07 16:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016_verdict_corrected"
down_revision: str | None = "0015_public_search_name_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ("proposed", "published", "updated", "retracted")
AFTER = ("proposed", "published", "updated", "corrected", "retracted")


def _allow(events: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{event}'" for event in events)
    with op.batch_alter_table("verdicts") as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_verdicts_verdict_event"), type_="check")
        batch_op.create_check_constraint("verdict_event", f"event IN ({listed})")


def upgrade() -> None:
    _allow(AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM verdicts WHERE event = 'corrected'")
    _allow(BEFORE)
