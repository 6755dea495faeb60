"""Planning rules (restock, inspection, maintenance), what a feed tells about a stay, body digests.

Properties remember the local date they were last planned on. Reservations gain the guest count, event times (feeds set to honour them), whether the range was
first seen already running (a clipped start) and whether it is a block counted as a booking.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PROPERTY_INTS = ("restock_every_stays", "supplies_guest_nights", "inspection_after_vacant_days",
                  "maintenance_every_days")  # fmt: skip
_PROPERTY_BUDGETS = {"restock_budget": "60", "inspection_budget": "40", "maintenance_budget": "80"}


def upgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        batch.add_column(sa.Column("last_body_digest", sa.String(), nullable=False, server_default=""))
        batch.add_column(sa.Column("last_event_count", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("reservations") as batch:
        batch.add_column(sa.Column("guests", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("check_in_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("check_out_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("start_clipped", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("from_block", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("properties") as batch:
        for name in _PROPERTY_INTS:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=True))
        for name, default in _PROPERTY_BUDGETS.items():
            batch.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=default))
        batch.add_column(sa.Column("planned_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("properties") as batch:
        for name in ("planned_on", *_PROPERTY_BUDGETS, *_PROPERTY_INTS):
            batch.drop_column(name)
    with op.batch_alter_table("reservations") as batch:
        for name in ("from_block", "start_clipped", "check_out_at", "check_in_at", "guests"):
            batch.drop_column(name)
    with op.batch_alter_table("feeds") as batch:
        batch.drop_column("last_event_count")
        batch.drop_column("last_body_digest")
