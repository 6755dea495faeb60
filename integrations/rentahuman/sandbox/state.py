"""Everything the sandbox knows, in memory, and the mechanics every flow shares.

Objects (`objects`), idempotency records, events, webhook endpoints and deliveries, faults, the
request log, the wallet and the business clock. All of it is touched from the server's one event loop
(handlers never await while changing state), so no locks are needed.

- `transition` is the one way a status changes: it checks the §6 table (409 `conflict`), stamps
  `updatedAt`, writes the escrow audit log, emits the event and marks the object for re-planning.
- Worker timers live in a heap of `(due, seq, kind, id, generation, action)`; `workers.run_timers`
  re-plans touched objects and pops what fell due, so a request costs O(log n), not a scan.
- Three seeded RNGs keep runs reproducible: `ids`, `chance` (fault probabilities) and `workers`.
"""

from __future__ import annotations

import heapq
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from integrations.rentahuman.sandbox.faults import FaultBook
from integrations.rentahuman.sandbox.fixtures import default_humans, default_reviews, new_id
from integrations.rentahuman.sandbox.limits import RateLimiter
from integrations.rentahuman.sandbox.models import conflict, not_found
from integrations.rentahuman.sandbox.objects import (
    MOVES,
    Application,
    Booking,
    Bounty,
    Conversation,
    Escrow,
    Tracked,
    iso,
)
from integrations.rentahuman.sandbox.sim_models import WorkerScript

T = TypeVar("T", bound=Tracked)
DEFAULT_WALLET_CENTS = 1_000_000
REQUEST_LOG_SIZE = 20_000
DEFAULT_SCRIPT = WorkerScript()


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
    webhook_retries: int = 2
    workers: dict[str, float] = field(default_factory=lambda: {"noShow": 0.0, "cancel": 0.0, "decline": 0.0})

    def to_json(self) -> dict[str, Any]:
        return {
            "idempotency": "on" if self.idempotency else "off",
            "rateLimits": self.rate_limits,
            "webhookRetries": self.webhook_retries,
            "workers": dict(self.workers),
        }


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    type: str
    created_at: datetime
    data: dict[str, Any]
    owner_key: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "createdAt": iso(self.created_at), "data": self.data}


@dataclass(slots=True)
class WebhookEndpoint:
    id: str
    owner_key: str
    url: str
    events: list[str]
    secret: str
    style: str  # "endpoint" (POST /webhooks/endpoints) or "key" (PATCH /keys/{id})
    created_at: datetime

    def wants(self, event_type: str) -> bool:
        return "*" in self.events or event_type in self.events

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "url": self.url, "events": list(self.events), "createdAt": iso(self.created_at)}


