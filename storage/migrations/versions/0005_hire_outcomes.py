"""Hire outcomes and private access: when the work was finished, its evidence, no-shows, the conversation;
the booking request stored before the first send, and whether the hire ended because its task moved;
hires are looked up by status for tracking.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("hires") as batch:
        batch.add_column(sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("evidence", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("no_show", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("conversation_id", sa.String(), nullable=True))
        batch.add_column(sa.Column("access_sent_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("request", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("rescheduled", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("sends", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_hires_status", "hires", ["status"])


def downgrade() -> None:
    op.drop_index("ix_hires_status", "hires")
    with op.batch_alter_table("hires") as batch:
        for name in ("sends", "rescheduled", "request", "access_sent_at", "conversation_id", "no_show", "evidence",
                     "completed_at"):  # fmt: skip
            batch.drop_column(name)
