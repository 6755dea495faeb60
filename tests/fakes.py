"""Fakes at the edges, for pipeline tests: a feed fetcher, a marketplace and a notifier.

They implement the domain's ports and record what happened; our own code is never patched.
The marketplace fake keeps the sandbox's idempotency rule: a key seen before returns the first
booking. `lose_next_response` commits a booking and then fails as if the reply was lost.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from domain.calendar import FeedSnapshot
from domain.errors import MarketplaceError, MarketplaceUnavailable, NotFound
from domain.events import Event
from domain.hires import BookingRequest, Worker, WorkerReview
from domain.ports import BookingState, PrivateMessage


@dataclass
class StaticFeedFetcher:
    """Serves set snapshots. Like the real fetcher, a snapshot whose `body_digest` is the one the caller
    already knows comes back `same_as_before`, without events."""

    snapshots: dict[str, FeedSnapshot] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    known_digests: list[str] = field(default_factory=list)

    async def fetch(self, url: str, *, known_digest: str = "") -> FeedSnapshot:
        self.calls.append(url)
        self.known_digests.append(known_digest)
        snapshot = self.snapshots.get(url, FeedSnapshot(error="HTTP 404"))
        if known_digest and snapshot.ok and snapshot.body_digest == known_digest:
            return FeedSnapshot(body_digest=known_digest, same_as_before=True)
        return snapshot


@dataclass
class FakeMarketplace:
    workers: list[Worker] = field(default_factory=list)
    bookings: dict[str, BookingState] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)
    requests: list[BookingRequest] = field(default_factory=list)
    messages: list[PrivateMessage] = field(default_factory=list)
    recovered: list[BookingRequest] = field(default_factory=list)  # look-ups of a create whose answer was lost
    conversations: dict[str, str] = field(default_factory=dict)  # idempotency key -> conversation id
    unavailable_times: int = 0
    lose_next_response: bool = False
    refuse_with: str = ""
    ignore_keys: bool = False  # like a marketplace that does not honour idempotency keys (Q6: unverified)
    cancels_unavailable: int = 0  # the next N cancels fail with a 503
    hold_creates: asyncio.Event | None = None  # creates wait for this before they are made
    price_rise: Decimal = Decimal(0)  # added to every booking's total (a rate raised after the search)

    @property
    def is_sandbox(self) -> bool:
        return True

    async def search_workers(
        self, *, skill: str, city: str | None = None, max_rate: Decimal | None = None, limit: int = 50
    ) -> list[Worker]:
        found = [w for w in self.workers if skill in w.skills and (city is None or w.city == city)]
        return [w for w in found if max_rate is None or w.hourly_rate <= max_rate][:limit]

    async def get_worker(self, worker_id: str) -> Worker:
        found = next((w for w in self.workers if w.id == worker_id), None)
        if found is None:
            raise NotFound("human", worker_id)
        return found

    async def worker_reviews(self, worker_id: str, *, limit: int = 20) -> list[WorkerReview]:
        worker = await self.get_worker(worker_id)
        return [WorkerReview(rating=worker.rating, comment="Reliable.")][:limit]

    async def create_booking(self, request: BookingRequest) -> BookingState:
        self.requests.append(request)
        if self.unavailable_times:
            self.unavailable_times -= 1
            raise MarketplaceUnavailable("HTTP 503 from the marketplace")
        if self.refuse_with:
            raise MarketplaceError(self.refuse_with)
        if self.hold_creates is not None:
            await self.hold_creates.wait()
        booking_id = None if self.ignore_keys else self.by_key.get(request.idempotency_key)
        if booking_id is None:
            booking_id = f"bk{len(self.bookings) + 1}"
            self.by_key[request.idempotency_key] = booking_id
            worker = next((w for w in self.workers if w.id == request.worker_id), None)
            total = None if worker is None else worker.hourly_rate * Decimal(str(request.estimated_hours))
            total = None if total is None else total.quantize(Decimal("0.01")) + self.price_rise
            self.bookings[booking_id] = BookingState(booking_id, request.worker_id, "pending", total)
        if self.lose_next_response:
            self.lose_next_response = False
            raise MarketplaceUnavailable("the connection was reset")
        return self.bookings[booking_id]

    async def get_booking(self, booking_id: str) -> BookingState:
        return self.bookings[booking_id]

    async def recover_booking(self, request: BookingRequest) -> BookingState | None:
        self.recovered.append(request)
        if self.unavailable_times:
            self.unavailable_times -= 1
            raise MarketplaceUnavailable("HTTP 503 from the marketplace")
        booking_id = self.by_key.get(request.idempotency_key)
        return None if booking_id is None else self.bookings[booking_id]

    async def cancel_booking(self, booking_id: str) -> BookingState:
        if self.cancels_unavailable:
            self.cancels_unavailable -= 1
            raise MarketplaceUnavailable("HTTP 503 from the marketplace")
        state = self.bookings[booking_id]
        self.bookings[booking_id] = BookingState(booking_id, state.worker_id, "cancelled", state.total)
        return self.bookings[booking_id]

    async def send_private_message(self, message: PrivateMessage) -> str:
        if message.idempotency_key not in self.conversations:
            self.messages.append(message)
            self.conversations[message.idempotency_key] = f"conv{len(self.conversations) + 1}"
        return self.conversations[message.idempotency_key]

    def live(self) -> list[BookingState]:
        return [b for b in self.bookings.values() if b.status != "cancelled"]

    def set_status(
        self,
        booking_id: str,
        status: str,
        *,
        evidence: tuple[str, ...] = (),
        total: Decimal | None = None,
        at: datetime | None = None,
    ) -> None:
        state = self.bookings[booking_id]
        self.bookings[booking_id] = BookingState(booking_id, state.worker_id, status, total, evidence, at)


@dataclass
class RecordingNotifier:
    sent: list[Event] = field(default_factory=list)
    fail_next: int = 0

    async def send(self, event: Event) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise ConnectionError("chat is down")
        self.sent.append(event)
