"""The schema, as SQLAlchemy Core tables. `migrations/versions/` must produce exactly this.

Ownership cascades on delete (host → members, properties, events, audit, conversations;
property → feeds, tasks; feed → reservations, blocks; task → hires, approvals); a task outlives
the reservation it was planned for (`reservation_id` is set to NULL), because its hires may hold money.
Nested settings that are queried (feed health, hiring policy) are flattened into columns;
member identities get their own table so that one Slack or Telegram user maps to one member.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    false,
)

from storage.types import DecimalText, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _id() -> Column[str]:
    return Column("id", String, primary_key=True)


def _ref(name: str, target: str, *, nullable: bool = False, on_delete: str = "CASCADE") -> Column[str]:
    return Column(name, String, ForeignKey(target, ondelete=on_delete), nullable=nullable)


hosts = Table(
    "hosts",
    metadata,
    _id(),
    Column("name", String, nullable=False),
    Column("timezone", String, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("monthly_cap", DecimalText, nullable=True),
)

members = Table(
    "members",
    metadata,
    _id(),
    _ref("host_id", "hosts.id"),
    Column("name", String, nullable=False),
    Column("role", String, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index(None, "host_id"),
)

member_identities = Table(
    "member_identities",
    metadata,
    Column("kind", String, primary_key=True),
    Column("value", String, primary_key=True),
    _ref("member_id", "members.id"),
    Index(None, "member_id"),
)

properties = Table(
    "properties",
    metadata,
    _id(),
    _ref("host_id", "hosts.id"),
    Column("name", String, nullable=False),
    Column("city", String, nullable=False),
    Column("timezone", String, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("address", String, nullable=False),
    Column("country", String, nullable=False),
    Column("bedrooms", Integer, nullable=False),
    Column("bathrooms", Integer, nullable=False),
    Column("max_guests", Integer, nullable=False),
    Column("check_in_time", Time, nullable=False),
    Column("check_out_time", Time, nullable=False),
    Column("cleaning_budget", DecimalText, nullable=False),
    Column("cleaning_minutes", Integer, nullable=False),
    Column("access_notes", String, nullable=False),
    Column("required_skills", JSON, nullable=False),  # {"clean": ["Cleaning"], ...}
    Column("auto_approve_limit", DecimalText, nullable=False),
    Column("monthly_budget", DecimalText, nullable=True),
    Column("min_rating", Float, nullable=False),
    Column("ack_hours", Integer, nullable=False),
    Column("check_in_tasks", Boolean, nullable=False),
    Column("check_out_tasks", Boolean, nullable=False),
    Column("restock_every_stays", Integer, nullable=True),
    Column("supplies_guest_nights", Integer, nullable=True),
    Column("inspection_after_vacant_days", Integer, nullable=True),
    Column("maintenance_every_days", Integer, nullable=True),
    Column("restock_budget", DecimalText, nullable=False, server_default="60"),
    Column("inspection_budget", DecimalText, nullable=False, server_default="40"),
    Column("maintenance_budget", DecimalText, nullable=False, server_default="80"),
    Column("planned_on", Date, nullable=True),
    Index(None, "host_id", "created_at"),
)

feeds = Table(
    "feeds",
    metadata,
    _id(),
    _ref("property_id", "properties.id"),
    Column("platform", String, nullable=False),
    Column("url", String, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("blocks_are_bookings", Boolean, nullable=False),
    Column("honour_event_times", Boolean, nullable=False),
    Column("dtend_is_last_night", Boolean, nullable=False),
    Column("last_attempt_at", UTCDateTime, nullable=True),
    Column("last_success_at", UTCDateTime, nullable=True),
    Column("last_error", String, nullable=False),
    Column("consecutive_failures", Integer, nullable=False),
    Column("last_content_hash", String, nullable=False),
    Column("next_fetch_at", UTCDateTime, nullable=True),
    Column("held_since", UTCDateTime, nullable=True),
    Column("held_count", Integer, nullable=False, server_default="0"),
    Column("held_hash", String, nullable=False, server_default=""),
    Column("stale_alerted", Boolean, nullable=False, server_default=false()),
    Column("last_body_digest", String, nullable=False, server_default=""),
    Column("last_event_count", Integer, nullable=False, server_default="0"),
    Index(None, "property_id"),
    Index(None, "next_fetch_at"),
)

feed_fetches = Table(
    "feed_fetches",
    metadata,
    _id(),
    _ref("feed_id", "feeds.id"),
    Column("at", UTCDateTime, nullable=False),
    Column("outcome", String, nullable=False),
    Column("body_sha256", String, nullable=False),
    Column("events_hash", String, nullable=False),
    Column("event_count", Integer, nullable=False),
    Column("error", String, nullable=False),
    Column("held_reason", String, nullable=False),
    Column("new", Integer, nullable=False),
    Column("changed", Integer, nullable=False),
    Column("cancelled", Integer, nullable=False),
    Column("events", JSON(none_as_null=True), nullable=True),
    Index(None, "feed_id", "at"),
)

reservations = Table(
    "reservations",
    metadata,
    _id(),
    Column("host_id", String, nullable=False),
    _ref("property_id", "properties.id"),
    _ref("feed_id", "feeds.id"),
    Column("uid", String, nullable=False),
    Column("check_in", Date, nullable=False),
    Column("check_out", Date, nullable=False),
    Column("status", String, nullable=False),
    Column("first_seen_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("code", String, nullable=True),
    Column("guest", String, nullable=False),
    Column("phone_last4", String, nullable=True),
    Column("guests", Integer, nullable=True),
    Column("check_in_at", UTCDateTime, nullable=True),
    Column("check_out_at", UTCDateTime, nullable=True),
    Column("start_clipped", Boolean, nullable=False, server_default=false()),
    Column("from_block", Boolean, nullable=False, server_default=false()),
    UniqueConstraint("feed_id", "uid"),
    Index(None, "property_id", "check_out"),
    Index(None, "host_id", "check_in"),
)

blocks = Table(
    "blocks",
    metadata,
    _id(),
    _ref("property_id", "properties.id"),
    _ref("feed_id", "feeds.id"),
    Column("uid", String, nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Column("summary", String, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("window", Boolean, nullable=False),
    UniqueConstraint("feed_id", "uid"),
    Index(None, "property_id"),
)

tasks = Table(
    "tasks",
    metadata,
    _id(),
    Column("host_id", String, nullable=False),
    _ref("property_id", "properties.id"),
    Column("kind", String, nullable=False),
    Column("natural_key", String, nullable=False),
    Column("window_start", UTCDateTime, nullable=False),
    Column("deadline", UTCDateTime, nullable=False),
    Column("budget", DecimalText, nullable=False),
    Column("required_skills", JSON, nullable=False),  # ["Cleaning", ...]
    Column("created_at", UTCDateTime, nullable=False),
    _ref("reservation_id", "reservations.id", nullable=True, on_delete="SET NULL"),
    Column("same_day_turnover", Boolean, nullable=False),
    Column("priority", Integer, nullable=False),
    Column("status", String, nullable=False),
    Column("status_reason", String, nullable=False),
    Column("hire_id", String, nullable=True),  # no FK: hires point at tasks, not both ways
    Column("updated_at", UTCDateTime, nullable=True),
    UniqueConstraint("natural_key"),
    Index(None, "property_id", "window_start"),
    Index(None, "reservation_id"),
    Index(None, "status", "window_start"),
    Index(None, "host_id", "window_start"),
)

hires = Table(
    "hires",
    metadata,
    _id(),
    Column("host_id", String, nullable=False),
    Column("property_id", String, nullable=False),
    _ref("task_id", "tasks.id"),
    Column("attempt", Integer, nullable=False),
    Column("worker_id", String, nullable=False),
    Column("worker_name", String, nullable=False),
    Column("price", DecimalText, nullable=False),
    Column("idempotency_key", String, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("status", String, nullable=False),
    Column("booking_id", String, nullable=True),
    Column("escrow_id", String, nullable=True),
    Column("bounty_id", String, nullable=True),
    Column("sandbox", Boolean, nullable=False),
    Column("history", JSON, nullable=False),  # [{"at": iso, "status": ..., "note": ...}, ...]
    Column("completed_on_time", Boolean, nullable=True),
    Column("final_cost", DecimalText, nullable=True),
    Column("completed_at", UTCDateTime, nullable=True),
    Column("evidence", JSON, nullable=False),  # ["https://...jpg", "text", ...]
    Column("no_show", Boolean, nullable=False, server_default=false()),
    Column("conversation_id", String, nullable=True),
    Column("access_sent_at", UTCDateTime, nullable=True),
    Column("request", JSON, nullable=True),  # the booking request, stored before the first send
    Column("rescheduled", Boolean, nullable=False, server_default=false()),
    Column("sends", Integer, nullable=False, server_default="0"),
    UniqueConstraint("idempotency_key"),
    Index(None, "task_id"),
    Index(None, "host_id", "created_at"),
    Index(None, "status"),
)

approvals = Table(
    "approvals",
    metadata,
    _id(),
    Column("host_id", String, nullable=False),
    Column("property_id", String, nullable=False),
    _ref("task_id", "tasks.id"),
    _ref("hire_id", "hires.id"),
    Column("amount", DecimalText, nullable=False),
    Column("reason", String, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("status", String, nullable=False),
    Column("decided_by", String, nullable=True),
    Column("decided_at", UTCDateTime, nullable=True),
    Index(None, "host_id", "status"),
    Index(None, "task_id"),
    Index(None, "hire_id"),
)

events = Table(
    "events",
    metadata,
    _id(),
    _ref("host_id", "hosts.id"),
    Column("kind", String, nullable=False),
    Column("subject_id", String, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("message", String, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("property_id", String, nullable=True),
    Column("notified_at", UTCDateTime, nullable=True),
    Index(None, "notified_at", "created_at"),
    Index(None, "host_id", "created_at"),
)

audit_log = Table(
    "audit_log",
    metadata,
    _id(),
    _ref("host_id", "hosts.id"),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String, nullable=False),
    Column("channel", String, nullable=False),
    Column("action", String, nullable=False),
    Column("arguments", JSON, nullable=False),
    Column("result", String, nullable=False),
    Index(None, "host_id", "at"),
)

conversations = Table(
    "conversations",
    metadata,
    _id(),
    _ref("host_id", "hosts.id"),
    Column("thread", String, nullable=False),
    Column("messages", Text, nullable=False),  # the agent's JSON list of model messages
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("host_id", "thread"),
)
