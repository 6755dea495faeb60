"""Events (the outbox notifications are derived from) and the audit log."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class EventKind(enum.StrEnum):
    RESERVATION_NEW = "reservation.new"
    RESERVATION_CHANGED = "reservation.changed"
    RESERVATION_CANCELLED = "reservation.cancelled"
    TASK_PLANNED = "task.planned"
    TASK_RESCHEDULED = "task.rescheduled"
    TASK_CANCELLED = "task.cancelled"
    TASK_NEEDS_HOST = "task.needs_host"
    HIRE_PROPOSED = "hire.proposed"
    HIRE_BOOKED = "hire.booked"
    HIRE_FAILED = "hire.failed"
    HIRE_CANCELLED = "hire.cancelled"
    HIRE_COMPLETED = "hire.completed"
    HIRE_REDISPATCHED = "hire.redispatched"  # no confirmation in time, or a no-show: someone else is sought
    HIRE_ACCESS_SENT = "hire.access_sent"  # address and access notes went to the worker privately
    APPROVAL_DECIDED = "approval.decided"
    APPROVAL_REQUESTED = "approval.requested"
    FEED_UNHEALTHY = "feed.unhealthy"
    FEED_DIFF_HELD = "feed.diff_held"
    FEED_IMPORTED = "feed.imported"
    FEED_UNCLASSIFIED = "feed.unclassified"  # events whose SUMMARY no rule knows: shown, never guessed
    FEED_REMOVED = "feed.removed"


# Recorded for the audit trail and the chat history, but not pushed to anyone's phone.
QUIET_KINDS = frozenset({EventKind.TASK_PLANNED, EventKind.HIRE_ACCESS_SENT})


@dataclass(slots=True)
class Event:
    id: str
    host_id: str
    kind: EventKind
    subject_id: str
    created_at: datetime
    message: str  # one readable line for a person
    payload: dict[str, Any] = field(default_factory=dict)
    property_id: str | None = None
    notified_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: str
    host_id: str
    at: datetime
    actor: str  # member id, "scheduler" or "agent:<member id>"
    channel: str
    action: str
    arguments: dict[str, Any] = field(default_factory=dict)
    result: str = ""
