"""The retention step: old fetch snapshots are cleared, each feed's newest one and every audit row stay."""

import dataclasses
from datetime import timedelta

from domain.feeds import FeedFetch
from scheduler.pipeline import run_pipeline
from scheduler.retention import expire_snapshots
from scheduler.sync import sync_feeds
from tests.builders import NOW
from tests.conftest import TODAY, World
from tools.context import PipelineConfig


async def _fetch_log(world: World) -> list[FeedFetch]:
    async with world.deps.uow() as uow:
        [feed] = await uow.feeds.list_all()
        return list(reversed(await uow.fetches.list_for_feed(feed.id, limit=100)))


async def _sync_at(world: World, at: timedelta, *stays: int) -> None:
    world.clock.set(NOW + at)
    world.publish(*((f"s{n}", TODAY + timedelta(days=n), 2) for n in stays))
    await sync_feeds(world.deps, force=True)


async def test_snapshots_older_than_the_retention_period_are_cleared_except_the_newest(world: World) -> None:
    await _sync_at(world, timedelta(days=0), 1, 5)
    await _sync_at(world, timedelta(days=10), 1, 5, 9)
    await _sync_at(world, timedelta(days=20), 1, 5, 9)  # unchanged: no snapshot
    await _sync_at(world, timedelta(days=30), 5, 9, 12)
    world.clock.set(NOW + timedelta(days=100, minutes=1))  # the cutoff is day 10 and one minute
    assert await expire_snapshots(world.deps) == 2
    log = await _fetch_log(world)
    assert [f.events is not None for f in log] == [False, False, False, True]
    assert [(f.outcome.value, f.event_count, f.new) for f in log] == [
        ("applied", 2, 2), ("applied", 3, 1), ("unchanged", 3, 0), ("applied", 3, 1),
    ]  # fmt: skip
    assert all(len(f.events_hash) == 64 for f in log)
    assert await expire_snapshots(world.deps) == 0


async def test_a_feed_whose_only_snapshot_is_old_keeps_it(world: World) -> None:
    await _sync_at(world, timedelta(days=0), 1, 5)
    await _sync_at(world, timedelta(days=50), 1, 5)
    world.clock.set(NOW + timedelta(days=365))
    assert await expire_snapshots(world.deps) == 0
    assert [f.events is not None for f in await _fetch_log(world)] == [True, False]


async def test_the_retention_period_comes_from_the_pipeline_config(world: World) -> None:
    await _sync_at(world, timedelta(days=0), 1)
    await _sync_at(world, timedelta(days=1), 1, 3)
    world.clock.set(NOW + timedelta(days=8))
    assert await expire_snapshots(world.deps) == 0  # 90 days by default
    short = dataclasses.replace(world.deps, config=PipelineConfig(fetch_retention_days=7))
    assert await expire_snapshots(short) == 1


async def test_a_pipeline_pass_ends_by_expiring_old_snapshots(world: World) -> None:
    await _sync_at(world, timedelta(days=0), 1)
    world.clock.set(NOW + timedelta(days=91))
    world.publish(("s2", TODAY + timedelta(days=95), 2))
    report = await run_pipeline(world.deps, force_sync=True)
    assert report.snapshots_expired == 1
    assert [f.events is not None for f in await _fetch_log(world)] == [False, True]
