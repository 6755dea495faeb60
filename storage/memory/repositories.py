"""In-memory repositories: the same ports, orderings and errors as the SQL ones (`storage.contract`).

They store copies and hand out copies, so a caller's object never aliases a stored row; datetimes are
stored in UTC (a naive one raises `ValueError`), as the SQL column type does.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any, ClassVar, Generic, TypeVar

from domain.approvals import Approval, ApprovalStatus
from domain.errors import NotFound
from domain.events import AuditEntry, Event
from domain.feeds import Feed, FeedFetch
from domain.hires import Hire, HireStatus
from domain.hosts import Host, Member
from domain.properties import Property
from domain.reservations import Block, Reservation, ReservationStatus
from domain.tasks import Task, TaskKind, TaskStatus
from storage.contract import json_copy
from storage.memory.store import Transaction
from storage.types import as_utc


def stored(value: Any) -> Any:
    """A deep copy with every datetime in UTC: what a round trip through SQL gives back."""
    if isinstance(value, datetime):
        return as_utc(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: stored(getattr(value, f.name)) for f in dataclasses.fields(value)})
    if isinstance(value, list | tuple):
        return type(value)(stored(item) for item in value)
    if isinstance(value, dict):
        return {key: stored(item) for key, item in value.items()}
    return value


T = TypeVar("T")


class _Repository(Generic[T]):
    table: ClassVar[str]

    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def add(self, obj: T, /) -> None:
        self._tx.insert(self.table, stored(obj))

    async def add_many(self, objs: Sequence[T], /) -> None:
        """All or nothing, like one multi-row INSERT."""
        added: list[str] = []
        try:
            for obj in objs:
                await self.add(obj)
                added.append(obj.id)  # type: ignore[attr-defined]
        except Exception:
            for ident in added:
                self._tx.delete(self.table, ident)
            raise

    async def update(self, obj: T, /) -> None:
        self._tx.update(self.table, stored(obj))

    async def get(self, ident: str, /) -> T | None:
        row: T | None = copy.deepcopy(self._tx.get(self.table, ident))
        return row

    def _select(self, where: Callable[[T], bool], order: Callable[[T], Any], *, desc: bool = False) -> Iterable[T]:
        rows = sorted((r for r in self._tx.rows(self.table) if where(r)), key=order, reverse=desc)
        return (copy.deepcopy(r) for r in rows)


def _page(rows: Iterable[T], limit: int | None = None, offset: int = 0) -> list[T]:
    items = list(rows)[max(0, offset) :]
    return items if limit is None else items[: max(0, limit)]


def _created(obj: Any) -> tuple[datetime, str]:
    return obj.created_at, obj.id


class InMemoryHostRepository(_Repository[Host]):
    table = "hosts"

    async def list(self) -> list[Host]:
        return list(self._select(lambda h: True, _created))


class InMemoryMemberRepository(_Repository[Member]):
    table = "members"

    async def list_for_host(self, host_id: str) -> list[Member]:
        return list(self._select(lambda m: m.host_id == host_id, _created))

    async def find_by_identity(self, kind: str, value: str) -> Member | None:
        return next(iter(self._select(lambda m: m.identities.get(kind) == value, _created)), None)


class InMemoryPropertyRepository(_Repository[Property]):
    table = "properties"

    async def set_planned_on(self, property_id: str, day: date | None) -> None:
        current = await self.get(property_id)
        if current is None:
            raise NotFound("property", property_id)
        current.planned_on = day
        await self.update(current)

    async def list_for_host(self, host_id: str, *, limit: int = 50, offset: int = 0) -> list[Property]:
        return _page(self._select(lambda p: p.host_id == host_id, _created), limit, offset)

    async def list_all(self) -> list[Property]:
        return list(self._select(lambda p: True, _created))


class InMemoryFeedRepository(_Repository[Feed]):
    table = "feeds"

    async def delete(self, feed_id: str) -> None:
        self._tx.delete(self.table, feed_id)

    async def list_for_property(self, property_id: str) -> list[Feed]:
        return list(self._select(lambda f: f.property_id == property_id, _created))

    async def list_all(self) -> list[Feed]:
        return list(self._select(lambda f: True, _created))

    async def update_health(self, feed: Feed) -> None:
        current = self._tx.get(self.table, feed.id)
        if current is None:
            raise NotFound("feed", feed.id)
        await self.update(dataclasses.replace(current, health=copy.deepcopy(feed.health)))


def _stay(r: Reservation) -> tuple[date, str]:
    return r.check_in, r.id


class InMemoryReservationRepository(_Repository[Reservation]):
    table = "reservations"

    async def get_by_uid(self, feed_id: str, uid: str) -> Reservation | None:
        return next(iter(self._select(lambda r: (r.feed_id, r.uid) == (feed_id, uid), _stay)), None)

    async def list_for_feed(self, feed_id: str) -> list[Reservation]:
        return list(self._select(lambda r: r.feed_id == feed_id, _stay))

    async def list_for_property(self, property_id: str, *, ending_after: date | None = None) -> list[Reservation]:
        def where(r: Reservation) -> bool:
            return r.property_id == property_id and (ending_after is None or r.check_out > ending_after)

        return list(self._select(where, _stay))

    async def list_for_host(
        self,
        host_id: str,
        *,
        property_id: str | None = None,
        statuses: Sequence[ReservationStatus] | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Reservation]:
        def where(r: Reservation) -> bool:
            return (
                r.host_id == host_id
                and property_id in (None, r.property_id)
                and (statuses is None or r.status in statuses)
            )

        return _page(self._select(where, _stay), limit, offset)


class InMemoryBlockRepository(_Repository[Block]):
    table = "blocks"

    async def delete(self, block_id: str) -> None:
        self._tx.delete(self.table, block_id)

    async def list_for_feed(self, feed_id: str) -> list[Block]:
        return list(self._select(lambda b: b.feed_id == feed_id, lambda b: (b.start, b.id)))


def _window(t: Task) -> tuple[datetime, str]:
    return t.window_start, t.id


class InMemoryTaskRepository(_Repository[Task]):
    table = "tasks"

    async def get_by_natural_key(self, natural_key: str) -> Task | None:
        return next(iter(self._select(lambda t: t.natural_key == natural_key, _window)), None)

    async def list_for_property(self, property_id: str) -> list[Task]:
        return list(self._select(lambda t: t.property_id == property_id, _window))

    async def list_for_reservation(self, reservation_id: str) -> list[Task]:
        return list(self._select(lambda t: t.reservation_id == reservation_id, _window))

    async def list_by_status(self, statuses: Sequence[TaskStatus], *, host_id: str | None = None) -> list[Task]:
        wanted = set(statuses)
        return list(self._select(lambda t: t.status in wanted and host_id in (None, t.host_id), _window))

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
        def where(t: Task) -> bool:
            return (
                t.host_id == host_id
                and property_id in (None, t.property_id)
                and (statuses is None or t.status in statuses)
                and kind in (None, t.kind)
            )

        return _page(self._select(where, _window), limit, offset)


class InMemoryHireRepository(_Repository[Hire]):
    table = "hires"

    async def get_by_idempotency_key(self, key: str) -> Hire | None:
        return next(iter(self._select(lambda h: h.idempotency_key == key, _created)), None)

    async def list_for_task(self, task_id: str) -> list[Hire]:
        return list(self._select(lambda h: h.task_id == task_id, _created))

    async def list_for_host(self, host_id: str, *, since: datetime | None = None) -> list[Hire]:
        return list(self._select(lambda h: h.host_id == host_id and (since is None or h.created_at >= since), _created))

    async def list_by_status(self, statuses: Sequence[HireStatus]) -> list[Hire]:
        wanted = set(statuses)
        return list(self._select(lambda h: h.status in wanted, _created))


class InMemoryApprovalRepository(_Repository[Approval]):
    table = "approvals"

    async def list_open(self, host_id: str) -> list[Approval]:
        return list(self._select(lambda a: a.host_id == host_id and a.status is ApprovalStatus.OPEN, _created))


class InMemoryEventRepository(_Repository[Event]):
    table = "events"

    async def add(self, event: Event) -> None:
        await super().add(dataclasses.replace(event, payload=json_copy(event.payload, "event payload")))

    async def update(self, event: Event) -> None:
        await super().update(dataclasses.replace(event, payload=json_copy(event.payload, "event payload")))

    async def list_unnotified(self, *, limit: int = 100) -> list[Event]:
        return _page(self._select(lambda e: e.notified_at is None, _created), limit)

    async def list_for_host(
        self,
        host_id: str,
        *,
        limit: int = 50,
        since: datetime | None = None,
        property_id: str | None = None,
        subject_id: str | None = None,
    ) -> list[Event]:
        def where(e: Event) -> bool:
            return (
                e.host_id == host_id
                and (since is None or e.created_at >= since)
                and property_id in (None, e.property_id)
                and subject_id in (None, e.subject_id)
            )

        return _page(self._select(where, _created, desc=True), limit)


class InMemoryAuditRepository(_Repository[AuditEntry]):
    table = "audit_log"

    async def add(self, entry: AuditEntry) -> None:
        await super().add(dataclasses.replace(entry, arguments=json_copy(entry.arguments, "audit arguments")))

    async def list_for_host(
        self,
        host_id: str,
        *,
        limit: int = 50,
        since: datetime | None = None,
        channel: str | None = None,
        property_id: str | None = None,
    ) -> list[AuditEntry]:
        def where(e: AuditEntry) -> bool:
            return (
                e.host_id == host_id
                and (since is None or e.at >= since)
                and channel in (None, e.channel)
                and property_id in (None, e.arguments.get("property_id"))
            )

        return _page(self._select(where, lambda e: (e.at, e.id), desc=True), limit)


class InMemoryFeedFetchRepository(_Repository[FeedFetch]):
    table = "feed_fetches"

    async def add(self, fetch: FeedFetch) -> None:
        events = None if fetch.events is None else tuple(json_copy(e, "fetched event") for e in fetch.events)
        await super().add(dataclasses.replace(fetch, events=events))

    async def list_for_feed(self, feed_id: str, *, limit: int = 50) -> list[FeedFetch]:
        return _page(self._select(lambda f: f.feed_id == feed_id, lambda f: (f.at, f.id), desc=True), limit)

    async def expire_snapshots(self, before: datetime) -> int:
        before = as_utc(before)
        snapshots = sorted(
            (f for f in self._tx.rows(self.table) if f.events is not None), key=lambda f: (f.at, f.id), reverse=True
        )
        newest: set[str] = set()  # feeds whose newest snapshot was passed: it is kept, whatever its age
        cleared = 0
        for fetch in snapshots:
            if fetch.feed_id not in newest:
                newest.add(fetch.feed_id)
            elif fetch.at < before:
                self._tx.update(self.table, dataclasses.replace(fetch, events=None))
                cleared += 1
        return cleared
