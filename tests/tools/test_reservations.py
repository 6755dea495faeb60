"""Reservation tools on a synced calendar: listing, what is coming up, one stay in full, and the host's scope."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from inline_snapshot import snapshot

from domain.calendar import CalendarEvent, FeedSnapshot
from domain.errors import InvalidInput, NotFound
from domain.hosts import Actor, Channel, Role
from domain.reservations import ReservationStatus
from scheduler.plan import plan_tasks
from scheduler.sync import sync_feeds
from tests.conftest import World
from tools.catalog import default_catalog
from tools.context import ToolContext
from tools.feeds import add_feed
from tools.properties import add_property
from tools.reservations import get_reservation, list_reservations, upcoming_reservations


async def _sync(world: World, *stays: tuple[str, date, int]) -> None:
    world.publish(*stays)
    world.clock.advance(timedelta(minutes=20))
    await sync_feeds(world.deps, force=True)


async def _ids_by_uid(world: World) -> dict[str, str]:
    async with world.deps.uow() as uow:
        return {r.uid: r.id for r in await uow.reservations.list_for_host(world.ctx.actor.host_id, limit=200)}


def _brief(stays: list[Any]) -> list[tuple[str, ...]]:
    return [(str(s.check_in), s.today, str(s.days_until_arrival), str(s.same_day_turnover)) for s in stays]


async def test_reservations_list_by_check_in_with_the_property_nights_and_local_times(world: World) -> None:
    await _sync(world, ("b", date(2026, 12, 5), 3), ("a", date(2026, 11, 28), 2))
    out = await list_reservations(world.ctx)
    assert [r.model_dump(mode="json") for r in out] == snapshot(
        [
            {
                "id": "res_9",
                "property_id": "prop_3",
                "property_name": "Alfama loft",
                "platform": "airbnb",
                "guest": "",
                "code": None,
                "check_in": "2026-11-28",
                "check_out": "2026-11-30",
                "nights": 2,
                "arrival": "2026-11-28T16:00:00+00:00",
                "departure": "2026-11-30T11:00:00+00:00",
                "guests": None,
                "status": "confirmed",
            },
            {
                "id": "res_8",
                "property_id": "prop_3",
                "property_name": "Alfama loft",
                "platform": "airbnb",
                "guest": "",
                "code": None,
                "check_in": "2026-12-05",
                "check_out": "2026-12-08",
                "nights": 3,
                "arrival": "2026-12-05T16:00:00+00:00",
                "departure": "2026-12-08T11:00:00+00:00",
                "guests": None,
                "status": "confirmed",
            },
        ]
    )


async def test_a_status_and_a_property_narrow_the_list(world: World) -> None:
    await _sync(world, ("a", date(2026, 11, 28), 2), ("b", date(2026, 12, 5), 3), ("c", date(2026, 12, 10), 2))
    await _sync(world, ("a", date(2026, 11, 28), 2), ("c", date(2026, 12, 10), 2))  # b is cancelled
    cancelled = await list_reservations(world.ctx, status=ReservationStatus.CANCELLED)
    confirmed = await list_reservations(world.ctx, property_id=world.property_id, status=ReservationStatus.CONFIRMED)
    assert [str(r.check_in) for r in cancelled] == snapshot(["2026-12-05"])
    assert [str(r.check_in) for r in confirmed] == snapshot(["2026-11-28", "2026-12-10"])


async def test_pages_are_clamped_to_at_least_one_item_and_no_negative_offset(world: World) -> None:
    await _sync(world, ("a", date(2026, 11, 28), 2), ("b", date(2026, 12, 5), 3), ("c", date(2026, 12, 10), 2))
    catalog = default_catalog()
    one = await catalog.call("list_reservations", world.ctx, {"limit": 0, "offset": -5})
    second = await catalog.call("list_reservations", world.ctx, {"limit": 1, "offset": 1})
    everything = await catalog.call("list_reservations", world.ctx, {"limit": 10_000})
    assert [r["check_in"] for r in one + second] == snapshot(["2026-11-28", "2026-12-05"])
    assert len(everything) == 3


async def test_upcoming_shows_who_leaves_arrives_and_is_in_soonest_first(world: World) -> None:
    await _sync(
        world,
        ("late", date(2026, 12, 20), 2),
        ("next", date(2026, 11, 28), 3),
        ("today", date(2026, 11, 25), 3),
        ("leaving", date(2026, 11, 22), 3),
    )
    soon = await upcoming_reservations(world.ctx)
    month = await upcoming_reservations(world.ctx, days=30)
    assert _brief(soon) == snapshot(
        [
            ("2026-11-22", "departs_today", "-3", "True"),
            ("2026-11-25", "arrives_today", "0", "True"),
            ("2026-11-28", "upcoming", "3", "False"),
        ]
    )
    assert [str(s.check_in) for s in month][-1] == "2026-12-20"


async def test_upcoming_counts_today_in_each_propertys_own_timezone(world: World) -> None:
    url = "https://calendar.example.test/listing/2.ics?t=fedcba9876543210"
    harbour = await add_property(world.ctx, name="Harbour flat", city="Auckland", timezone="Pacific/Auckland")
    await add_feed(world.ctx, property_id=harbour.id, url=url)
    event = CalendarEvent(uid="x", start=date(2026, 11, 23), end=date(2026, 11, 26), summary="Reserved")
    world.fetcher.snapshots[url] = FeedSnapshot(events=(event,))
    await _sync(world, ("y", date(2026, 11, 23), 3))
    world.clock.set(datetime(2026, 11, 25, 20, 0, tzinfo=UTC))  # 20:00 in Lisbon, 09:00 on the 26th in Auckland
    out = await upcoming_reservations(world.ctx, days=1)
    assert [(s.property_name, s.today, s.departure) for s in out] == snapshot(
        [
            ("Alfama loft", "in_house", "2026-11-26T11:00:00+00:00"),
            ("Harbour flat", "departs_today", "2026-11-26T11:00:00+13:00"),
        ]
    )


@pytest.mark.parametrize("days", [0, 91])
async def test_upcoming_looks_between_one_and_ninety_days_ahead(world: World, days: int) -> None:
    with pytest.raises(InvalidInput):
        await upcoming_reservations(world.ctx, days=days)


async def test_a_reservation_shows_its_tasks_and_how_it_changed(world: World) -> None:
    await _sync(world, ("a", date(2026, 11, 26), 2))  # the first import: one line of history for the feed
    await _sync(world, ("a", date(2026, 11, 26), 2), ("b", date(2026, 12, 5), 3))
    await _sync(world, ("a", date(2026, 11, 26), 2), ("b", date(2026, 12, 6), 3))
    await plan_tasks(world.deps)
    out = await get_reservation(world.ctx, reservation_id=(await _ids_by_uid(world))["b"])
    assert out.model_dump(mode="json") == snapshot(
        {
            "id": "res_11",
            "property_id": "prop_3",
            "property_name": "Alfama loft",
            "platform": "airbnb",
            "guest": "",
            "code": None,
            "check_in": "2026-12-06",
            "check_out": "2026-12-09",
            "nights": 3,
            "arrival": "2026-12-06T16:00:00+00:00",
            "departure": "2026-12-09T11:00:00+00:00",
            "guests": None,
            "status": "confirmed",
            "first_seen_at": "2026-11-25T09:40:00Z",
            "updated_at": "2026-11-25T10:00:00Z",
            "tasks": [
                {
                    "id": "task_16",
                    "kind": "clean",
                    "status": "planned",
                    "start": "2026-12-09T11:00:00+00:00",
                    "same_day_turnover": False,
                }
            ],
            "history": [
                {
                    "at": "2026-11-25T09:40:00Z",
                    "kind": "reservation.new",
                    "message": "New booking at Alfama loft: Sat 05 Dec → Tue 08 Dec",
                },
                {
                    "at": "2026-11-25T10:00:00Z",
                    "kind": "reservation.changed",
                    "message": "Booking changed: Alfama loft: Sat 05 Dec → Tue 08 Dec"
                    " is now Alfama loft: Sun 06 Dec → Wed 09 Dec",
                },
            ],
        }
    )


async def test_another_hosts_reservations_do_not_exist_for_the_caller(world: World) -> None:
    await _sync(world, ("a", date(2026, 11, 28), 2))
    stranger = await world.another_host()
    [reservation_id] = (await _ids_by_uid(world)).values()
    assert await list_reservations(stranger) == []
    assert await upcoming_reservations(stranger) == []
    with pytest.raises(NotFound):
        await get_reservation(stranger, reservation_id=reservation_id)
    with pytest.raises(NotFound):
        await list_reservations(stranger, property_id=world.property_id)
    with pytest.raises(NotFound):
        await upcoming_reservations(stranger, property_id=world.property_id)


async def test_a_viewer_reads_what_the_owner_reads(world: World) -> None:
    await _sync(world, ("a", date(2026, 11, 28), 2))
    viewer = ToolContext(world.deps, Actor(world.ctx.actor.host_id, "mem_v", Role.VIEWER, Channel.TELEGRAM))
    assert await list_reservations(viewer) == await list_reservations(world.ctx)
    assert await upcoming_reservations(viewer) == await upcoming_reservations(world.ctx)
