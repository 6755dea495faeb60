"""The authorisation matrix: through every tool of the catalog and on every channel, host B's actor can
neither read nor change host A's data, and a viewer of host A can change nothing."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from domain.errors import NotFound, PermissionDenied
from domain.hosts import Channel, Role
from scheduler.pipeline import run_pipeline
from tests.conftest import World
from tools.catalog import default_catalog
from tools.context import ToolContext
from tools.hires import cancel_booking, propose_hire
from tools.registry import MODEL_CHANNELS

Ids = dict[str, str]
# For each tool: arguments aimed at host A's data (or, for tools that take no ids, plain valid arguments).
ARGUMENTS: dict[str, Callable[[Ids], dict[str, Any]]] = {
    "add_property": lambda ids: {"name": "Mine", "city": "Porto", "timezone": "Europe/Lisbon"},
    "list_properties": lambda ids: {},
    "add_feed": lambda ids: {"property_id": ids["property"], "url": "https://evil.example.test/x.ics"},
    "get_property": lambda ids: {"property_id": ids["property"]},
    "update_property": lambda ids: {"property_id": ids["property"], "name": "Taken"},
    "feed_health": lambda ids: {"property_id": ids["property"]},
    "sync_now": lambda ids: {"feed_id": ids["feed"]},
    "preview_feed": lambda ids: {"feed_id": ids["feed"]},
    "remove_feed": lambda ids: {"feed_id": ids["feed"], "force": True},
    "list_reservations": lambda ids: {"property_id": ids["property"]},
    "upcoming_reservations": lambda ids: {"property_id": ids["property"]},
    "get_reservation": lambda ids: {"reservation_id": ids["reservation"]},
    "list_tasks": lambda ids: {"property_id": ids["property"]},
    "get_task": lambda ids: {"task_id": ids["task"]},
    "create_task": lambda ids: {
        "property_id": ids["property"],
        "kind": "maintenance",
        "start": "2026-12-10T09:00",
        "deadline": "2026-12-10T12:00",
    },
    "reschedule_task": lambda ids: {
        "task_id": ids["task"],
        "start": "2026-12-11T09:00",
        "deadline": "2026-12-11T12:00",
    },
    "cancel_task": lambda ids: {"task_id": ids["task"]},
    "search_humans": lambda ids: {"skill": "Cleaning"},
    "get_human": lambda ids: {"human_id": "w1"},
    "list_reviews": lambda ids: {"human_id": "w1"},
    "list_skills": lambda ids: {},
    "propose_hire": lambda ids: {"task_id": ids["open_task"], "human_id": "w2"},
    "create_booking": lambda ids: {"task_id": ids["open_task"], "human_id": "w2"},
    "get_booking_status": lambda ids: {"hire_id": ids["hire"]},
    "cancel_booking": lambda ids: {"hire_id": ids["hire"]},
    "list_hires": lambda ids: {"task_id": ids["task"]},
    "list_approvals": lambda ids: {},
    "decide_approval": lambda ids: {"approval_id": ids["approval"], "approve": True},
    "get_summary": lambda ids: {},
    "what_happened": lambda ids: {"property_id": ids["property"]},
}


async def _host_a(world: World) -> Ids:
    """Host A with a stay, a booked clean, an open clean with an approval waiting, and history."""
    world.publish(("a", date(2026, 11, 26), 2), ("b", date(2026, 12, 3), 4))
    await run_pipeline(world.deps, force_sync=True)
    async with world.deps.uow() as uow:
        host_id = world.ctx.actor.host_id
        [first, second] = sorted(await uow.tasks.list_for_host(host_id), key=lambda t: t.window_start)
        hires = await uow.hires.list_for_host(host_id)
        [feed] = await uow.feeds.list_for_property(world.property_id)
        reservation = (await uow.reservations.list_for_host(host_id))[0]
    booked = next(h for h in hires if h.task_id == first.id)
    second_hire = next(h for h in hires if h.task_id == second.id)
    await cancel_booking(world.ctx, hire_id=second_hire.id, rehire=False)
    proposed = await propose_hire(world.ctx, task_id=second.id, human_id="w2")
    assert proposed.approval_id is not None
    return {
        "property": world.property_id, "feed": feed.id, "reservation": reservation.id, "task": first.id,
        "open_task": second.id, "hire": booked.id, "approval": proposed.approval_id,
    }  # fmt: skip


async def _state_of_a(world: World) -> str:
    """Everything host A has, as text: any change made by someone else shows up as a difference."""
    async with world.deps.uow() as uow:
        host_id = world.ctx.actor.host_id
        parts: list[Any] = [
            await uow.properties.list_for_host(host_id, limit=200),
            await uow.feeds.list_for_property(world.property_id),
            await uow.reservations.list_for_host(host_id, limit=200),
            await uow.tasks.list_for_host(host_id, limit=200),
            await uow.hires.list_for_host(host_id),
            await uow.approvals.list_open(host_id),
        ]
    return repr(parts) + repr(sorted(world.market.bookings.items())) + repr(world.fetcher.calls)


def test_every_tool_of_the_catalog_is_in_the_matrix() -> None:
    assert sorted(ARGUMENTS) == sorted(default_catalog().names())


@pytest.mark.parametrize("channel", list(Channel))
async def test_another_hosts_actor_cannot_read_or_change_host_a_through_any_tool(
    world: World, channel: Channel
) -> None:
    ids = await _host_a(world)
    stranger = (await world.another_host(channel=channel)).actor
    catalog = default_catalog()
    before = await _state_of_a(world)
    for spec in catalog:
        try:
            result = await catalog.call(spec.name, ToolContext(world.deps, stranger), ARGUMENTS[spec.name](ids))
        except (NotFound, PermissionDenied):
            continue
        leaked = [name for name, value in ids.items() if value in json.dumps(result)]
        assert leaked == [], f"{spec.name} on {channel.value} showed host A's {leaked}"
    assert await _state_of_a(world) == before


@pytest.mark.parametrize("channel", list(Channel))
async def test_a_viewer_can_change_nothing_through_any_tool(world: World, channel: Channel) -> None:
    ids = await _host_a(world)
    viewer = ToolContext(world.deps, dataclasses.replace(world.ctx.actor, role=Role.VIEWER, channel=channel))
    catalog = default_catalog()
    before = await _state_of_a(world)
    for spec in catalog:
        if spec.meta.read_only:
            continue
        with pytest.raises((PermissionDenied, NotFound)) as refused:
            await catalog.call(spec.name, viewer, ARGUMENTS[spec.name](ids))
        if isinstance(refused.value, NotFound):
            assert spec.meta.humans_only and channel in MODEL_CHANNELS, f"{spec.name}: {refused.value}"
    assert await _state_of_a(world) == before
