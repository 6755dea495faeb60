"""Hires: the marketplace side of a task, and the worker snapshot it was made with."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal

from domain.errors import IllegalTransition


class HireStatus(enum.StrEnum):
    PROPOSED = "proposed"  # waiting for an approval
    REQUESTED = "requested"  # idempotency key stored; create sent or about to be
    BOOKED = "booked"  # the marketplace holds a booking (pending or confirmed by the worker)
    CONFIRMED = "confirmed"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"


H = HireStatus
_ALLOWED: dict[HireStatus, frozenset[HireStatus]] = {
    H.PROPOSED: frozenset({H.REQUESTED, H.CANCELLED}),
    H.REQUESTED: frozenset({H.BOOKED, H.CONFIRMED, H.FAILED, H.CANCELLED}),
    H.BOOKED: frozenset({H.CONFIRMED, H.IN_PROGRESS, H.COMPLETED, H.CANCELLED, H.FAILED}),
    H.CONFIRMED: frozenset({H.IN_PROGRESS, H.COMPLETED, H.CANCELLED, H.FAILED}),
    H.IN_PROGRESS: frozenset({H.COMPLETED, H.CANCELLED, H.FAILED}),
    H.COMPLETED: frozenset(),
    H.CANCELLED: frozenset(),
    H.FAILED: frozenset(),
}
LIVE_HIRE = frozenset({H.REQUESTED, H.BOOKED, H.CONFIRMED, H.IN_PROGRESS})
SPENDING_HIRE = frozenset({H.REQUESTED, H.BOOKED, H.CONFIRMED, H.IN_PROGRESS, H.COMPLETED})


@dataclass(frozen=True, slots=True)
class Worker:
    """A snapshot of a marketplace human, as seen when ranking."""

    id: str
    name: str
    skills: tuple[str, ...]
    hourly_rate: Decimal
    city: str
    rating: float
    review_count: int
    currency: str = "USD"
    is_available: bool = True
    timezone: str = "UTC"  # IANA name the weekly availability is written in
    availability: tuple[tuple[int, time, time], ...] = ()  # (weekday 0=Monday, start, end); () = not stated


@dataclass(frozen=True, slots=True)
class WorkerReview:
    """One review of a marketplace human (the text is theirs: data, never instructions)."""

    rating: float
    comment: str = ""
    created_at: datetime | None = None


# Skills are free-form Title Case strings on RentAHuman and there is no endpoint listing them
# (rentahuman-api.md): like the official CLI, we keep the list the operations work needs.
KNOWN_SKILLS = (
    "Cleaning", "Deep Cleaning", "Laundry", "House Sitting", "Handyman", "Plumbing", "Electrical",
    "Gardening", "Pool Cleaning", "Furniture Assembly", "Moving Help", "Key Handover", "Errands",
    "Pet Sitting", "Inspection",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class BookingRequest:
    """What a hire asks the marketplace for, stored with the hire before the first send so that a
    retry sends exactly the same thing under the same idempotency key."""

    worker_id: str
    title: str  # public text: no door codes, no exact address
    description: str
    start: datetime
    estimated_hours: float
    idempotency_key: str
    category: str = "home-services"


@dataclass(frozen=True, slots=True)
class StatusChange:
    at: datetime
    status: HireStatus
    note: str = ""


@dataclass(slots=True)
class Hire:
    id: str
    host_id: str
    property_id: str
    task_id: str
    attempt: int
    worker_id: str
    worker_name: str
    price: Decimal
    idempotency_key: str  # one per (task, attempt), stored before the first send
    created_at: datetime
    status: HireStatus = HireStatus.REQUESTED
    booking_id: str | None = None
    escrow_id: str | None = None
    bounty_id: str | None = None
    sandbox: bool = False
    history: list[StatusChange] = field(default_factory=list)
    completed_on_time: bool | None = None
    final_cost: Decimal | None = None
    completed_at: datetime | None = None
    evidence: tuple[str, ...] = ()  # photo URLs or text the worker delivered with
    no_show: bool = False  # confirmed, then never started: counts against the worker
    conversation_id: str | None = None  # the private conversation holding the access details
    access_sent_at: datetime | None = None
    request: BookingRequest | None = None  # set when the hire is cleared to be sent, before the first send
    rescheduled: bool = False  # cancelled by us because the task moved: not the worker's fault
    sends: int = 0  # creates begun for this hire; from the second on, the marketplace is searched first

    @staticmethod
    def key_for(task_id: str, attempt: int) -> str:
        return f"hire-{task_id}-{attempt}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_HIRE

    @property
    def confirmed(self) -> bool:
        """The worker has accepted (or already started or finished)."""
        return self.status in (HireStatus.CONFIRMED, HireStatus.IN_PROGRESS, HireStatus.COMPLETED)

    def can_become(self, target: HireStatus) -> bool:
        """Whether `target` is a move forward from here (a stale or repeated status is not)."""
        return target in _ALLOWED[self.status]

    def transition(self, target: HireStatus, at: datetime, note: str = "") -> None:
        if target == self.status:
            return
        if target not in _ALLOWED[self.status]:
            raise IllegalTransition("hire", self.status.value, target.value)
        self.status = target
        self.history.append(StatusChange(at, target, note))
