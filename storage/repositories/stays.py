"""SQL repositories for reservations and blocks, with their row mapping."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, select

from domain.reservations import Block, Reservation, ReservationStatus
from storage import tables as t
from storage.repositories.base import SqlRepository

_r = t.reservations.c


class SqlReservationRepository(SqlRepository):
    """Lists are ordered by check-in date, then id. Identity is `(feed_id, uid)`: a second one is a `Conflict`."""

    table = t.reservations
    kind = "reservation"

    async def add(self, reservation: Reservation) -> None:
        await self._insert({"id": reservation.id, **_reservation_values(reservation)})

    async def add_many(self, items: Sequence[Reservation]) -> None:
        await self._insert_many([{"id": r.id, **_reservation_values(r)} for r in items])

    async def get(self, reservation_id: str) -> Reservation | None:
        row = await self._get_row(reservation_id)
        return None if row is None else _reservation(row)

    async def update(self, reservation: Reservation) -> None:
        await self._update(reservation.id, _reservation_values(reservation))

    async def get_by_uid(self, feed_id: str, uid: str) -> Reservation | None:
        rows = await self._rows(select(t.reservations).where(_r.feed_id == feed_id, _r.uid == uid))
        return _reservation(rows[0]) if rows else None

    async def list_for_feed(self, feed_id: str) -> list[Reservation]:
        query = select(t.reservations).where(_r.feed_id == feed_id).order_by(_r.check_in, _r.id)
        return [_reservation(row) for row in await self._rows(query)]

    async def list_for_property(self, property_id: str, *, ending_after: date | None = None) -> list[Reservation]:
        """All stays of the property; with `ending_after`, only those whose check-out is later than that date."""
        query = select(t.reservations).where(_r.property_id == property_id)
        if ending_after is not None:
            query = query.where(_r.check_out > ending_after)
        return [_reservation(row) for row in await self._rows(query.order_by(_r.check_in, _r.id))]

    async def list_for_host(
        self,
        host_id: str,
        *,
        property_id: str | None = None,
        statuses: Sequence[ReservationStatus] | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Reservation]:
        query = select(t.reservations).where(_r.host_id == host_id)
        if property_id is not None:
            query = query.where(_r.property_id == property_id)
        if statuses is not None:
            query = query.where(_r.status.in_([s.value for s in statuses]))
        query = query.order_by(_r.check_in, _r.id).limit(limit).offset(offset)
        return [_reservation(row) for row in await self._rows(query)]


def _reservation_values(r: Reservation) -> dict[str, Any]:
    return {
        "host_id": r.host_id, "property_id": r.property_id, "feed_id": r.feed_id, "uid": r.uid,
        "check_in": r.check_in, "check_out": r.check_out, "status": r.status.value,
        "first_seen_at": r.first_seen_at, "updated_at": r.updated_at, "code": r.code, "guest": r.guest,
        "phone_last4": r.phone_last4, "guests": r.guests, "check_in_at": r.check_in_at,
        "check_out_at": r.check_out_at, "start_clipped": r.start_clipped, "from_block": r.from_block,
    }  # fmt: skip


def _reservation(row: Row[Any]) -> Reservation:
    return Reservation(
        id=row.id, host_id=row.host_id, property_id=row.property_id, feed_id=row.feed_id, uid=row.uid,
        check_in=row.check_in, check_out=row.check_out, status=ReservationStatus(row.status),
        first_seen_at=row.first_seen_at, updated_at=row.updated_at, code=row.code, guest=row.guest,
        phone_last4=row.phone_last4, guests=row.guests, check_in_at=row.check_in_at,
        check_out_at=row.check_out_at, start_clipped=row.start_clipped, from_block=row.from_block,
    )  # fmt: skip


class SqlBlockRepository(SqlRepository):
    """Blocks of a feed, ordered by start date, then id. Identity is `(feed_id, uid)`."""

    table = t.blocks
    kind = "block"

    async def add(self, block: Block) -> None:
        await self._insert({"id": block.id, **_block_values(block)})

    async def add_many(self, items: Sequence[Block]) -> None:
        await self._insert_many([{"id": b.id, **_block_values(b)} for b in items])

    async def update(self, block: Block) -> None:
        await self._update(block.id, _block_values(block))

    async def delete(self, block_id: str) -> None:
        await self._delete(block_id)

    async def list_for_feed(self, feed_id: str) -> list[Block]:
        b = t.blocks.c
        query = select(t.blocks).where(b.feed_id == feed_id).order_by(b.start, b.id)
        return [_block(row) for row in await self._rows(query)]


def _block_values(b: Block) -> dict[str, Any]:
    return {
        "property_id": b.property_id, "feed_id": b.feed_id, "uid": b.uid, "start": b.start, "end": b.end,
        "summary": b.summary, "updated_at": b.updated_at, "window": b.window,
    }  # fmt: skip


def _block(row: Row[Any]) -> Block:
    return Block(
        id=row.id, property_id=row.property_id, feed_id=row.feed_id, uid=row.uid, start=row.start, end=row.end,
        summary=row.summary, updated_at=row.updated_at, window=row.window,
    )  # fmt: skip
