"""The summary on a known calendar, and what happened: who did what through which channel, newest first."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from inline_snapshot import snapshot

from domain.errors import InvalidInput, NotFound
from domain.hosts import Actor, Channel, Role
from domain.tasks import TaskKind, TaskStatus
from scheduler.hire import hire_tasks
from scheduler.plan import plan_tasks
from scheduler.sync import sync_feeds
from tests.conftest import World
from tools.catalog import default_catalog
from tools.context import ToolContext
from tools.hires import propose_hire
from tools.insights import get_summary, what_happened
from tools.properties import add_property
from tools.tasks import create_task, list_tasks

STAYS = (("a", date(2026, 11, 26), 2), ("b", date(2026, 11, 28), 3), ("c", date(2026, 12, 20), 2))


async def _budgets(world: World, *, cap: Decimal, monthly: Decimal) -> None:
    async with world.deps.uow() as uow:
        host = await uow.hosts.get(world.ctx.actor.host_id)
        prop = await uow.properties.get(world.property_id)
        assert host is not None and prop is not None
        host.monthly_cap, prop.policy.monthly_budget = cap, monthly
        await uow.hosts.update(host)
        await uow.properties.update(prop)
        await uow.commit()


def _brief(rows: list[Any]) -> list[tuple[str, ...]]:
    return [(f"{r.at:%H:%M}", r.who, r.channel, r.action) for r in rows]


async def test_the_summary_counts_occupancy_turnovers_waiting_work_and_spend_on_a_known_calendar(world: World) -> None:
    await add_property(world.ctx, name="Casa Azul", city="Porto", timezone="Europe/Lisbon")  # no stays yet
    await _budgets(world, cap=Decimal("400"), monthly=Decimal("300"))
    world.publish(*STAYS)  # 7 of the next 30 nights; cleans on 28 Nov (same-day), 1 Dec and 22 Dec
    await sync_feeds(world.deps, force=True)
    await plan_tasks(world.deps)
    start = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # an inspection nobody on the marketplace does: the host's
    await create_task(world.ctx, property_id=world.property_id, kind=TaskKind.INSPECTION, start=start,
                      deadline=start + timedelta(hours=2))  # fmt: skip
    await hire_tasks(world.deps)  # the two cleans within the hiring horizon, 75.00 each
    [late] = await list_tasks(world.ctx, status=TaskStatus.PLANNED)
    await propose_hire(world.ctx, task_id=late.id, human_id="w2")  # an approval card
    out = await get_summary(world.ctx)
    assert out.model_dump(mode="json") == snapshot(
        {
            "days": 30,
            "month": "2026-11",
            "properties": [
                {
                    "nights": 30,
                    "booked_nights": 7,
                    "occupancy_percent": 23.3,
                    "turnovers": 3,
                    "same_day_turnovers": 1,
                    "tasks_needing_you": 1,
                    "open_approvals": 1,
                    "spent_this_month": "150.00",
                    "property_id": "prop_3",
                    "property_name": "Alfama loft",
                    "first_night": "2026-11-25",
                    "last_night": "2026-12-24",
                    "next_turnover": "2026-11-28T11:00:00+00:00",
                    "monthly_budget": "300",
                    "budget_left": "150.00",
                },
                {
                    "nights": 30,
                    "booked_nights": 0,
                    "occupancy_percent": 0.0,
                    "turnovers": 0,
                    "same_day_turnovers": 0,
                    "tasks_needing_you": 0,
                    "open_approvals": 0,
                    "spent_this_month": "0",
                    "property_id": "prop_7",
                    "property_name": "Casa Azul",
                    "first_night": "2026-11-25",
                    "last_night": "2026-12-24",
                    "next_turnover": None,
                    "monthly_budget": None,
                    "budget_left": None,
                },
            ],
            "total": {
                "nights": 60,
                "booked_nights": 7,
                "occupancy_percent": 11.7,
                "turnovers": 3,
                "same_day_turnovers": 1,
                "tasks_needing_you": 1,
                "open_approvals": 1,
                "spent_this_month": "150.00",
            },
            "monthly_cap": "400",
            "cap_left": "250.00",
        }
    )


@pytest.mark.parametrize("days", [0, 366])
async def test_the_summary_covers_one_day_to_a_year(world: World, days: int) -> None:
    with pytest.raises(InvalidInput):
        await get_summary(world.ctx, days=days)


async def test_what_happened_lists_each_call_with_who_and_channel_and_what_turnover_did_newest_first(
    world: World,
) -> None:
    rita = await world.member(Role.APPROVER, "Rita", Channel.SLACK)
    world.clock.advance(timedelta(minutes=30))
    start = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    await create_task(rita, property_id=world.property_id, kind=TaskKind.MAINTENANCE, start=start,
                      deadline=start + timedelta(hours=3), note="the tap drips")  # fmt: skip
    world.clock.advance(timedelta(minutes=30))
    world.publish(("a", date(2026, 11, 26), 2))
    await sync_feeds(world.deps, force=True)
    out = await what_happened(world.ctx)
    assert _brief(out) == snapshot(
        [
            ("10:00", "Turnover", "scheduler", "feed.imported"),
            ("09:30", "Turnover", "scheduler", "task.planned"),
            ("09:30", "Rita", "slack", "create_task"),
            ("09:00", "Owner", "cli", "add_feed"),
            ("09:00", "Owner", "cli", "add_property"),
        ]
    )
    assert out[1].model_dump(mode="json") == snapshot(
        {
            "at": "2026-11-25T09:30:00Z",
            "source": "event",
            "who": "Turnover",
            "member_id": None,
            "channel": "scheduler",
            "action": "task.planned",
            "arguments": {"subject_id": "task_7"},
            "result": "Added by Rita via slack: maintenance at Alfama loft, Fri 27 Nov 10:00 (the tap drips).",
            "property_id": "prop_3",
            "property_name": "Alfama loft",
        }
    )


async def test_what_happened_narrows_by_channel_time_and_property_and_pages(world: World) -> None:
    rita = await world.member(Role.APPROVER, "Rita", Channel.SLACK)
    world.clock.advance(timedelta(hours=1))
    start = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    await create_task(rita, property_id=world.property_id, kind=TaskKind.CLEAN, start=start,
                      deadline=start + timedelta(hours=3))  # fmt: skip
    world.clock.advance(timedelta(hours=1))
    porto = await add_property(world.ctx, name="Casa Azul", city="Porto", timezone="Europe/Lisbon")
    catalog = default_catalog()
    slack = await what_happened(world.ctx, channel=Channel.SLACK)
    since = await what_happened(world.ctx, since=datetime(2026, 11, 25, 10, 0))  # the host's time: UTC
    alfama = await what_happened(world.ctx, property_id=world.property_id)
    second = await catalog.call("what_happened", world.ctx, {"limit": 1, "offset": 1})
    assert _brief(slack) == snapshot([("10:00", "Rita", "slack", "create_task")])
    assert _brief(since) == snapshot(
        [
            ("11:00", "Owner", "cli", "add_property"),
            ("10:00", "Turnover", "scheduler", "task.planned"),
            ("10:00", "Rita", "slack", "create_task"),
        ]
    )
    assert _brief(alfama) == snapshot(
        [
            ("10:00", "Turnover", "scheduler", "task.planned"),
            ("10:00", "Rita", "slack", "create_task"),
            ("09:00", "Owner", "cli", "add_feed"),
        ]
    )
    assert [(r["action"], r["channel"]) for r in second] == snapshot([("task.planned", "scheduler")])
    assert await what_happened(world.ctx, property_id=porto.id) == []  # add_property names it only in its result


async def test_anything_like_a_url_is_cut_to_its_host(world: World) -> None:
    start = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    note = "see https://docs.example.test/manual.pdf?token=5ecret and webcal://cal.example.test/x.ics"
    await create_task(world.ctx, property_id=world.property_id, kind=TaskKind.MAINTENANCE, start=start,
                      deadline=start + timedelta(hours=3), note=note)  # fmt: skip
    [entry] = [r for r in await what_happened(world.ctx, channel=Channel.CLI) if r.action == "create_task"]
    assert (entry.arguments["note"], "5ecret" in entry.result) == snapshot(
        ("see https://docs.example.test/… and webcal://cal.example.test/…", False)
    )


async def test_another_hosts_history_does_not_exist_for_the_caller(world: World) -> None:
    stranger = await world.another_host()
    assert await what_happened(stranger) == []
    with pytest.raises(NotFound):
        await what_happened(stranger, property_id=world.property_id)
    assert (await get_summary(stranger)).properties == []


async def test_a_viewer_reads_the_summary_and_the_history(world: World) -> None:
    viewer = ToolContext(world.deps, Actor(world.ctx.actor.host_id, "mem_v", Role.VIEWER, Channel.WEB))
    assert await get_summary(viewer) == await get_summary(world.ctx)
    assert await what_happened(viewer) == await what_happened(world.ctx)
