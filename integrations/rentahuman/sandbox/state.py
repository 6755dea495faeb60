"""Everything the sandbox knows, in memory: humans, reviews, bookings, idempotency records, the clock.

All of it is touched from the server's one event loop (every handler is `async def` and never
awaits while changing state), so no locks are needed.

Booking states (`rentahuman-api.md` §6; an illegal move is a 409 `conflict`):

```mermaid
stateDiagram-v2
    pending --> confirmed: the human accepts (worker script, or /_sim/advance)
    confirmed --> in_progress
    in_progress --> completed
    pending --> cancelled
    confirmed --> cancelled
    in_progress --> cancelled
```
The business clock is frozen until `/_sim/clock` sets or advances it. Timers run before every
request and after every clock change: a pending booking is confirmed once the clock reaches
`createdAt + confirmAfterSeconds` of its human's script (default: at once, so on the next request).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from integrations.rentahuman.sandbox.fixtures import default_humans, default_reviews, new_id
from integrations.rentahuman.sandbox.limits import RateLimiter
from integrations.rentahuman.sandbox.models import CreateBooking, WorkerScript, conflict, not_found

BOOKING_MOVES: dict[str, frozenset[str]] = {
    "pending": frozenset({"confirmed", "cancelled"}),
    "confirmed": frozenset({"in_progress", "cancelled"}),
    "in_progress": frozenset({"completed", "cancelled"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
}
DEFAULT_SCRIPT = WorkerScript()
CENT = Decimal("0.01")


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(slots=True)
class Booking:
    id: str
    human_id: str
    agent_id: str
    agent_type: str
    agent_name: str | None
    task_title: str
    task_description: str
    task_category: str | None
    start_time: datetime
    estimated_hours: float
    total_amount: Decimal
    currency: str
    created_at: datetime
    updated_at: datetime
    status: str = "pending"
    payment_status: str = "pending"
    payment_tx_hash: str | None = None

    def to_json(self) -> dict[str, Any]:
        end = self.start_time + timedelta(hours=self.estimated_hours)
        return {
            "id": self.id, "humanId": self.human_id, "agentId": self.agent_id, "agentName": self.agent_name,
            "agentType": self.agent_type, "taskTitle": self.task_title, "taskDescription": self.task_description,
            "taskCategory": self.task_category, "startTime": iso(self.start_time), "endTime": iso(end),
            "estimatedHours": self.estimated_hours, "totalAmount": json_number(self.total_amount),
            "currency": self.currency, "paymentStatus": self.payment_status, "paymentTxHash": self.payment_tx_hash,
            "status": self.status, "createdAt": iso(self.created_at), "updatedAt": iso(self.updated_at),
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    fingerprint: str  # of the request body, without the key itself
    status: int
    body: dict[str, Any]
    created_at: datetime


@dataclass(slots=True)
class Config:
    idempotency: bool = True
    rate_limits: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"idempotency": "on" if self.idempotency else "off", "rateLimits": self.rate_limits}


@dataclass(slots=True)
class SandboxState:
    initial_now: datetime
    seed: int
    now: datetime = field(init=False)
    ids: random.Random = field(init=False)
    humans: dict[str, dict[str, Any]] = field(init=False)
    reviews: list[dict[str, Any]] = field(init=False)
    bookings: dict[str, Booking] = field(init=False)
    idempotency: dict[tuple[str, str, str], IdempotencyRecord] = field(init=False)  # (api key, route, key)
    scripts: dict[str, WorkerScript] = field(init=False)
    config: Config = field(init=False)
    limiter: RateLimiter = field(default_factory=RateLimiter)

    def __post_init__(self) -> None:
        self.reset(seed=self.seed, fixtures="default")

    def reset(self, *, seed: int, fixtures: str) -> None:
        """Back to a fresh sandbox: fixtures for `seed`, no bookings, the initial clock, default config."""
        fixture_rng = random.Random(seed)
        humans = default_humans(fixture_rng) if fixtures == "default" else []
        self.seed, self.now = seed, self.initial_now
        self.ids = random.Random(f"rentahuman-sandbox-ids:{seed}")
        self.humans = {human["id"]: human for human in humans}
        self.reviews = default_reviews(fixture_rng, humans, self.initial_now)
        self.bookings, self.idempotency, self.scripts = {}, {}, {}
        self.config = Config()
        self.limiter.clear()

    # --- humans ----------------------------------------------------------------------------------

    def human(self, human_id: str) -> dict[str, Any]:
        if human_id not in self.humans:
            raise not_found("Human")
        return self.humans[human_id]

    def find_humans(
        self, *, skill: str | None, city: str | None, country: str | None, name: str | None,
        min_rate: float | None, max_rate: float | None,
    ) -> list[dict[str, Any]]:  # fmt: skip
        """Skill and name match substrings, city and country whole values; all case-insensitive."""
        found = []
        for human in self.humans.values():
            location = human.get("location") or {}
            if skill and not any(skill.lower() in s.lower() for s in human["skills"]):
                continue
            if city and city.lower() != str(location.get("city", "")).lower():
                continue
            if country and country.lower() != str(location.get("country", "")).lower():
                continue
            if name and name.lower() not in human["name"].lower():
                continue
            rate = float(human["hourlyRate"])
            if (min_rate is not None and rate < min_rate) or (max_rate is not None and rate > max_rate):
                continue
            found.append(human)
        return found

    # --- bookings --------------------------------------------------------------------------------

    def booking(self, booking_id: str) -> Booking:
        if booking_id not in self.bookings:
            raise not_found("Booking")
        return self.bookings[booking_id]

    def create_booking(self, request: CreateBooking) -> Booking:
        human = self.human(request.human_id)
        hours = Decimal(str(request.estimated_hours))
        booking = Booking(
            id=new_id(self.ids), human_id=request.human_id, agent_id=request.agent_id,
            agent_type=request.agent_type, agent_name=request.agent_name, task_title=request.task_title,
            task_description=request.task_description, task_category=request.task_category,
            start_time=request.start_time, estimated_hours=request.estimated_hours,
            total_amount=(Decimal(str(human["hourlyRate"])) * hours).quantize(CENT, rounding=ROUND_HALF_UP),
            currency=str(human.get("currency", "USD")), created_at=self.now, updated_at=self.now,
        )  # fmt: skip
        self.bookings[booking.id] = booking
        return booking

    def move_booking(self, booking: Booking, to: str) -> None:
        """One step of the booking state machine; anything else is a 409 `conflict`."""
        if to not in BOOKING_MOVES[booking.status]:
            raise conflict(f"A booking cannot go from {booking.status!r} to {to!r}")
        booking.status = to
        if to == "cancelled" and booking.payment_status == "paid":
            booking.payment_status = "refunded"
        booking.updated_at = self.now

    def record_payment(self, booking: Booking, tx_hash: str) -> None:
        if booking.payment_status == "refunded" or booking.status == "cancelled":
            raise conflict("A cancelled booking cannot be paid")
        booking.payment_status, booking.payment_tx_hash, booking.updated_at = "paid", tx_hash, self.now

    # --- idempotency -----------------------------------------------------------------------------

    def replay(self, api_key: str, route: str, key: str, fingerprint: str) -> IdempotencyRecord | None:
        """The stored answer for this key, or None; the same key with another body is a 409."""
        record = self.idempotency.get((api_key, route, key)) if self.config.idempotency else None
        if record is not None and record.fingerprint != fingerprint:
            raise conflict("This idempotency key was used with a different request body", "idempotency_mismatch")
        return record

    def remember(self, api_key: str, route: str, key: str, fingerprint: str, status: int, body: dict[str, Any]) -> None:
        if self.config.idempotency:
            self.idempotency[(api_key, route, key)] = IdempotencyRecord(fingerprint, status, body, self.now)

    # --- clock and worker behaviour --------------------------------------------------------------

    def set_clock(self, now: datetime) -> None:
        self.now = now
        self.run_timers()

    def run_timers(self) -> None:
        """Move whatever falls due at the current sim time: for now, humans confirming bookings."""
        for booking in self.bookings.values():
            if booking.status != "pending":
                continue
            script = self.scripts.get(booking.human_id, DEFAULT_SCRIPT)
            due = booking.created_at + timedelta(seconds=script.confirm_after_seconds)
            if script.confirm == "auto" and self.now >= due:
                booking.status, booking.updated_at = "confirmed", due

    def dump(self) -> dict[str, Any]:
        """Every object, idempotency record and setting, for `GET /_sim/state` (keys shown masked)."""
        return {
            "now": iso(self.now),
            "seed": self.seed,
            "config": self.config.to_json(),
            "humans": list(self.humans.values()),
            "reviews": self.reviews,
            "bookings": [b.to_json() for b in self.bookings.values()],
            "idempotency": [
                {"apiKey": mask(owner), "route": route, "key": key, "status": r.status, "createdAt": iso(r.created_at)}
                for (owner, route, key), r in self.idempotency.items()
            ],
            "scripts": {human_id: s.model_dump(by_alias=True) for human_id, s in self.scripts.items()},
        }


def mask(api_key: str) -> str:
    return api_key[:4] + "…" if len(api_key) > 4 else "…"
