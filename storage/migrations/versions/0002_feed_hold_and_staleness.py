"""Feed health: the held-diff confirmation count and the staleness alert flag.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        batch.add_column(sa.Column("held_since", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("held_count", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("held_hash", sa.String(), nullable=False, server_default=""))
        batch.add_column(sa.Column("stale_alerted", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        for column in ("stale_alerted", "held_hash", "held_count", "held_since"):
            batch.drop_column(column)
