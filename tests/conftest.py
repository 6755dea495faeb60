from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.calendar import CalendarEvent, FeedSnapshot, events_hash
from domain.feeds import Platform
from domain.hosts import Actor, Channel, Host, Member, Role
from integrations.clock import FrozenClock, SequentialIds
from scheduler.pipeline import refresh_feeds
from storage.memory import InMemoryUnitOfWorkFactory
from tests.builders import NOW, a_worker
from tests.fakes import FakeMarketplace, RecordingNotifier, StaticFeedFetcher
from tools.context import AppDeps, ToolContext
from tools.feeds import add_feed
from tools.hosts import ensure_local_owner
from tools.properties import add_property

FEED_URL = "https://calendar.example.test/listing/1.ics?t=0123456789abcdef"
TODAY = date(2026, 11, 25)


@dataclass
class World:
    deps: AppDeps
    ctx: ToolContext
    clock: FrozenClock
    fetcher: StaticFeedFetcher
    market: FakeMarketplace
    notifier: RecordingNotifier
    property_id: str

    async def member(self, role: Role, name: str, channel: Channel = Channel.SLACK) -> ToolContext:
        """Another member of the world's host (id `mem_<role>`), acting through `channel`."""
        member = Member(id=f"mem_{role.value}", host_id=self.ctx.actor.host_id, name=name, role=role, created_at=NOW)
        async with self.deps.uow() as uow:
            await uow.members.add(member)
            await uow.commit()
        return ToolContext(self.deps, Actor(member.host_id, member.id, role, channel))

    async def another_host(self, role: Role = Role.OWNER, channel: Channel = Channel.CLI) -> ToolContext:
        """A second host (`host_b`, Europe/Paris) with one member (`mem_b`, named Bea) and nothing else."""
        async with self.deps.uow() as uow:
            await uow.hosts.add(Host(id="host_b", name="B", timezone="Europe/Paris", created_at=NOW))
            await uow.members.add(Member(id="mem_b", host_id="host_b", name="Bea", role=role, created_at=NOW))
            await uow.commit()
        return ToolContext(self.deps, Actor("host_b", "mem_b", role, channel))

    def publish(self, *stays: tuple[str, date, int], extra: tuple[CalendarEvent, ...] = ()) -> None:
        events = tuple(
            CalendarEvent(uid=uid, start=start, end=start + timedelta(days=nights), summary="Reserved")
            for uid, start, nights in stays
        )
        everything = events + extra
        self.fetcher.snapshots[FEED_URL] = FeedSnapshot(events=everything, body_digest=events_hash(everything))


@pytest.fixture
async def world() -> World:
    clock = FrozenClock(NOW)
    fetcher = StaticFeedFetcher()
    market = FakeMarketplace(
        workers=[a_worker("w1", rating=4.9), a_worker("w2", rating=4.6), a_worker("w3", hourly_rate=Decimal("50"))]
    )
    notifier = RecordingNotifier()
    deps = AppDeps(
        uow=InMemoryUnitOfWorkFactory(), clock=clock, ids=SequentialIds(), fetcher=fetcher, marketplace=market,
        notifier=notifier, refresh=refresh_feeds,
    )  # fmt: skip
    ctx = ToolContext(deps, await ensure_local_owner(deps))
    prop = await add_property(ctx, name="Alfama loft", city="Lisbon", timezone="Europe/Lisbon")
    await add_feed(ctx, property_id=prop.id, url=FEED_URL, platform=Platform.AIRBNB)
    return World(deps, ctx, clock, fetcher, market, notifier, prop.id)
