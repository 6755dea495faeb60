"""A replay harness for the sync engine: feed snapshots served over real loopback HTTP, a real SQLite
store, a frozen clock, and the sync -> plan -> notify steps run once per `tick`.

    async with Replay.open(tmp_path / "replay.sqlite", start=datetime(2026, 11, 25, 9, tzinfo=UTC)) as replay:
        await replay.add_feed(AIRBNB, Platform.AIRBNB)
        replay.publish(AIRBNB, replay.airbnb([Stay("s1", date(2026, 12, 1), date(2026, 12, 4), code="HMQ7K2X9PD")]))
        first = await replay.tick()                  # the import
        replay.publish(AIRBNB, 500)                  # the next fetch gets an HTTP 500 with a JSON body
        later = await replay.tick(minutes=15)        # advance the clock, then sync, plan and notify

Also here: a Booking.com writer (calendar-feeds.md §1.4; `integrations.calendars.synthetic` has none)
and a writer that turns the `events` stored in the fetch audit back into a calendar body (rule 21).
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Self
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.events import Event, EventKind
from domain.feeds import Feed, FeedFetch, Platform
from domain.reservations import Block, Reservation
from domain.tasks import Task
from integrations.calendars.feed_server import CALENDAR_TYPE, FeedServer
from integrations.calendars.fetch import HttpFeedFetcher, make_http_client
from integrations.calendars.synthetic import (
    BlockSpec,
    Stay,
    airbnb_calendar,
    booking_calendar,
    escape_text,
    fold_line,
    vrbo_calendar,
)
from integrations.clock import FrozenClock, SequentialIds
from scheduler.notify import notify
from scheduler.plan import PlanReport, plan_tasks
from scheduler.sync import SyncReport, sync_feeds
from storage.database import make_engine, prepare_database, sqlite_url
from storage.uow import SqlUnitOfWorkFactory
from tests.fakes import FakeMarketplace, RecordingNotifier
from tools.context import AppDeps, ToolContext
from tools.feeds import add_feed
from tools.hosts import ensure_local_owner
from tools.properties import add_property

TOKEN = "t=5c1f0a9e3b7d42e68f0a1b2c3d4e5f60"  # invented; the query is ignored by the server's routing
BOOKING_SUMMARY = "CLOSED - Not available"
JSON_500 = b'{"error":"internal_server_error","message":"Something went wrong","status":500}'


# --- writers ----------------------------------------------------------------------------------------


def calendar_from_records(records: Iterable[dict[str, Any]], *, prodid: str) -> bytes:
    """A calendar body from the `events` of a fetch audit record (all-day events only)."""
    lines = ["BEGIN:VCALENDAR", f"PRODID:{prodid}", "CALSCALE:GREGORIAN", "VERSION:2.0"]
    for record in records:
        start, end = date.fromisoformat(record["start"]), date.fromisoformat(record["end"])
        lines += ["BEGIN:VEVENT", f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}"]
        lines += [f"SUMMARY:{escape_text(record['summary'])}", f"UID:{record['uid']}"]
        if record["description"]:
            lines.append(f"DESCRIPTION:{escape_text(record['description'])}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in fold_line(line)).encode()


def _hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- the harness -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tick:
    """What one tick left behind: the step reports, the notifications sent during it, and the state after it."""

    at: datetime
    sync: SyncReport
    plan: PlanReport
    notifications: list[Event]
    reservations: list[Reservation]
    tasks: list[Task]

    def kinds(self) -> list[EventKind]:
        return [n.kind for n in self.notifications]


class Replay:
    def __init__(
        self,
        server: FeedServer,
        deps: AppDeps,
        ctx: ToolContext,
        clock: FrozenClock,
        notifier: RecordingNotifier,
        property_id: str,
        zone: ZoneInfo,
    ) -> None:
        self.server, self.deps, self.ctx, self.clock, self.notifier = server, deps, ctx, clock, notifier
        self.property_id, self.zone = property_id, zone
        self.feed_ids: dict[str, str] = {}  # path -> feed id
        self.sent: list[Event] = []  # every notification, in order, across ticks
        self._seen = 0

    @classmethod
    @asynccontextmanager
    async def open(
        cls,
        database: Path,
        *,
        start: datetime,
        timezone: str = "Europe/Lisbon",
        check_in_tasks: bool = False,
        check_out_tasks: bool = False,
    ) -> AsyncIterator[Self]:
        """A property in `timezone` with no feed yet, stored in a new SQLite file at `database`."""
        with FeedServer() as server:
            async with make_http_client() as client:
                engine = make_engine(sqlite_url(database))
                try:
                    yield await cls._start(server, client, engine, start, timezone, check_in_tasks, check_out_tasks)
                finally:
                    await engine.dispose()

    @classmethod
    async def _start(
        cls,
        server: FeedServer,
        client: httpx.AsyncClient,
        engine: AsyncEngine,
        start: datetime,
        timezone: str,
        check_in_tasks: bool,
        check_out_tasks: bool,
    ) -> Self:
        await prepare_database(engine)
        clock, notifier = FrozenClock(start), RecordingNotifier()
        deps = AppDeps(
            uow=SqlUnitOfWorkFactory(engine), clock=clock, ids=SequentialIds(), fetcher=HttpFeedFetcher(client),
            marketplace=FakeMarketplace(), notifier=notifier,
        )  # fmt: skip
        ctx = ToolContext(deps, await ensure_local_owner(deps, timezone=timezone))
        prop = await add_property(
            ctx, name="Alfama loft", city="Lisbon", timezone=timezone, check_in_tasks=check_in_tasks,
            check_out_tasks=check_out_tasks,
        )  # fmt: skip
        return cls(server, deps, ctx, clock, notifier, prop.id, ZoneInfo(timezone))

    # --- feeds ---

    async def add_feed(
        self,
        path: str,
        platform: Platform,
        *,
        blocks_are_bookings: bool = False,
        honour_event_times: bool = False,
        dtend_is_last_night: bool = False,
    ) -> str:
        """Connect the feed served at `path`; `add_feed` takes only `blocks_are_bookings`, the rest is set here."""
        out = await add_feed(
            self.ctx, property_id=self.property_id, url=self.server.url(f"{path}?{TOKEN}"), platform=platform,
            blocks_are_bookings=blocks_are_bookings,
        )  # fmt: skip
        if honour_event_times or dtend_is_last_night:
            async with self.deps.uow() as uow:
                feed = await uow.feeds.get(out.id)
                assert feed is not None
                feed.options.honour_event_times = honour_event_times
                feed.options.dtend_is_last_night = dtend_is_last_night
                await uow.feeds.update(feed)
                await uow.commit()
        self.feed_ids[path] = out.id
        return out.id

    def publish(self, path: str, body: bytes | int, *, content_type: str | None = None) -> None:
        """Serve `body` (200) at `path` from now on; an int serves that HTTP status with a JSON error body."""
        if isinstance(body, int):
            self.server.set(path, JSON_500, status=body, content_type=content_type or "application/json")
        else:
            self.server.set(path, body, content_type=content_type or CALENDAR_TYPE)

    def airbnb(self, stays: Sequence[Stay], blocks: Sequence[BlockSpec] = (), *, seed: str = "listing-1") -> bytes:
        return airbnb_calendar(stays, blocks, stamp=self.clock.now(), listing_seed=seed)

    def vrbo(self, stays: Sequence[Stay], blocks: Sequence[BlockSpec] = (), *, seed: str = "listing-1") -> bytes:
        return vrbo_calendar(stays, blocks, stamp=self.clock.now(), listing_seed=seed)

    def booking(self, ranges: Sequence[BlockSpec], *, seed: str = "room-1") -> bytes:
        return booking_calendar(ranges, stamp=self.clock.now(), listing_seed=seed)

    # --- time ---

    async def tick(self, *, minutes: float = 0, hours: float = 0, days: float = 0, at: datetime | None = None) -> Tick:
        """Move the clock (to `at`, or forward), then sync every feed (forced), plan, and notify."""
        if at is not None:
            self.clock.set(at)
        else:
            self.clock.advance(timedelta(days=days, hours=hours, minutes=minutes))
        sync = await sync_feeds(self.deps, force=True)
        plan = await plan_tasks(self.deps)
        await notify(self.deps)
        new = self.notifier.sent[self._seen :]
        self._seen = len(self.notifier.sent)
        self.sent += new
        return Tick(self.clock.now(), sync, plan, list(new), await self.reservations(), await self.tasks())

    @property
    def today(self) -> date:
        return self.clock.now().astimezone(self.zone).date()

    # --- observable state ---

    async def reservations(self) -> list[Reservation]:
        async with self.deps.uow() as uow:
            return await uow.reservations.list_for_property(self.property_id)

    async def tasks(self) -> list[Task]:
        async with self.deps.uow() as uow:
            return sorted(await uow.tasks.list_for_property(self.property_id), key=lambda t: (t.window_start, t.id))

    async def blocks(self, path: str) -> list[Block]:
        async with self.deps.uow() as uow:
            return await uow.blocks.list_for_feed(self.feed_ids[path])

    async def feed(self, path: str) -> Feed:
        async with self.deps.uow() as uow:
            feed = await uow.feeds.get(self.feed_ids[path])
        assert feed is not None
        return feed

    async def fetches(self, path: str) -> list[FeedFetch]:
        """The fetch audit of one feed, oldest first."""
        async with self.deps.uow() as uow:
            return list(reversed(await uow.fetches.list_for_feed(self.feed_ids[path], limit=1000)))

    def local_date(self, task: Task) -> date:
        return task.window_start.astimezone(self.zone).date()
