"""The ports: what the domain and the use cases need from the outside world.

Adapters live in `storage/` and `integrations/`; `turnover/bootstrap.py` wires them in.
Every port ships a real fake (in-memory store, frozen clock, recording notifier, the sandbox).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Protocol, Self

from domain.approvals import Approval
from domain.calendar import FeedSnapshot
from domain.conversations import Conversation
from domain.events import AuditEntry, Event
from domain.feeds import Feed, FeedFetch
from domain.hires import BookingRequest, Hire, HireStatus, Worker, WorkerReview
from domain.hosts import Host, Member
from domain.properties import Property
from domain.reservations import Block, Reservation, ReservationStatus
from domain.tasks import Task, TaskKind, TaskStatus


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class IdGenerator(Protocol):
    def new_id(self, prefix: str) -> str: ...


# --- repositories: they return domain objects and never commit -------------------------------


class HostRepository(Protocol):
    async def add(self, host: Host) -> None: ...
    async def get(self, host_id: str) -> Host | None: ...
    async def update(self, host: Host) -> None: ...
    async def list(self) -> list[Host]: ...


class MemberRepository(Protocol):
    async def add(self, member: Member) -> None: ...
    async def get(self, member_id: str) -> Member | None: ...
    async def update(self, member: Member) -> None: ...
    async def list_for_host(self, host_id: str) -> list[Member]: ...
    async def find_by_identity(self, kind: str, value: str) -> Member | None: ...


class PropertyRepository(Protocol):
    async def add(self, prop: Property) -> None: ...
    async def get(self, property_id: str) -> Property | None: ...
    async def update(self, prop: Property) -> None: ...
    async def set_planned_on(self, property_id: str, day: date | None) -> None:
        """Write only `planned_on` (the planner's bookkeeping never overwrites an edit of the property)."""
        ...

    async def list_for_host(self, host_id: str, *, limit: int = 50, offset: int = 0) -> list[Property]: ...
    async def list_all(self) -> list[Property]: ...


class FeedRepository(Protocol):
    async def add(self, feed: Feed) -> None: ...
    async def get(self, feed_id: str) -> Feed | None: ...
    async def update(self, feed: Feed) -> None: ...
    async def update_health(self, feed: Feed) -> None:
        """Write only `feed.health` (a sync's bookkeeping never overwrites a concurrent edit of the feed)."""
        ...

    async def delete(self, feed_id: str) -> None: ...
    async def list_for_property(self, property_id: str) -> list[Feed]: ...
    async def list_all(self) -> list[Feed]: ...


class FeedFetchRepository(Protocol):
    async def add(self, fetch: FeedFetch) -> None: ...
    async def add_many(self, items: Sequence[FeedFetch]) -> None: ...
    async def list_for_feed(self, feed_id: str, *, limit: int = 50) -> list[FeedFetch]:
        """The feed's latest fetches, newest first."""
        ...

    async def expire_snapshots(self, before: datetime) -> int:
        """Clear the parsed snapshot (`events`) of fetches made before `before`; returns how many were cleared.

        Each feed's newest fetch that has a snapshot keeps it whatever its age: it describes the feed's
        current state, like live booking data. The audit rows (outcome, hashes, counts, reasons) stay.
        """
        ...


class ReservationRepository(Protocol):
    async def add(self, reservation: Reservation) -> None: ...
    async def add_many(self, items: Sequence[Reservation]) -> None: ...  # one statement; a duplicate fails them all
    async def get(self, reservation_id: str) -> Reservation | None: ...
    async def update(self, reservation: Reservation) -> None: ...
    async def get_by_uid(self, feed_id: str, uid: str) -> Reservation | None: ...
    async def list_for_feed(self, feed_id: str) -> list[Reservation]: ...
    async def list_for_property(self, property_id: str, *, ending_after: date | None = None) -> list[Reservation]: ...
    async def list_for_host(
        self,
        host_id: str,
        *,
        property_id: str | None = None,
        statuses: Sequence[ReservationStatus] | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Reservation]:
        """The host's stays by check-in, then id; narrowed by property and statuses when given."""
        ...


class BlockRepository(Protocol):
    async def add(self, block: Block) -> None: ...
    async def add_many(self, items: Sequence[Block]) -> None: ...  # one statement; a duplicate fails them all
    async def update(self, block: Block) -> None: ...
    async def delete(self, block_id: str) -> None: ...
    async def list_for_feed(self, feed_id: str) -> list[Block]: ...


class TaskRepository(Protocol):
    async def add(self, task: Task) -> None: ...
    async def add_many(self, items: Sequence[Task]) -> None: ...  # one statement; a duplicate fails them all
    async def get(self, task_id: str) -> Task | None: ...
    async def update(self, task: Task) -> None: ...
    async def get_by_natural_key(self, natural_key: str) -> Task | None: ...
    async def list_for_property(self, property_id: str) -> list[Task]: ...
    async def list_for_reservation(self, reservation_id: str) -> list[Task]: ...
    async def list_by_status(self, statuses: Sequence[TaskStatus], *, host_id: str | None = None) -> list[Task]: ...
    async def list_for_host(
        self,
        host_id: str,
        *,
        property_id: str | None = None,
        statuses: Sequence[TaskStatus] | None = None,
        kind: TaskKind | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Task]:
        """The host's tasks by window start, then id; narrowed by property, statuses and kind when given."""
        ...


class HireRepository(Protocol):
    async def add(self, hire: Hire) -> None: ...
    async def get(self, hire_id: str) -> Hire | None: ...
    async def update(self, hire: Hire) -> None: ...
    async def get_by_idempotency_key(self, key: str) -> Hire | None: ...
    async def list_for_task(self, task_id: str) -> list[Hire]: ...
    async def list_for_host(self, host_id: str, *, since: datetime | None = None) -> list[Hire]: ...
    async def list_by_status(self, statuses: Sequence[HireStatus]) -> list[Hire]: ...


class ApprovalRepository(Protocol):
    async def add(self, approval: Approval) -> None: ...
    async def get(self, approval_id: str) -> Approval | None: ...
    async def update(self, approval: Approval) -> None: ...
    async def list_open(self, host_id: str) -> list[Approval]: ...


class EventRepository(Protocol):
    async def add(self, event: Event) -> None: ...
    async def add_many(self, items: Sequence[Event]) -> None: ...  # one statement; a duplicate fails them all
    async def update(self, event: Event) -> None: ...
    async def list_unnotified(self, *, limit: int = 100) -> list[Event]: ...
    async def list_for_host(
        self,
        host_id: str,
        *,
        limit: int = 50,
        since: datetime | None = None,
        property_id: str | None = None,
        subject_id: str | None = None,
    ) -> list[Event]:
        """The host's latest events, newest first; each filter given narrows them (all must hold): created
        at or after `since`, about the property, about the subject (a reservation, task, hire...)."""
        ...


class AuditRepository(Protocol):
    async def add(self, entry: AuditEntry) -> None: ...
    async def list_for_host(
        self,
        host_id: str,
        *,
        limit: int = 50,
        since: datetime | None = None,
        channel: str | None = None,
        property_id: str | None = None,
    ) -> list[AuditEntry]:
        """The host's latest entries, newest first; each filter given narrows them (all must hold): made at
        or after `since`, through `channel`, naming the property as `arguments["property_id"]`."""
        ...


class ConversationRepository(Protocol):
    """Chat history, one row per (host, thread): a second `add` for the same pair is a `Conflict`."""

    async def add(self, conversation: Conversation) -> None: ...
    async def update(self, conversation: Conversation) -> None: ...
    async def find(self, host_id: str, thread: str) -> Conversation | None: ...
    async def delete(self, conversation_id: str) -> None: ...


class UnitOfWork(Protocol):
    """One use case, one transaction: `async with uow: ...; await uow.commit()`.

    Leaving the block without `commit()` rolls back.
    """

    hosts: HostRepository
    members: MemberRepository
    properties: PropertyRepository
    feeds: FeedRepository
    fetches: FeedFetchRepository
    reservations: ReservationRepository
    blocks: BlockRepository
    tasks: TaskRepository
    hires: HireRepository
    approvals: ApprovalRepository
    events: EventRepository
    audit: AuditRepository
    conversations: ConversationRepository

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


# --- services we call ------------------------------------------------------------------------


class FeedFetcher(Protocol):
    async def fetch(self, url: str, *, known_digest: str = "") -> FeedSnapshot:
        """Fetch and parse one feed. Never raises for a bad feed: a failure is `FeedSnapshot(error=...)`.

        When the body's digest (DTSTAMP lines left out) equals `known_digest`, the body is not parsed:
        the snapshot says `same_as_before` and carries no events.
        """
        ...


@dataclass(frozen=True, slots=True)
class BookingState:
    booking_id: str
    worker_id: str
    status: str  # the marketplace's own word: pending, confirmed, in_progress, completed, cancelled
    total: Decimal | None = None
    evidence: tuple[str, ...] = ()  # what the worker delivered with: photo URLs or text, as given
    updated_at: datetime | None = None  # when the marketplace last changed it (aware UTC), if it says


@dataclass(frozen=True, slots=True)
class PrivateMessage:
    """A message only the hired worker sees (a marketplace conversation): the place for door codes."""

    worker_id: str
    subject: str
    text: str = field(repr=False)  # private: never logged, never put in an event, not in repr
    idempotency_key: str


class Marketplace(Protocol):
    """The RentAHuman marketplace (the real API or the sandbox)."""

    @property
    def is_sandbox(self) -> bool: ...

    async def search_workers(
        self, *, skill: str, city: str | None = None, max_rate: Decimal | None = None, limit: int = 50
    ) -> list[Worker]: ...

    async def get_worker(self, worker_id: str) -> Worker:
        """One human's profile. Raises NotFound for an unknown id, MarketplaceError otherwise."""
        ...

    async def worker_reviews(self, worker_id: str, *, limit: int = 20) -> list[WorkerReview]:
        """A human's reviews, newest first as the marketplace gives them."""
        ...

    async def create_booking(self, request: BookingRequest) -> BookingState:
        """Create (or, for a key seen before, find again) the booking. Raises MarketplaceError."""
        ...

    async def get_booking(self, booking_id: str) -> BookingState: ...
    async def recover_booking(self, request: BookingRequest) -> BookingState | None:
        """The booking an earlier send of `request` made (its answer was lost), or None if it made none."""
        ...

    async def cancel_booking(self, booking_id: str) -> BookingState:
        """Cancel on the marketplace; cancelling a cancelled booking returns its state."""
        ...

    async def send_private_message(self, message: PrivateMessage) -> str:
        """Start a private conversation with the worker (safe to repeat with the same key); its id."""
        ...


class Notifier(Protocol):
    async def send(self, event: Event) -> None:
        """Deliver one event to the host's destinations. Raises on failure so it is retried."""
        ...
