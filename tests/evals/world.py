"""The world every eval case starts from: in memory, at a frozen instant, with a marketplace fake.

One host in Lisbon with the "Alfama loft" (an Airbnb feed, two stays synced and their cleans
planned) and three cleaners on the marketplace. Cases name what they need through `refs`:
`{alfama}`, `{feed}`, `{clean_nov_28}`, `{clean_dec_2}` in a case's expected arguments.
Nothing leaves the machine but the model's own requests: no calendar is fetched, nobody is hired.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from domain.calendar import CalendarEvent, FeedSnapshot, events_hash
from domain.feeds import Platform
from integrations.clock import FrozenClock, SequentialIds
from scheduler.pipeline import refresh_feeds
from scheduler.plan import plan_tasks
from scheduler.sync import sync_feeds
from storage.memory import InMemoryUnitOfWorkFactory
from tests.builders import NOW, a_worker
from tests.fakes import FakeMarketplace, RecordingNotifier, StaticFeedFetcher
from tools.context import AppDeps, ToolContext
from tools.feeds import add_feed
from tools.hosts import ensure_local_owner
from tools.properties import add_property

FEED_URL = "https://www.airbnb.com/calendar/ical/1234567.ics?s=0123456789abcdef"
STAYS = (("stay-a", date(2026, 11, 26), 2), ("stay-b", date(2026, 11, 29), 3))  # Thu-Sat, Sun-Wed
REFS = ("alfama", "feed", "clean_nov_28", "clean_dec_2")


@dataclass(frozen=True)
class EvalWorld:
    ctx: ToolContext
    market: FakeMarketplace
    refs: dict[str, str]


def workers() -> FakeMarketplace:
    return FakeMarketplace(
        workers=[
            a_worker("w1", name="Ana Costa", rating=4.9, hourly_rate=Decimal("25")),
            a_worker("w2", name="Bruno Silva", rating=4.6, hourly_rate=Decimal("22")),
            a_worker("w3", name="Carla Mendes", rating=4.8, hourly_rate=Decimal("32"), skills=("Cleaning", "Laundry")),
        ]
    )


async def seeded_world() -> EvalWorld:
    fetcher, market = StaticFeedFetcher(), workers()
    deps = AppDeps(
        uow=InMemoryUnitOfWorkFactory(), clock=FrozenClock(NOW), ids=SequentialIds(), fetcher=fetcher,
        marketplace=market, notifier=RecordingNotifier(), refresh=refresh_feeds,
    )  # fmt: skip
    ctx = ToolContext(deps, await ensure_local_owner(deps, name="Eval host", timezone="Europe/Lisbon"))
    prop = await add_property(ctx, name="Alfama loft", city="Lisbon", timezone="Europe/Lisbon")
    feed = await add_feed(ctx, property_id=prop.id, url=FEED_URL, platform=Platform.AIRBNB)
    events = tuple(
        CalendarEvent(uid=uid, start=start, end=start + timedelta(days=nights), summary="Reserved")
        for uid, start, nights in STAYS
    )
    fetcher.snapshots[FEED_URL] = FeedSnapshot(events=events, body_digest=events_hash(events))
    await sync_feeds(deps, force=True)
    await plan_tasks(deps)
    async with deps.uow() as uow:
        first, second = await uow.tasks.list_for_host(ctx.actor.host_id)  # the two cleans, by start
    refs = {"alfama": prop.id, "feed": feed.id, "clean_nov_28": first.id, "clean_dec_2": second.id}
    return EvalWorld(ctx=ctx, market=market, refs=refs)
