"""Reservations: the stays the calendar feeds brought in. Blocks (closed dates) are not stays and
never appear here.

Every member may read them (owner, approver, viewer); another host's stays do not exist for the
caller (`NotFound`). Calendar dates are the property's own dates; times are shown in the property's
timezone as ISO strings with their offset. A guest label is whatever the feed says: data, shown as is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from domain.errors import InvalidInput, NotFound
from domain.planning import local_instant, mirrors
from domain.ports import UnitOfWork
from domain.properties import Property
from domain.reservations import Reservation, ReservationStatus
from domain.tasks import TaskKind, TaskStatus
from tools.context import ToolContext
from tools.registry import MAX_PAGE, page, tool
from tools.scope import READERS, owned_property

GONE = (ReservationStatus.CANCELLED, ReservationStatus.MERGED)  # no longer a stay in the house
MAX_DAYS = 90


def local_iso(instant: datetime, zone: ZoneInfo) -> str:
    """An instant as the property's wall-clock time, ISO 8601 with its offset."""
    return instant.astimezone(zone).isoformat()


@dataclass(slots=True)
class Places:
    """The host's properties and where each feed comes from, loaded once per call."""

    properties: dict[str, Property] = field(default_factory=dict)
    platforms: dict[str, str] = field(default_factory=dict)  # feed id -> airbnb, vrbo, booking, generic

    @classmethod
    async def load(cls, uow: UnitOfWork, host_id: str, *, feeds: bool = True) -> Places:
        places, offset = cls(), 0
        while batch := await uow.properties.list_for_host(host_id, limit=MAX_PAGE, offset=offset):
            for prop in batch:
                places.properties[prop.id] = prop
                if feeds:
                    for feed in await uow.feeds.list_for_property(prop.id):
                        places.platforms[feed.id] = feed.platform.value
            offset += len(batch)
        return places

    def only(self, property_id: str) -> Property:
        """Narrow to one property of the host; NotFound for any other id."""
        prop = self.properties.get(property_id)
        if prop is None:
            raise NotFound("property", property_id)
        self.properties = {property_id: prop}
        return prop


class ReservationOut(BaseModel):
    id: str
    property_id: str
    property_name: str
    platform: str  # where it was booked: airbnb, vrbo, booking, generic ("" when its feed was removed)
    guest: str  # the feed's label for the guest: data, as the feed wrote it
    code: str | None  # the platform's confirmation code, when the feed gives one
    check_in: date
    check_out: date
    nights: int
    arrival: str  # local ISO time with offset
    departure: str
    guests: int | None
    status: ReservationStatus

    @classmethod
    def of(cls, r: Reservation, prop: Property, platform: str) -> ReservationOut:
        arrival = r.check_in_at or local_instant(r.check_in, prop.check_in_time, prop.zone)
        departure = r.check_out_at or local_instant(r.check_out, prop.check_out_time, prop.zone)
        return cls(
            id=r.id, property_id=prop.id, property_name=prop.name, platform=platform, guest=r.guest, code=r.code,
            check_in=r.check_in, check_out=r.check_out, nights=r.nights, arrival=local_iso(arrival, prop.zone),
            departure=local_iso(departure, prop.zone), guests=r.guests, status=r.status,
        )  # fmt: skip


class UpcomingStayOut(ReservationOut):
    today: str  # in_house, arrives_today, departs_today or upcoming (in the property's timezone)
    days_until_arrival: int  # 0 today, negative when the guests are already in
    same_day_turnover: bool  # another arrival on its checkout day: the clean has to fit in between


class TaskRef(BaseModel):
    id: str
    kind: TaskKind
    status: TaskStatus
    start: str  # local ISO time with offset
    same_day_turnover: bool


class ChangeOut(BaseModel):
    at: datetime
    kind: str  # reservation.new, reservation.changed, reservation.cancelled
    message: str


class ReservationDetailOut(ReservationOut):
    first_seen_at: datetime
    updated_at: datetime
    tasks: list[TaskRef]
    history: list[ChangeOut]  # oldest first; a calendar's first import records no per-stay history