@dataclass(slots=True)
class SandboxState:
    initial_now: datetime
    seed: int
    now: datetime = field(init=False)
    ids: random.Random = field(init=False)
    chance: random.Random = field(init=False)
    workers: random.Random = field(init=False)
    humans: dict[str, dict[str, Any]] = field(init=False)
    reviews: list[dict[str, Any]] = field(init=False)
    bookings: dict[str, Booking] = field(init=False)
    escrows: dict[str, Escrow] = field(init=False)
    bounties: dict[str, Bounty] = field(init=False)
    applications: dict[str, Application] = field(init=False)
    conversations: dict[str, Conversation] = field(init=False)
    idempotency: dict[tuple[str, str, str], IdempotencyRecord] = field(init=False)  # (api key, route, key)
    scripts: dict[str, WorkerScript] = field(init=False)
    config: Config = field(init=False)
    wallet_cents: int = field(init=False)
    events: list[Event] = field(init=False)
    webhooks: dict[str, WebhookEndpoint] = field(init=False)
    deliveries: list[dict[str, Any]] = field(init=False)
    faults: FaultBook = field(init=False)
    request_log: deque[dict[str, Any]] = field(init=False)
    timers: list[tuple[datetime, int, str, str, int, str]] = field(init=False)
    dirty: dict[tuple[str, str], Tracked] = field(init=False)
    counter: int = field(init=False)
    limiter: RateLimiter = field(default_factory=RateLimiter)
    listeners: list[Callable[[Event], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reset(seed=self.seed, fixtures="default")

    def reset(self, *, seed: int, fixtures: str) -> None:
        """Back to a fresh sandbox: fixtures for `seed`, no objects, faults, webhooks or log, the initial clock."""
        fixture_rng = random.Random(seed)
        humans = default_humans(fixture_rng) if fixtures == "default" else []
        self.seed, self.now = seed, self.initial_now
        self.ids = random.Random(f"rentahuman-sandbox-ids:{seed}")
        self.chance = random.Random(f"rentahuman-sandbox-chance:{seed}")
        self.workers = random.Random(f"rentahuman-sandbox-workers:{seed}")
        self.humans = {human["id"]: human for human in humans}
        self.reviews = default_reviews(fixture_rng, humans, self.initial_now)
        self.bookings, self.escrows, self.bounties, self.applications, self.conversations = {}, {}, {}, {}, {}
        self.idempotency, self.scripts, self.webhooks = {}, {}, {}
        self.events, self.deliveries, self.timers, self.dirty = [], [], [], {}
        self.request_log = deque(maxlen=REQUEST_LOG_SIZE)
        self.faults = FaultBook()
        self.config = Config()
        self.wallet_cents = DEFAULT_WALLET_CENTS if fixtures == "default" else 0
        self.counter = 0
        self.limiter.reset()

    def new_id(self) -> str:
        return new_id(self.ids)

    def next_number(self) -> int:
        self.counter += 1
        return self.counter

    # --- lookups ---------------------------------------------------------------------------------

    def human(self, human_id: str) -> dict[str, Any]:
        if human_id not in self.humans:
            raise not_found("Human")
        return self.humans[human_id]

    def booking(self, booking_id: str) -> Booking:
        return _get(self.bookings, booking_id, "Booking")

    def escrow(self, escrow_id: str) -> Escrow:
        return _get(self.escrows, escrow_id, "Escrow")

    def bounty(self, bounty_id: str) -> Bounty:
        return _get(self.bounties, bounty_id, "Bounty")

    def application(self, application_id: str) -> Application:
        return _get(self.applications, application_id, "Application")

    def tables(self) -> dict[str, dict[str, Any]]:
        return {
            "booking": self.bookings, "escrow": self.escrows, "bounty": self.bounties,
            "application": self.applications, "conversation": self.conversations,
        }  # fmt: skip

    def tracked(self, kind: str, object_id: str) -> Tracked:
        found: Tracked = _get(self.tables()[kind], object_id, kind.capitalize())
        return found

    def script_for(self, human_id: str) -> WorkerScript:
        return self.scripts.get(human_id, DEFAULT_SCRIPT)

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

    # --- status changes, events, timers ----------------------------------------------------------

    def transition(
        self, obj: Tracked, to: str, *, reason: str | None = None, at: datetime | None = None, checked: bool = True
    ) -> None:
        """Move `obj` to `to` (a 409 unless the §6 table allows it), record and announce the move."""
        if checked and to not in MOVES[obj.kind][obj.status]:
            raise conflict(f"A {obj.kind} cannot go from {obj.status!r} to {to!r}")
        previous, when = obj.status, at or self.now
        obj.status, obj.updated_at = to, when
        extra = {"reason": reason} if reason else {}
        if isinstance(obj, Escrow):
            obj.audit_log.append({"at": iso(when), "from": previous, "to": to} | extra)
        self.touch(obj)
        if obj.kind == "application":
            if to == "withdrawn":
                self.emit("application.withdrawn", obj.owner_key, _application_data(obj) | extra)
            return
        data = {f"{obj.kind}Id": obj.id, "status": to, "previousStatus": previous} | extra
        self.emit(f"{obj.kind}.status_changed", obj.owner_key, data)

    def touch(self, obj: Tracked) -> None:
        """The object changed: its pending timers are stale and it needs planning again."""
        obj.timer_gen += 1
        self.dirty[(obj.kind, obj.id)] = obj

    def schedule(self, obj: Tracked, due: datetime, action: str) -> None:
        heapq.heappush(self.timers, (due, self.next_number(), obj.kind, obj.id, obj.timer_gen, action))

    def pop_due(self) -> tuple[Tracked, str, datetime] | None:
        """The earliest timer that is due and still current, or None."""
        while self.timers and self.timers[0][0] <= self.now:
            due, _, kind, object_id, generation, action = heapq.heappop(self.timers)
            obj = self.tables()[kind].get(object_id)
            if obj is not None and obj.timer_gen == generation:
                return obj, action, due
        return None

    def emit(self, event_type: str, owner_key: str, data: dict[str, Any]) -> Event:
        event = Event(f"evt_{self.next_number():08d}", event_type, self.now, data, owner_key)
        self.events.append(event)
        for listener in self.listeners:
            listener(event)
        return event

    # --- wallet, clock, idempotency --------------------------------------------------------------

    def debit(self, cents: int) -> bool:
        """Take `cents` from the wallet if it covers them."""
        if self.wallet_cents < cents:
            return False
        self.wallet_cents -= cents
        return True

    def set_clock(self, now: datetime) -> None:
        self.now = now

    def replay(self, api_key: str, route: str, key: str, fingerprint: str) -> IdempotencyRecord | None:
        """The stored answer for this key, or None; the same key with another body is a 409."""
        record = self.idempotency.get((api_key, route, key)) if self.config.idempotency else None
        if record is not None and record.fingerprint != fingerprint:
            raise conflict("This idempotency key was used with a different request body", "idempotency_mismatch")
        return record

    def remember(self, api_key: str, route: str, key: str, fingerprint: str, status: int, body: dict[str, Any]) -> None:
        if self.config.idempotency:
            self.idempotency[(api_key, route, key)] = IdempotencyRecord(fingerprint, status, body, self.now)

    def dump(self) -> dict[str, Any]:
        """Every object, record, fault and setting, for `GET /_sim/state` (API keys shown masked)."""
        return {
            "now": iso(self.now),
            "seed": self.seed,
            "config": self.config.to_json() | self.limiter.to_json(),
            "walletBalanceCents": self.wallet_cents,
            "humans": list(self.humans.values()),
            "reviews": self.reviews,
            "bookings": [b.to_json() | {"worker": b.plan.to_json()} for b in self.bookings.values()],
            "escrows": [e.to_json() | {"worker": e.plan and e.plan.to_json()} for e in self.escrows.values()],
            "bounties": [b.to_json() for b in self.bounties.values()],
            "applications": [a.to_json() for a in self.applications.values()],
            "conversations": [c.to_json() for c in self.conversations.values()],
            "idempotency": [
                {"apiKey": mask(owner), "route": route, "key": key, "status": r.status, "createdAt": iso(r.created_at)}
                for (owner, route, key), r in self.idempotency.items()
            ],
            "scripts": {human_id: s.to_json() for human_id, s in self.scripts.items()},
            "faults": self.faults.to_json(),
            "webhookEndpoints": [w.to_json() | {"style": w.style} for w in self.webhooks.values()],
            "events": [e.to_json() for e in self.events],
        }


def _get(table: dict[str, T], object_id: str, what: str) -> T:
    if object_id not in table:
        raise not_found(what)
    return table[object_id]


def _application_data(application: Tracked) -> dict[str, Any]:
    assert isinstance(application, Application)
    return {"applicationId": application.id, "bountyId": application.bounty_id, "humanId": application.human_id}


def mask(api_key: str) -> str:
    return api_key[:4] + "…" if len(api_key) > 4 else "…"
