"""Tasks: the work a stay creates, and the task state machine.

```mermaid
stateDiagram-v2
    planned --> awaiting_approval
    planned --> hiring
    awaiting_approval --> hiring
    hiring --> awaiting_approval
    hiring --> booked
    booked --> hiring: worker cancelled / no-show
    booked --> in_progress
    booked --> done
    in_progress --> done
    hiring --> failed
    planned --> needs_host
    awaiting_approval --> needs_host
    hiring --> needs_host
    booked --> needs_host
    in_progress --> needs_host
    needs_host --> planned
    failed --> planned
    cancelled --> planned: reservation came back
```
Every open state may also go to `cancelled`. `done` is final.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from domain.errors import IllegalTransition, InvalidInput


class TaskKind(enum.StrEnum):
    CLEAN = "clean"
    CHECK_IN = "check_in"
    CHECK_OUT = "check_out"
    RESTOCK = "restock"
    INSPECTION = "inspection"
    MAINTENANCE = "maintenance"


class TaskStatus(enum.StrEnum):
    PLANNED = "planned"
    AWAITING_APPROVAL = "awaiting_approval"
    HIRING = "hiring"
    BOOKED = "booked"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"
    NEEDS_HOST = "needs_host"
    FAILED = "failed"


S = TaskStatus
OPEN_STATUSES = frozenset({S.PLANNED, S.AWAITING_APPROVAL, S.HIRING, S.BOOKED, S.IN_PROGRESS, S.NEEDS_HOST, S.FAILED})
_ALLOWED: dict[TaskStatus, frozenset[TaskStatus]] = {
    S.PLANNED: frozenset({S.AWAITING_APPROVAL, S.HIRING, S.NEEDS_HOST, S.CANCELLED}),
    S.AWAITING_APPROVAL: frozenset({S.HIRING, S.NEEDS_HOST, S.CANCELLED}),
    S.HIRING: frozenset({S.AWAITING_APPROVAL, S.BOOKED, S.NEEDS_HOST, S.FAILED, S.CANCELLED}),
    S.BOOKED: frozenset({S.HIRING, S.IN_PROGRESS, S.DONE, S.NEEDS_HOST, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.DONE, S.NEEDS_HOST, S.CANCELLED}),
    S.NEEDS_HOST: frozenset({S.PLANNED, S.HIRING, S.AWAITING_APPROVAL, S.DONE, S.CANCELLED}),
    S.FAILED: frozenset({S.PLANNED, S.CANCELLED}),
    S.CANCELLED: frozenset({S.PLANNED}),
    S.DONE: frozenset(),
}


def can_transition(current: TaskStatus, target: TaskStatus) -> bool:
    return target in _ALLOWED[current]


@dataclass(slots=True)
class Task:
    id: str
    host_id: str
    property_id: str
    kind: TaskKind
    natural_key: str  # planning twice yields the same key, so the same task
    window_start: datetime  # aware; shown in the property's timezone
    deadline: datetime
    budget: Decimal
    required_skills: tuple[str, ...]
    created_at: datetime
    reservation_id: str | None = None
    same_day_turnover: bool = False
    priority: int = 0  # higher first
    status: TaskStatus = TaskStatus.PLANNED
    status_reason: str = ""
    hire_id: str | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.window_start.tzinfo is None or self.deadline.tzinfo is None:
            raise InvalidInput("Task windows must be timezone-aware.")
        if self.deadline <= self.window_start:
            raise InvalidInput("A task's deadline must come after its earliest start.")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def transition(self, target: TaskStatus, at: datetime, reason: str = "") -> None:
        if not can_transition(self.status, target):
            raise IllegalTransition("task", self.status.value, target.value)
        self.status = target
        self.status_reason = reason
        self.updated_at = at

    def reschedule(self, window_start: datetime, deadline: datetime, at: datetime) -> bool:
        """Move the window; returns whether anything changed."""
        if (window_start, deadline) == (self.window_start, self.deadline):
            return False
        if not self.is_open:
            raise IllegalTransition("task", self.status.value, "rescheduled")
        if deadline <= window_start:
            raise InvalidInput("A task's deadline must come after its earliest start.")
        self.window_start, self.deadline, self.updated_at = window_start, deadline, at
        return True


@dataclass(frozen=True, slots=True)
class TaskPlan:
    """What the planner wants to exist: compared by natural key with the stored tasks."""

    property_id: str
    kind: TaskKind
    natural_key: str
    window_start: datetime
    deadline: datetime
    budget: Decimal
    required_skills: tuple[str, ...]
    reservation_id: str | None = None
    same_day_turnover: bool = False
    priority: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
