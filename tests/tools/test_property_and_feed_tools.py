"""get_property, update_property, sync_now, preview_feed and remove_feed through the tools."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from inline_snapshot import snapshot

from domain.calendar import CalendarEvent, FeedSnapshot
from domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from domain.hosts import Channel, Role
from domain.tasks import TaskStatus
from scheduler.plan import plan_tasks
from tests.conftest import FEED_URL, World
from tools.context import ToolContext
from tools.feeds import feed_health, preview_feed, remove_feed, sync_now
from tools.properties import add_property, get_property, update_property


def _as(world: World, channel: Channel, role: Role = Role.OWNER) -> ToolContext:
    return ToolContext(world.deps, dataclasses.replace(world.ctx.actor, channel=channel, role=role))


async def test_a_property_shows_its_settings_and_redacted_feeds_but_not_its_access_notes(world: World) -> None:
    await update_property(world.ctx, property_id=world.property_id, access_notes="Key box 4512", address="Rua A 1")
    out = await get_property(_as(world, Channel.MCP, Role.VIEWER), property_id=world.property_id)
    assert out.model_dump(mode="json") == snapshot(
        {
            "id": "prop_3",
            "name": "Alfama loft",
            "city": "Lisbon",
            "timezone": "Europe/Lisbon",
            "check_in_time": "16:00",
            "check_out_time": "11:00",
            "cleaning_budget": "90",
            "auto_approve_limit": "120",
            "address": "Rua A 1",
            "cleaning_minutes": 180,
            "monthly_budget": None,
            "min_rating": 4.0,
            "ack_hours": 12,
            "max_guests": 2,
            "check_in_tasks": False,
            "check_out_tasks": False,
            "restock_every_stays": None,
            "supplies_guest_nights": None,
            "inspection_after_vacant_days": None,
            "maintenance_every_days": None,
            "has_access_notes": True,
            "feeds": [
                {
                    "id": "feed_5",
                    "property_id": "prop_3",
                    "platform": "airbnb",
                    "url": "https://calendar.example.test/…",
                }
            ],
        }
    )
    assert "4512" not in out.model_dump_json()


async def test_an_update_changes_only_what_is_given_and_plans_again(world: World) -> None:
    await update_property(world.ctx, property_id=world.property_id, restock_every_stays=3, max_guests=4)
    out = await update_property(
        world.ctx,
        property_id=world.property_id,
        check_out_time="10:30",
        restock_every_stays=0,
        monthly_budget=Decimal("900"),
    )
    assert (out.check_out_time, out.restock_every_stays, out.max_guests, out.monthly_budget) == (
        "10:30", None, 4, Decimal("900"),
    )  # fmt: skip
    async with world.deps.uow() as uow:
        prop = await uow.properties.get(world.property_id)
        [entry, *_] = await uow.audit.list_for_host(world.ctx.actor.host_id)
    assert prop is not None and prop.planned_on is None
    assert entry.arguments == {"check_out_time": "10:30", "monthly_budget": "900", "restock_every_stays": "0"}


async def test_bad_values_are_refused_and_nothing_changes(world: World) -> None:
    for bad in ({"timezone": "Mars/Olympus"}, {"check_in_time": "4pm"}, {"min_rating": 7.0}, {"cleaning_minutes": 0}):
        with pytest.raises(InvalidInput):
            await update_property(world.ctx, property_id=world.property_id, **bad)  # type: ignore[arg-type]
    assert (await get_property(world.ctx, property_id=world.property_id)).timezone == "Europe/Lisbon"


@pytest.mark.parametrize("channel", [Channel.AGENT, Channel.MCP])
async def test_a_model_cannot_raise_spending_but_can_lower_it(world: World, channel: Channel) -> None:
    model = _as(world, channel)
    for raise_ in ({"auto_approve_limit": Decimal("500")}, {"cleaning_budget": Decimal("200")}, {"min_rating": 2.0}):
        with pytest.raises(PermissionDenied):
            await update_property(model, property_id=world.property_id, **raise_)  # type: ignore[arg-type]
    for more_work in ({"cleaning_minutes": 400}, {"check_in_tasks": True}, {"maintenance_every_days": 7}):
        with pytest.raises(PermissionDenied):
            await update_property(model, property_id=world.property_id, **more_work)  # type: ignore[arg-type]
    out = await update_property(model, property_id=world.property_id, auto_approve_limit=Decimal("80"))
    assert out.auto_approve_limit == Decimal("80")
    person = await update_property(world.ctx, property_id=world.property_id, auto_approve_limit=Decimal("500"))
    assert person.auto_approve_limit == Decimal("500")


@pytest.mark.parametrize("channel", [Channel.AGENT, Channel.MCP])
async def test_a_property_a_model_adds_waits_for_a_person_before_any_hire(world: World, channel: Channel) -> None:
    out = await add_property(
        _as(world, channel), name="Mine", city="Lisbon", timezone="Europe/Lisbon", auto_approve_limit=Decimal("100000")
    )
    assert out.auto_approve_limit == Decimal(0)


async def test_a_viewer_or_approver_cannot_change_a_property(world: World) -> None:
    for role in (Role.VIEWER, Role.APPROVER):
        with pytest.raises(PermissionDenied):
            await update_property(_as(world, Channel.CLI, role), property_id=world.property_id, name="Mine")


async def test_sync_now_reads_the_feeds_and_plans_at_once(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2), ("b", date(2026, 12, 3), 4))
    out = await sync_now(world.ctx, property_id=world.property_id)
    assert (out.feeds, out.counts["new"], out.counts["tasks_created"], out.health[0].status) == (1, 2, 2, "ok")
    again = await sync_now(world.ctx)
    assert (again.counts["new"], again.counts["tasks_created"]) == (0, 0)
    with pytest.raises(NotFound):
        await sync_now(world.ctx, feed_id="feed_nope")


async def test_a_broken_feed_synced_now_cancels_nothing(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2))
    await sync_now(world.ctx)
    world.fetcher.snapshots[FEED_URL] = FeedSnapshot(error="HTTP 500")
    out = await sync_now(world.ctx)
    assert (out.counts["failed"], out.counts["cancelled"], out.health[0].status) == (1, 0, "failing")


async def test_previewing_a_feed_shows_it_without_storing_anything(world: World) -> None:
    url = "https://pms.example.test/cal.ics?token=s3cret"
    world.fetcher.snapshots[url] = FeedSnapshot(
        events=(
            CalendarEvent(uid="r1", start=date(2026, 12, 1), end=date(2026, 12, 4), summary="Reserved"),
            CalendarEvent(uid="b1", start=date(2026, 12, 10), end=date(2026, 12, 12), summary="Airbnb (Not available)"),
        ),
        rejected=("event x: no DTSTART at https://pms.example.test/cal.ics?token=s3cret",),
    )  # fmt: skip
    out = await preview_feed(world.ctx, url=url)
    assert out.model_dump(mode="json") == snapshot(
        {
            "platform": "airbnb",
            "reservations": [
                {
                    "uid": "r1",
                    "check_in": "2026-12-01",
                    "check_out": "2026-12-04",
                    "nights": 3,
                    "code": None,
                    "guest": "",
                    "status": "confirmed",
                }
            ],
            "blocks": [{"uid": "b1", "start": "2026-12-10", "end": "2026-12-12"}],
            "unclassified": [],
            "errors": ["event x: no DTSTART at https://pms.example.test/…"],
            "ok": True,
        }
    )
    async with world.deps.uow() as uow:
        assert await uow.reservations.list_for_host(world.ctx.actor.host_id) == []
    connected = await preview_feed(world.ctx, feed_id=(await feed_health(world.ctx))[0].feed_id)
    assert (connected.ok, connected.errors) == (False, ["HTTP 404"])
    with pytest.raises(InvalidInput):
        await preview_feed(world.ctx)
    with pytest.raises(PermissionDenied):
        await preview_feed(_as(world, Channel.CLI, Role.VIEWER), url=url)


async def test_a_feed_with_upcoming_stays_is_removed_only_with_force_and_its_tasks_then_go(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2))
    await sync_now(world.ctx)
    [feed] = await feed_health(world.ctx)
    with pytest.raises(Conflict):
        await remove_feed(world.ctx, feed_id=feed.feed_id)
    removed = await remove_feed(world.ctx, feed_id=feed.feed_id, force=True)
    assert (removed.url, await feed_health(world.ctx)) == ("https://calendar.example.test/…", [])
    await plan_tasks(world.deps)
    async with world.deps.uow() as uow:
        tasks = await uow.tasks.list_for_host(world.ctx.actor.host_id)
    assert [t.status for t in tasks] == [TaskStatus.CANCELLED]
    with pytest.raises(NotFound):
        await remove_feed(world.ctx, feed_id=feed.feed_id)