@tool(read_only=True)
async def list_reservations(
    ctx: ToolContext,
    *,
    property_id: str | None = None,
    status: ReservationStatus | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[ReservationOut]:
    """The host's reservations (stays from the calendar feeds), by check-in date, oldest first.

    Use upcoming_reservations for what is coming up next.

    Args:
        property_id: only this property's stays.
        status: only stays in this status (confirmed, tentative, cancelled, out_of_window, merged).
        limit: page size, at most 200.
        offset: how many to skip.
    """
    ctx.actor.require(*READERS)
    limit, offset = page(limit, offset)
    async with ctx.deps.uow() as uow:
        places = await Places.load(uow, ctx.actor.host_id)
        if property_id is not None:
            places.only(property_id)
        found = await uow.reservations.list_for_host(
            ctx.actor.host_id,
            property_id=property_id,
            statuses=None if status is None else [status],
            limit=limit,
            offset=offset,
        )
    return [ReservationOut.of(r, places.properties[r.property_id], places.platforms.get(r.feed_id, "")) for r in found]


@tool(read_only=True)
async def upcoming_reservations(
    ctx: ToolContext, *, days: int = 14, property_id: str | None = None
) -> list[UpcomingStayOut]:
    """Who is in, arriving or leaving over the next days, soonest first: stays that are in the house
    today, leave today, or arrive within `days` (counted in each property's own timezone).

    Args:
        days: how many days ahead to look, 1 to 90.
        property_id: only this property's stays.
    """
    ctx.actor.require(*READERS)
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"days must be between 1 and {MAX_DAYS}, not {days}.")
    now = ctx.deps.clock.now()
    async with ctx.deps.uow() as uow:
        places = await Places.load(uow, ctx.actor.host_id)
        if property_id is not None:
            places.only(property_id)
        out: list[UpcomingStayOut] = []
        for prop in places.properties.values():
            today = now.astimezone(prop.zone).date()
            stays = await uow.reservations.list_for_property(prop.id, ending_after=today - timedelta(days=1))
            out += _upcoming(prop, stays, today, days, places.platforms)
    return sorted(out, key=lambda s: (s.check_in, s.arrival, s.property_name, s.id))


def _upcoming(
    prop: Property, stays: list[Reservation], today: date, days: int, platforms: dict[str, str]
) -> list[UpcomingStayOut]:
    """The property's stays between today and `days` ahead; a stay mirrored from another feed once."""
    mirrored = mirrors(stays)
    live = [r for r in stays if r.status not in GONE and r.id not in mirrored]
    arrivals = {r.check_in for r in live if not r.start_clipped}
    out = []
    for r in live:
        if r.check_in >= today + timedelta(days=days):
            continue
        if r.check_out == today:
            when = "departs_today"
        elif r.check_in == today:
            when = "arrives_today"
        else:
            when = "in_house" if r.check_in < today else "upcoming"
        base = ReservationOut.of(r, prop, platforms.get(r.feed_id, ""))
        out.append(
            UpcomingStayOut(
                **base.model_dump(),
                today=when,
                days_until_arrival=(r.check_in - today).days,
                same_day_turnover=r.check_out in arrivals,
            )
        )
    return out


@tool(read_only=True)
async def get_reservation(ctx: ToolContext, *, reservation_id: str) -> ReservationDetailOut:
    """One reservation in full: its dates and guest label, the tasks it made (with their status) and
    how it changed since it was first seen.

    Args:
        reservation_id: the reservation (from list_reservations or upcoming_reservations).
    """
    ctx.actor.require(*READERS)
    async with ctx.deps.uow() as uow:
        r = await uow.reservations.get(reservation_id)
        if r is None or r.host_id != ctx.actor.host_id:
            raise NotFound("reservation", reservation_id)
        prop = await owned_property(uow, ctx, r.property_id)
        feed = await uow.feeds.get(r.feed_id)
        tasks = await uow.tasks.list_for_reservation(r.id)
        events = await uow.events.list_for_host(ctx.actor.host_id, subject_id=r.id, limit=MAX_PAGE)
    base = ReservationOut.of(r, prop, feed.platform.value if feed else "")
    return ReservationDetailOut(
        **base.model_dump(),
        first_seen_at=r.first_seen_at,
        updated_at=r.updated_at,
        tasks=[
            TaskRef(
                id=t.id,
                kind=t.kind,
                status=t.status,
                start=local_iso(t.window_start, prop.zone),
                same_day_turnover=t.same_day_turnover,
            )
            for t in tasks
        ],
        history=[ChangeOut(at=e.created_at, kind=e.kind.value, message=e.message) for e in reversed(events)],
    )
