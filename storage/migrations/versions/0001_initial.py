"""The initial schema: every table of storage/tables.py.

Plain SQLAlchemy types on purpose (a migration must not change when storage.types does):
UTCDateTime is DateTime(timezone=True), DecimalText is Text.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "hosts",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("timezone", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("monthly_cap", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hosts")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("host_id", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("arguments", sa.JSON(), nullable=False),
        sa.Column("result", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["host_id"], ["hosts.id"], name=op.f("fk_audit_log_host_id_hosts"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_host_id_at"), "audit_log", ["host_id", "at"])

    op.create_table(
        "events",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("host_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("subject_id", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message", sa.String(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("property_id", sa.String(), nullable=True),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["host_id"], ["hosts.id"], name=op.f("fk_events_host_id_hosts"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index(op.f("ix_events_host_id_created_at"), "events", ["host_id", "created_at"])
    op.create_index(op.f("ix_events_notified_at_created_at"), "events", ["notified_at", "created_at"])

    op.create_table(
        "members",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("host_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["host_id"], ["hosts.id"], name=op.f("fk_members_host_id_hosts"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
    )
    op.create_index(op.f("ix_members_host_id"), "members", ["host_id"])

    op.create_table(
        "properties",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("host_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("city", sa.String(), nullable=False),
        sa.Column("timezone", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("country", sa.String(), nullable=False),
        sa.Column("bedrooms", sa.Integer(), nullable=False),
        sa.Column("bathrooms", sa.Integer(), nullable=False),
        sa.Column("max_guests", sa.Integer(), nullable=False),
        sa.Column("check_in_time", sa.Time(), nullable=False),
        sa.Column("check_out_time", sa.Time(), nullable=False),
        sa.Column("cleaning_budget", sa.Text(), nullable=False),
        sa.Column("cleaning_minutes", sa.Integer(), nullable=False),
        sa.Column("access_notes", sa.String(), nullable=False),
        sa.Column("required_skills", sa.JSON(), nullable=False),
        sa.Column("auto_approve_limit", sa.Text(), nullable=False),
        sa.Column("monthly_budget", sa.Text(), nullable=True),
        sa.Column("min_rating", sa.Float(), nullable=False),
        sa.Column("ack_hours", sa.Integer(), nullable=False),
        sa.Column("check_in_tasks", sa.Boolean(), nullable=False),
        sa.Column("check_out_tasks", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_id"], ["hosts.id"], name=op.f("fk_properties_host_id_hosts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_properties")),
    )
    op.create_index(op.f("ix_properties_host_id_created_at"), "properties", ["host_id", "created_at"])

    op.create_table(
        "feeds",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("property_id", sa.String(), nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocks_are_bookings", sa.Boolean(), nullable=False),
        sa.Column("honour_event_times", sa.Boolean(), nullable=False),
        sa.Column("dtend_is_last_night", sa.Boolean(), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("last_content_hash", sa.String(), nullable=False),
        sa.Column("next_fetch_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["property_id"], ["properties.id"], name=op.f("fk_feeds_property_id_properties"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feeds")),
    )
    op.create_index(op.f("ix_feeds_next_fetch_at"), "feeds", ["next_fetch_at"])
    op.create_index(op.f("ix_feeds_property_id"), "feeds", ["property_id"])

    op.create_table(
        "member_identities",
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("member_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_member_identities_member_id_members"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("kind", "value", name=op.f("pk_member_identities")),
    )
    op.create_index(op.f("ix_member_identities_member_id"), "member_identities", ["member_id"])

    op.create_table(
        "blocks",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("property_id", sa.String(), nullable=False),
        sa.Column("feed_id", sa.String(), nullable=False),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["feed_id"], ["feeds.id"], name=op.f("fk_blocks_feed_id_feeds"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["property_id"], ["properties.id"], name=op.f("fk_blocks_property_id_properties"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blocks")),
        sa.UniqueConstraint("feed_id", "uid", name=op.f("uq_blocks_feed_id_uid")),
    )
    op.create_index(op.f("ix_blocks_property_id"), "blocks", ["property_id"])

    op.create_table(
        "reservations",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("host_id", sa.String(), nullable=False),
        sa.Column("property_id", sa.String(), nullable=False),
        sa.Column("feed_id", sa.String(), nullable=False),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column("check_in", sa.Date(), nullable=False),
        sa.Column("check_out", sa.Date(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("code", sa.String(), nullable=True),
        sa.Column("guest", sa.String(), nullable=False),
        sa.Column("phone_last4", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["feeds.id"], name=op.f("fk_reservations_feed_id_feeds"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["property_id"], ["properties.id"], name=op.f("fk_reservations_property_id_properties"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reservations")),
        sa.UniqueConstraint("feed_id", "uid", name=op.f("uq_reservations_feed_id_uid")),
    )
    op.create_index(op.f("ix_reservations_host_id_check_in"), "reservations", ["host_id", "check_in"])
    op.create_index(op.f("ix_reservations_property_id_check_out"), "reservations", ["property_id", "check_out"])

    op.create_table(
        "tasks",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("host_id", sa.String(), nullable=False),
        sa.Column("property_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("natural_key", sa.String(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("budget", sa.Text(), nullable=False),
        sa.Column("required_skills", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reservation_id", sa.String(), nullable=True),
        sa.Column("same_day_turnover", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("status_reason", sa.String(), nullable=False),
        sa.Column("hire_id", sa.String(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["property_id"], ["properties.id"], name=op.f("fk_tasks_property_id_properties"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reservation_id"],
            ["reservations.id"],
            name=op.f("fk_tasks_reservation_id_reservations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
        sa.UniqueConstraint("natural_key", name=op.f("uq_tasks_natural_key")),
    )
    op.create_index(op.f("ix_tasks_host_id_window_start"), "tasks", ["host_id", "window_start"])
    op.create_index(op.f("ix_tasks_property_id_window_start"), "tasks", ["property_id", "window_start"])
    op.create_index(op.f("ix_tasks_reservation_id"), "tasks", ["reservation_id"])
    op.create_index(op.f("ix_tasks_status_window_start"), "tasks", ["status", "window_start"])

    op.create_table(
        "hires",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("host_id", sa.String(), nullable=False),
        sa.Column("property_id", sa.String(), nullable=False),
        sa.Column("task_id", sa.String(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.String(), nullable=False),
        sa.Column("worker_name", sa.String(), nullable=False),
        sa.Column("price", sa.Text(), nullable=False),
        sa.Column("idempotency_key", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("booking_id", sa.String(), nullable=True),
        sa.Column("escrow_id", sa.String(), nullable=True),
        sa.Column("bounty_id", sa.String(), nullable=True),
        sa.Column("sandbox", sa.Boolean(), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("completed_on_time", sa.Boolean(), nullable=True),
        sa.Column("final_cost", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_hires_task_id_tasks"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hires")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_hires_idempotency_key")),
    )
    op.create_index(op.f("ix_hires_host_id_created_at"), "hires", ["host_id", "created_at"])
    op.create_index(op.f("ix_hires_task_id"), "hires", ["task_id"])

    op.create_table(
        "approvals",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("host_id", sa.String(), nullable=False),
        sa.Column("property_id", sa.String(), nullable=False),
        sa.Column("task_id", sa.String(), nullable=False),
        sa.Column("hire_id", sa.String(), nullable=False),
        sa.Column("amount", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["hire_id"], ["hires.id"], name=op.f("fk_approvals_hire_id_hires"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_approvals_task_id_tasks"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approvals")),
    )
    op.create_index(op.f("ix_approvals_hire_id"), "approvals", ["hire_id"])
    op.create_index(op.f("ix_approvals_host_id_status"), "approvals", ["host_id", "status"])
    op.create_index(op.f("ix_approvals_task_id"), "approvals", ["task_id"])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f("ix_approvals_task_id"), table_name="approvals")
    op.drop_index(op.f("ix_approvals_host_id_status"), table_name="approvals")
    op.drop_index(op.f("ix_approvals_hire_id"), table_name="approvals")

    op.drop_table("approvals")
    op.drop_index(op.f("ix_hires_task_id"), table_name="hires")
    op.drop_index(op.f("ix_hires_host_id_created_at"), table_name="hires")

    op.drop_table("hires")
    op.drop_index(op.f("ix_tasks_status_window_start"), table_name="tasks")
    op.drop_index(op.f("ix_tasks_reservation_id"), table_name="tasks")
    op.drop_index(op.f("ix_tasks_property_id_window_start"), table_name="tasks")
    op.drop_index(op.f("ix_tasks_host_id_window_start"), table_name="tasks")

    op.drop_table("tasks")
    op.drop_index(op.f("ix_reservations_property_id_check_out"), table_name="reservations")
    op.drop_index(op.f("ix_reservations_host_id_check_in"), table_name="reservations")

    op.drop_table("reservations")
    op.drop_index(op.f("ix_blocks_property_id"), table_name="blocks")

    op.drop_table("blocks")
    op.drop_index(op.f("ix_member_identities_member_id"), table_name="member_identities")

    op.drop_table("member_identities")
    op.drop_index(op.f("ix_feeds_property_id"), table_name="feeds")
    op.drop_index(op.f("ix_feeds_next_fetch_at"), table_name="feeds")

    op.drop_table("feeds")
    op.drop_index(op.f("ix_properties_host_id_created_at"), table_name="properties")

    op.drop_table("properties")
    op.drop_index(op.f("ix_members_host_id"), table_name="members")

    op.drop_table("members")
    op.drop_index(op.f("ix_events_notified_at_created_at"), table_name="events")
    op.drop_index(op.f("ix_events_host_id_created_at"), table_name="events")

    op.drop_table("events")
    op.drop_index(op.f("ix_audit_log_host_id_at"), table_name="audit_log")

    op.drop_table("audit_log")
    op.drop_table("hosts")
