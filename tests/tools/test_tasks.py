"""Task tools with the pipeline: listing, manual tasks made once, moving a booked task, cancelling with its
booking, roles and the host's scope."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from inline_snapshot import snapshot

from domain.errors import Conflict, IllegalTransition, InvalidInput, NotFound, PermissionDenied
from domain.hosts import Channel, Role
from domain.tasks import TaskKind, TaskStatus
from scheduler.hire import hire_tasks
from scheduler.plan import plan_tasks
from scheduler.sync import sync_feeds
from scheduler.track import track_hires
from tests.builders import NOW
from tests.conftest import World
from tools.catalog import default_catalog
from tools.context import ToolContext
from tools.properties import add_property
from tools.tasks import TaskDetailOut, cancel_task, create_task, get_task, list_tasks, reschedule_task

LISBON_DAY = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # Lisbon is on UTC in November


async def _pipeline(world: World, *stays: tuple[str, date, int]) -> None:
    if stays:
        world.publish(*stays)
        await sync_feeds(world.deps, force=True)
    await plan_tasks(world.deps)
    await hire_tasks(world.deps)


async def _manual(world: World, ctx: ToolContext | None = None, **kw: Any) -> TaskDetailOut:
    args: dict[str, Any] = {"property_id": world.property_id, "kind": TaskKind.CLEAN, "start": LISBON_DAY,
                            "deadline": LISBON_DAY + timedelta(hours=5)} | kw  # fmt: skip
    return await create_task(ctx or world.ctx, **args)


def _hires(task: TaskDetailOut) -> list[tuple[str, ...]]:
    return [(h.worker_name, str(h.price), h.status.value, str(h.booking_id)) for h in task.hires]


async def test_tasks_list_by_start_with_the_property_local_window_and_same_day_flag(world: World) -> None:
    await _pipeline(world, ("a", date(2026, 11, 26), 2), ("b", date(2026, 11, 28), 3))
    out = await list_tasks(world.ctx)
    assert [t.model_dump(mode="json") for t in out] == snapshot(
        [
            {
                "id": "task_11",
                "property_id": "prop_3",
                "property_name": "Alfama loft",
                "kind": "clean",
                "status": "booked",
                "reason": "booked Worker w1",
                "start": "2026-11-28T11:00:00+00:00",
                "deadline": "2026-11-28T16:00:00+00:00",
                "same_day_turnover": True,
                "budget": "90",
                "reservation_id": "res_8",
                "manual": False,
            },
            {
                "id": "task_12",
                "property_id": "prop_3",
                "property_name": "Alfama loft",
                "kind": "clean",
                "status": "booked",
                "reason": "booked Worker w1",
                "start": "2026-12-01T11:00:00+00:00",
                "deadline": "2026-12-01T16:00:00+00:00",
                "same_day_turnover": False,
                "budget": "90",
                "reservation_id": "res_9",
                "manual": False,
            },
        ]
    )


async def test_status_kind_and_property_narrow_the_list_and_pages_are_clamped(world: World) -> None:
    await _pipeline(world, ("a", date(2026, 11, 26), 2), ("b", date(2026, 12, 20), 3))  # only the first is hired
    await _manual(world, kind=TaskKind.MAINTENANCE)
    catalog = default_catalog()
    planned = await list_tasks(world.ctx, property_id=world.property_id, status=TaskStatus.PLANNED)
    maintenance = await list_tasks(world.ctx, kind=TaskKind.MAINTENANCE)
    first = await catalog.call("list_tasks", world.ctx, {"limit": 0, "offset": -1})
    assert [(t.kind.value, t.start) for t in planned] == snapshot(
        [("maintenance", "2026-11-27T10:00:00+00:00"), ("clean", "2026-12-23T11:00:00+00:00")]
    )
    assert [(t.kind.value, t.manual) for t in maintenance] == snapshot([("maintenance", True)])
    assert [t["start"] for t in first] == snapshot(["2026-11-27T10:00:00+00:00"])


async def test_a_manual_task_is_made_once_however_often_the_same_call_comes(world: World) -> None:
    catalog = default_catalog()
    args = {"property_id": world.property_id, "kind": "clean", "start": "2026-11-27T10:00",
            "deadline": "2026-11-27T15:00", "note": "guests asked for a mid-stay clean"}  # fmt: skip
    first = await catalog.call("create_task", world.ctx, args)
    again = await catalog.call("create_task", world.ctx, args | {"start": "2026-11-27T10:00:00Z"})  # the same instant
    assert again["id"] == first["id"]
    assert (first["message"], again["message"]) == snapshot(
        (
            "Added by Owner via cli: clean at Alfama loft, Fri 27 Nov 10:00.",
            "Already there (planned): clean at Alfama loft, Fri 27 Nov 10:00; nothing was added.",
        )
    )
    assert len(await list_tasks(world.ctx)) == 1
    assert first == snapshot(
        {
            "id": "task_7",
            "property_id": "prop_3",
            "property_name": "Alfama loft",
            "kind": "clean",
            "status": "planned",
            "reason": "added by Owner via cli: guests asked for a mid-stay clean",
            "start": "2026-11-27T10:00:00+00:00",
            "deadline": "2026-11-27T15:00:00+00:00",
            "same_day_turnover": False,
            "budget": "90",
            "reservation_id": None,
            "manual": True,
            "guest": "",
            "hires": [],
            "message": "Added by Owner via cli: clean at Alfama loft, Fri 27 Nov 10:00.",
        }
    )


async def test_a_cancelled_manual_task_asked_for_again_is_opened_again(world: World) -> None:
    task = await _manual(world)
    await cancel_task(world.ctx, task_id=task.id)
    again = await _manual(world, budget=Decimal("70"))
    assert (again.id, again.status, again.budget) == (task.id, TaskStatus.PLANNED, Decimal("70"))


async def test_a_time_without_offset_is_the_propertys_local_time(world: World) -> None:
    brooklyn = await add_property(world.ctx, name="Brooklyn studio", city="New York", timezone="America/New_York")
    task = await _manual(
        world, property_id=brooklyn.id, kind=TaskKind.INSPECTION, start=datetime(2026, 12, 1, 10, 0),
        deadline=datetime(2026, 12, 1, 12, 0),
    )  # fmt: skip
    assert (task.start, task.deadline, task.budget) == snapshot(
        ("2026-12-01T10:00:00-05:00", "2026-12-01T12:00:00-05:00", Decimal("40"))
    )


@pytest.mark.parametrize(
    "change",
    [
        {"deadline": LISBON_DAY},  # not after the start
        {"start": NOW - timedelta(hours=5), "deadline": NOW - timedelta(hours=1)},  # already over
        {"budget": Decimal("0")},
    ],
)
async def test_a_manual_task_that_cannot_be_done_is_refused(world: World, change: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        await _manual(world, **change)


async def test_the_planner_leaves_a_manual_task_alone_and_the_pipeline_hires_for_it(world: World) -> None:
    await _manual(
        world, start=datetime(2026, 11, 28, 12, 0, tzinfo=UTC), deadline=datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
    )
    await _pipeline(world, ("a", date(2026, 11, 26), 2))  # its own clean on the same day
    out = await list_tasks(world.ctx)
    assert [(t.manual, t.status.value, t.start) for t in out] == snapshot(
        [(False, "booked", "2026-11-28T11:00:00+00:00"), (True, "booked", "2026-11-28T12:00:00+00:00")]
    )


async def test_a_task_shows_every_worker_hired_for_it(world: World) -> None:
    await _pipeline(world, ("a", date(2026, 11, 26), 2))
    [task] = await list_tasks(world.ctx)
    out = await get_task(world.ctx, task_id=task.id)
    assert out.model_dump(mode="json") == snapshot(
        {
            "id": "task_10",
            "property_id": "prop_3",
            "property_name": "Alfama loft",
            "kind": "clean",
            "status": "booked",
            "reason": "booked Worker w1",
            "start": "2026-11-28T11:00:00+00:00",
            "deadline": "2026-11-28T16:00:00+00:00",
            "same_day_turnover": False,
            "budget": "90",
            "reservation_id": "res_8",
            "manual": False,
            "guest": "",
            "hires": [
                {
                    "id": "hire_12",
                    "worker_id": "w1",
                    "worker_name": "Worker w1",
                    "price": "75.00",
                    "status": "booked",
                    "booking_id": "bk1",
                    "attempt": 1,
                    "sandbox": True,
                }
            ],
            "message": "",
        }
    )


async def test_moving_a_booked_manual_task_moves_its_booking(world: World) -> None:
    task = await _manual(world)
    await hire_tasks(world.deps)
    moved_to = LISBON_DAY + timedelta(days=2)
    out = await reschedule_task(world.ctx, task_id=task.id, start=moved_to, deadline=moved_to + timedelta(hours=5))
    assert out.message == snapshot(
        "Moved by Owner via cli: clean at Alfama loft, Fri 27 Nov 10:00 → Sun 29 Nov 10:00. Worker w1's booking"
        " for the old time is cancelled on the pipeline's next pass and the task is booked again for the new time"
        " (Worker w1 may take it again)."
    )
    await track_hires(world.deps)
    assert world.market.bookings["bk1"].status == "cancelled"
    await hire_tasks(world.deps)
    assert world.market.requests[-1].start == moved_to
    assert _hires(await get_task(world.ctx, task_id=task.id)) == snapshot(
        [("Worker w1", "75.00", "cancelled", "bk1"), ("Worker w1", "75.00", "booked", "bk2")]
    )


async def test_a_moved_manual_task_is_found_again_at_its_new_time_and_not_at_its_old_one(world: World) -> None:
    task = await _manual(world)
    later = LISBON_DAY + timedelta(days=1)
    await reschedule_task(world.ctx, task_id=task.id, start=later, deadline=later + timedelta(hours=5))
    again = await _manual(world, start=later, deadline=later + timedelta(hours=5))
    assert again.id == task.id
    fresh = await _manual(world)  # the old time is free again: a new task
    assert fresh.id != task.id
    with pytest.raises(Conflict):
        await reschedule_task(world.ctx, task_id=fresh.id, start=later, deadline=later + timedelta(hours=5))


async def test_a_model_cannot_give_a_task_more_than_the_usual_budget(world: World) -> None:
    model = ToolContext(world.deps, dataclasses.replace(world.ctx.actor, channel=Channel.AGENT))
    with pytest.raises(PermissionDenied):
        await _manual(world, model, budget=Decimal("500"))
    assert (await _manual(world, model, budget=Decimal("50"))).budget == Decimal("50")


async def test_a_task_planned_from_the_stays_is_not_moved_by_hand(world: World) -> None:
    await _pipeline(world, ("a", date(2026, 11, 26), 2))
    [task] = await list_tasks(world.ctx)
    with pytest.raises(Conflict):
        await reschedule_task(world.ctx, task_id=task.id, start=LISBON_DAY, deadline=LISBON_DAY + timedelta(hours=4))


async def test_cancelling_a_task_cancels_its_booking_and_the_planner_leaves_it_cancelled(world: World) -> None:
    await _pipeline(world, ("a", date(2026, 11, 26), 2))
    [task] = await list_tasks(world.ctx)
    out = await cancel_task(
        await world.member(Role.APPROVER, "Rita"), task_id=task.id, reason="the owner cleans herself"
    )
    assert world.market.bookings["bk1"].status == "cancelled"
    assert (out.status.value, out.reason, out.message, _hires(out)) == snapshot(
        (
            "cancelled",
            "cancelled by Rita via slack (the owner cleans herself)",
            "Cancelled by Rita via slack (the owner cleans herself): clean at Alfama loft, Sat 28 Nov 11:00."
            " Worker w1's booking is cancelled on the marketplace.",
            [("Worker w1", "75.00", "cancelled", "bk1")],
        )
    )
    world.clock.advance(timedelta(days=1))
    await _pipeline(world)
    again = await cancel_task(world.ctx, task_id=task.id)
    assert (again.status.value, again.message) == snapshot(("cancelled", "It was already cancelled."))


async def test_a_booking_the_marketplace_cannot_cancel_yet_is_left_to_the_pipeline(world: World) -> None:
    await _pipeline(world, ("a", date(2026, 11, 26), 2))
    [task] = await list_tasks(world.ctx)
    world.market.cancels_unavailable = 1
    out = await cancel_task(world.ctx, task_id=task.id)
    assert (out.message, _hires(out)) == snapshot(
        (
            "Cancelled by Owner via cli: clean at Alfama loft, Sat 28 Nov 11:00. Worker w1's booking could not be"
            " cancelled yet (HTTP 503 from the marketplace); it will be retried.",
            [("Worker w1", "75.00", "booked", "bk1")],
        )
    )
    await track_hires(world.deps)
    assert world.market.bookings["bk1"].status == "cancelled"


async def test_a_finished_task_cannot_be_cancelled(world: World) -> None:
    await _pipeline(world, ("a", date(2026, 11, 26), 2))
    [task] = await list_tasks(world.ctx)
    world.market.set_status("bk1", "completed", at=datetime(2026, 11, 28, 14, 0, tzinfo=UTC))
    await track_hires(world.deps)
    with pytest.raises(IllegalTransition):
        await cancel_task(world.ctx, task_id=task.id)


async def test_a_viewer_reads_tasks_but_cannot_change_them(world: World) -> None:
    task = await _manual(world)
    viewer = await world.member(Role.VIEWER, "Vera")
    assert (await get_task(viewer, task_id=task.id)).id == task.id
    with pytest.raises(PermissionDenied):
        await _manual(world, viewer, kind=TaskKind.RESTOCK)
    with pytest.raises(PermissionDenied):
        await reschedule_task(viewer, task_id=task.id, start=LISBON_DAY, deadline=LISBON_DAY + timedelta(hours=1))
    with pytest.raises(PermissionDenied):
        await cancel_task(viewer, task_id=task.id)


async def test_another_hosts_tasks_do_not_exist_for_the_caller(world: World) -> None:
    task = await _manual(world)
    stranger = await world.another_host()
    assert await list_tasks(stranger) == []
    with pytest.raises(NotFound):
        await list_tasks(stranger, property_id=world.property_id)
    with pytest.raises(NotFound):
        await _manual(world, stranger)
    with pytest.raises(NotFound):
        await get_task(stranger, task_id=task.id)
    with pytest.raises(NotFound):
        await reschedule_task(stranger, task_id=task.id, start=LISBON_DAY, deadline=LISBON_DAY + timedelta(hours=1))
    with pytest.raises(NotFound):
        await cancel_task(stranger, task_id=task.id)
