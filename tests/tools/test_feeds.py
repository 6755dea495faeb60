"""`feed_health`: the status of each feed after real syncs, its redacted URL, and the host's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from inline_snapshot import snapshot

from domain.calendar import CalendarEvent, FeedSnapshot
from domain.errors import NotFound
from domain.feeds import Feed, Platform
from domain.hosts import Actor, Channel, Host, Member, Role
from domain.properties import Property
from integrations.clock import FrozenClock, SequentialIds
from scheduler.sync import sync_feeds
from storage.memory import InMemoryUnitOfWorkFactory
from tests.builders import NOW
from tests.fakes import FakeMarketplace, RecordingNotifier, StaticFeedFetcher
from tools.context import AppDeps, ToolContext
from tools.feeds import FeedHealthOut, FeedStatus, add_feed, feed_health
from tools.hosts import ensure_local_owner
from tools.properties import add_property

TOKEN = "7c41d09be2aa4f3f9d8e61b05a2c93de"  # an invented feed token: must never come back
FEED_URL = f"https://www.airbnb.test/calendar/ical/{TOKEN[:8]}.ics?s={TOKEN}"
STAYS = (("a", date(2026, 11, 26), 2), ("b", date(2026, 12, 1), 2), ("c", date(2026, 12, 5), 3))


@dataclass
class World:
    deps: AppDeps
    ctx: ToolContext
    clock: FrozenClock
    fetcher: StaticFeedFetcher
    property_id: str

    def publish(self, *stays: tuple[str, date, int]) -> None:
        events = tuple(
            CalendarEvent(uid=uid, start=start, end=start + timedelta(days=nights), summary="Reserved")
            for uid, start, nights in stays
        )
        self.fetcher.snapshots[FEED_URL] = FeedSnapshot(events=events)

    async def sync_after(self, minutes: int = 15, times: int = 1) -> None:
        for _ in range(times):
            self.clock.advance(timedelta(minutes=minutes))
            await sync_feeds(self.deps, force=True)

    async def health(self) -> FeedHealthOut:
        [feed] = await feed_health(self.ctx, property_id=self.property_id)
        return feed


@pytest.fixture
async def world() -> World:
    clock, fetcher = FrozenClock(NOW), StaticFeedFetcher()
    deps = AppDeps(
        uow=InMemoryUnitOfWorkFactory(), clock=clock, ids=SequentialIds(), fetcher=fetcher,
        marketplace=FakeMarketplace(), notifier=RecordingNotifier(),
    )  # fmt: skip
    ctx = ToolContext(deps, await ensure_local_owner(deps))
    prop = await add_property(ctx, name="Alfama loft", city="Lisbon", timezone="Europe/Lisbon")
    await add_feed(ctx, property_id=prop.id, url=FEED_URL, platform=Platform.AIRBNB)
    return World(deps, ctx, clock, fetcher, prop.id)


async def test_a_feed_never_fetched_says_so_and_shows_only_its_redacted_url(world: World) -> None:
    assert (await world.health()).model_dump(mode="json") == snapshot(
        {
            "feed_id": "feed_5",
            "property_id": "prop_3",
            "property_name": "Alfama loft",
            "platform": "airbnb",
            "url": "https://www.airbnb.test/…",
            "status": "never_fetched",
            "last_success_at": None,
            "last_attempt_at": None,
            "next_fetch_at": None,
            "consecutive_failures": 0,
            "last_error": "",
            "stale": False,
            "hold": None,
            "recent_fetches": [],
        }
    )


async def test_a_good_sync_makes_the_feed_ok_with_the_fetch_in_its_history(world: World) -> None:
    world.publish(*STAYS)
    await world.sync_after(0)
    health = await world.health()
    assert (health.status, health.last_success_at, health.last_attempt_at, health.stale) == (
        FeedStatus.OK, NOW, NOW, False,
    )  # fmt: skip
    assert health.next_fetch_at is not None and health.next_fetch_at > NOW
    assert health.hold is None
    assert [f.model_dump(mode="json") for f in health.recent_fetches] == snapshot(
        [
            {
                "at": "2026-11-25T09:00:00Z",
                "outcome": "applied",
                "event_count": 3,
                "new": 3,
                "changed": 0,
                "cancelled": 0,
                "error": "",
                "held_reason": "",
            }
        ]
    )


async def test_three_failed_fetches_make_the_feed_failing_with_its_last_error(world: World) -> None:
    world.publish(*STAYS)
    await world.sync_after(0)
    world.fetcher.snapshots[FEED_URL] = FeedSnapshot(error="HTTP 503")
    await world.sync_after(15, times=3)
    health = await world.health()
    assert (health.status, health.consecutive_failures, health.last_error) == (FeedStatus.FAILING, 3, "HTTP 503")
    assert (health.last_success_at, health.last_attempt_at) == (NOW, NOW + timedelta(minutes=45))
    assert [(f.outcome.value, f.error) for f in health.recent_fetches] == [
        ("failed", "HTTP 503"), ("failed", "HTTP 503"), ("failed", "HTTP 503"), ("applied", ""),
    ]  # fmt: skip


async def test_an_empty_calendar_after_bookings_is_held_with_its_reason_and_progress(world: World) -> None:
    world.publish(*STAYS)
    await world.sync_after(0)
    world.publish()
    await world.sync_after(30, times=2)
    health = await world.health()
    assert health.status is FeedStatus.HELD
    assert health.hold is not None
    assert health.hold.model_dump(mode="json") == snapshot(
        {
            "since": "2026-11-25T09:30:00Z",
            "fetches_seen": 2,
            "fetches_needed": 3,
            "min_span_minutes": 120,
            "reason": "the feed came back empty while 3 upcoming stays were known; waiting for confirmation",
        }
    )
    assert [f.outcome.value for f in health.recent_fetches] == ["held", "held", "applied"]


async def test_a_hold_keeps_its_reason_when_failures_follow_it(world: World) -> None:
    world.publish(*STAYS)
    await world.sync_after(0)
    world.publish()
    await world.sync_after(15)
    world.fetcher.snapshots[FEED_URL] = FeedSnapshot(error="not a calendar: a JSON body")  # never counts to a hold
    await world.sync_after(5, times=6)
    health = await world.health()
    assert (health.status, health.consecutive_failures) == (FeedStatus.FAILING, 6)
    assert [f.outcome.value for f in health.recent_fetches] == ["failed"] * 5  # the held fetch is further back
    assert health.hold is not None
    assert (health.hold.since, health.hold.fetches_seen) == (NOW + timedelta(minutes=15), 1)
    assert health.hold.reason.startswith("the feed came back empty while 3 upcoming stays were known")


async def test_a_feed_without_a_good_fetch_for_six_hours_is_stale(world: World) -> None:
    world.publish(*STAYS)
    await world.sync_after(0)
    world.clock.advance(timedelta(hours=5, minutes=59))
    assert ((await world.health()).status, (await world.health()).stale) == (FeedStatus.OK, False)
    world.clock.advance(timedelta(minutes=1))
    assert ((await world.health()).status, (await world.health()).stale) == (FeedStatus.STALE, True)


async def test_a_stale_feed_whose_fetches_fail_is_failing_and_flagged_stale(world: World) -> None:
    world.publish(*STAYS)
    await world.sync_after(0)
    world.fetcher.snapshots.clear()
    await world.sync_after(60, times=7)
    health = await world.health()
    assert (health.status, health.stale, health.last_error) == (FeedStatus.FAILING, True, "HTTP 404")


async def test_only_the_last_five_fetches_are_listed_newest_first(world: World) -> None:
    world.publish(*STAYS)
    await world.sync_after(0)
    await world.sync_after(15, times=6)
    fetches = (await world.health()).recent_fetches
    assert [f.at for f in fetches] == [NOW + timedelta(minutes=15 * n) for n in (6, 5, 4, 3, 2)]


async def test_the_feed_token_never_appears_in_any_state(world: World) -> None:
    outputs = [await world.health()]
    world.publish(*STAYS)
    await world.sync_after(0)
    outputs.append(await world.health())
    world.publish()
    await world.sync_after(15)
    outputs.append(await world.health())
    world.fetcher.snapshots.clear()
    await world.sync_after(15, times=3)
    outputs.append(await world.health())
    assert [o.status for o in outputs] == [FeedStatus.NEVER_FETCHED, FeedStatus.OK, FeedStatus.HELD, FeedStatus.FAILING]
    for output in outputs:
        text = output.model_dump_json()
        assert TOKEN not in text and TOKEN[:8] not in text
        assert output.url == "https://www.airbnb.test/…"


async def test_without_a_property_every_feed_of_the_host_is_listed(world: World) -> None:
    beach = await add_property(world.ctx, name="Beach house", city="Porto", timezone="Europe/Lisbon")
    await add_feed(world.ctx, property_id=beach.id, url="https://vrbo.test/ical/9.ics?k=x", platform=Platform.VRBO)
    listed = await feed_health(world.ctx)
    assert [(f.property_name, f.platform.value) for f in listed] == [("Alfama loft", "airbnb"), ("Beach house", "vrbo")]
    assert [f.property_name for f in await feed_health(world.ctx, property_id=beach.id)] == ["Beach house"]


async def _another_host(world: World) -> ToolContext:
    """A second host with one property and feed, and a viewer member of it."""
    async with world.deps.uow() as uow:
        await uow.hosts.add(Host(id="host_other", name="Other", timezone="Europe/Paris", created_at=NOW))
        await uow.members.add(Member(id="mem_other", host_id="host_other", name="Vi", role=Role.VIEWER, created_at=NOW))
        await uow.properties.add(
            Property(id="prop_other", host_id="host_other", name="Marais flat", city="Paris",
                     timezone="Europe/Paris", created_at=NOW)
        )  # fmt: skip
        await uow.feeds.add(
            Feed(id="feed_other", property_id="prop_other", platform=Platform.BOOKING,
                 url="https://booking.test/ical/1.ics?t=other", created_at=NOW)
        )  # fmt: skip
        await uow.commit()
    return ToolContext(world.deps, Actor("host_other", "mem_other", Role.VIEWER, Channel.MCP))


async def test_another_hosts_member_gets_not_found_for_this_property_and_sees_none_of_its_feeds(
    world: World,
) -> None:
    world.publish(*STAYS)
    await world.sync_after(0)
    other = await _another_host(world)
    with pytest.raises(NotFound):
        await feed_health(other, property_id=world.property_id)
    assert [f.feed_id for f in await feed_health(other)] == ["feed_other"]
    assert [f.property_name for f in await feed_health(other, property_id="prop_other")] == ["Marais flat"]
    assert [f.property_name for f in await feed_health(world.ctx)] == ["Alfama loft"]


async def test_an_unknown_property_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        await feed_health(world.ctx, property_id="prop_nope")
