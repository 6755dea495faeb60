"""The in-memory unit of work: the fake every use-case test runs on, held to the SQL contract.

Writes are pending until `commit()`; leaving the block without it (or `rollback()`) discards them.
`committed` counts commits, on the unit of work and (as `store.commits`) across the factory.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Self

from domain.ports import (
    ApprovalRepository,
    AuditRepository,
    BlockRepository,
    ConversationRepository,
    EventRepository,
    FeedFetchRepository,
    FeedRepository,
    HireRepository,
    HostRepository,
    MemberRepository,
    PropertyRepository,
    ReservationRepository,
    TaskRepository,
)
from storage.memory.conversations import InMemoryConversationRepository
from storage.memory.repositories import (
    InMemoryApprovalRepository,
    InMemoryAuditRepository,
    InMemoryBlockRepository,
    InMemoryEventRepository,
    InMemoryFeedFetchRepository,
    InMemoryFeedRepository,
    InMemoryHireRepository,
    InMemoryHostRepository,
    InMemoryMemberRepository,
    InMemoryPropertyRepository,
    InMemoryReservationRepository,
    InMemoryTaskRepository,
)
from storage.memory.store import InMemoryStore, Transaction

if TYPE_CHECKING:
    from domain.ports import UnitOfWorkFactory


class InMemoryUnitOfWork:
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

    def __init__(self, store: InMemoryStore) -> None:
        self.store = store
        self.committed = 0
        self._tx: Transaction | None = None

    async def __aenter__(self) -> Self:
        if self._tx is not None:
            raise RuntimeError("This unit of work is already open; take a new one from the factory.")
        tx = self._tx = Transaction(self.store)
        self.hosts, self.members = InMemoryHostRepository(tx), InMemoryMemberRepository(tx)
        self.properties, self.feeds = InMemoryPropertyRepository(tx), InMemoryFeedRepository(tx)
        self.fetches = InMemoryFeedFetchRepository(tx)
        self.reservations, self.blocks = InMemoryReservationRepository(tx), InMemoryBlockRepository(tx)
        self.tasks, self.hires = InMemoryTaskRepository(tx), InMemoryHireRepository(tx)
        self.approvals, self.events = InMemoryApprovalRepository(tx), InMemoryEventRepository(tx)
        self.audit = InMemoryAuditRepository(tx)
        self.conversations = InMemoryConversationRepository(tx)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        tx, self._tx = self._transaction, None
        tx.rollback()

    async def commit(self) -> None:
        self._transaction.commit()
        self.committed += 1
        self.store.commits += 1

    async def rollback(self) -> None:
        self._transaction.rollback()

    @property
    def _transaction(self) -> Transaction:
        if self._tx is None:
            raise RuntimeError("Use the unit of work inside `async with`.")
        return self._tx


class InMemoryUnitOfWorkFactory:
    """`deps.uow` for tests: units of work over one shared `InMemoryStore`."""

    def __init__(self, store: InMemoryStore | None = None) -> None:
        self.store = store if store is not None else InMemoryStore()

    def __call__(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store)

    @property
    def committed(self) -> int:
        """Commits made through this factory's store, by every unit of work."""
        return self.store.commits


if TYPE_CHECKING:
    _conforms: UnitOfWorkFactory = InMemoryUnitOfWorkFactory()
