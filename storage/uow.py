"""The SQL unit of work: one connection and one transaction per `async with`.

```python
async with uow_factory() as uow:
    task = await uow.tasks.get(task_id)
    ...
    await uow.commit()  # without it, leaving the block rolls everything back
```
`commit()` may be called more than once in a block: each call commits what was written since the
previous one, and the work that follows starts a new transaction.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Self

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

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
from storage.contract import concurrent
from storage.repositories import (
    SqlApprovalRepository,
    SqlAuditRepository,
    SqlBlockRepository,
    SqlConversationRepository,
    SqlEventRepository,
    SqlFeedFetchRepository,
    SqlFeedRepository,
    SqlHireRepository,
    SqlHostRepository,
    SqlMemberRepository,
    SqlPropertyRepository,
    SqlReservationRepository,
    SqlTaskRepository,
)
from storage.repositories.base import is_concurrent_write

if TYPE_CHECKING:
    from domain.ports import UnitOfWorkFactory


class SqlUnitOfWork:
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

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._conn: AsyncConnection | None = None
        self.committed = 0  # how many times `commit()` was called, for tests

    async def __aenter__(self) -> Self:
        if self._conn is not None:
            raise RuntimeError("This unit of work is already open; take a new one from the factory.")
        conn = self._conn = await self._engine.connect()
        self.hosts, self.members = SqlHostRepository(conn), SqlMemberRepository(conn)
        self.properties, self.feeds = SqlPropertyRepository(conn), SqlFeedRepository(conn)
        self.fetches = SqlFeedFetchRepository(conn)
        self.reservations, self.blocks = SqlReservationRepository(conn), SqlBlockRepository(conn)
        self.tasks, self.hires = SqlTaskRepository(conn), SqlHireRepository(conn)
        self.approvals, self.events = SqlApprovalRepository(conn), SqlEventRepository(conn)
        self.audit = SqlAuditRepository(conn)
        self.conversations = SqlConversationRepository(conn)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        conn, self._conn = self._connection, None
        try:
            if conn.in_transaction():
                await conn.rollback()
        finally:
            await conn.close()

    async def commit(self) -> None:
        conn = self._connection
        if conn.in_transaction():
            try:
                await conn.commit()
            except DBAPIError as exc:
                if is_concurrent_write(exc):
                    raise concurrent("change") from exc
                raise
        self.committed += 1

    async def rollback(self) -> None:
        conn = self._connection
        if conn.in_transaction():
            await conn.rollback()

    @property
    def _connection(self) -> AsyncConnection:
        if self._conn is None:
            raise RuntimeError("Use the unit of work inside `async with`.")
        return self._conn


class SqlUnitOfWorkFactory:
    """`deps.uow`: each call gives a new, unopened `SqlUnitOfWork` on the shared engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)


if TYPE_CHECKING:

    def _conforms(engine: AsyncEngine) -> UnitOfWorkFactory:
        return SqlUnitOfWorkFactory(engine)
