"""Requests to the agent, scripted with FunctionModel: the tool calls they make, what they do, the reply."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from inline_snapshot import snapshot

from agent import build_agent, reply
from domain.approvals import ApprovalStatus
from domain.hires import HireStatus
from scheduler.plan import plan_tasks
from scheduler.sync import sync_feeds
from tests.agent.script import Script, call
from tests.conftest import World
from tools.catalog import default_catalog
from tools.properties import update_property

THREAD = "console:owner"


async def _stays_and_tasks(world: World) -> str:
    """Two stays published, synced and planned; returns the first clean's task id."""
    world.publish(("a", date(2026, 11, 26), 2), ("b", date(2026, 11, 29), 3))
    await sync_feeds(world.deps, force=True)
    await plan_tasks(world.deps)
    async with world.deps.uow() as uow:
        tasks = await uow.tasks.list_for_host(world.ctx.actor.host_id)
    return tasks[0].id


def _brief(content: Any, *keys: str) -> list[tuple[Any, ...]]:
    return [tuple(item[k] for k in keys) for item in content]


async def test_whats_on_this_week_reads_the_upcoming_stays_and_the_tasks(world: World) -> None:
    await _stays_and_tasks(world)
    script = Script(
        [call("upcoming_reservations", days=7), call("list_tasks")],
        "Two stays: 26-28 Nov and 29 Nov-2 Dec, with a clean after each.",
    )
    answer = await reply(build_agent(default_catalog(), script.model), world.ctx, thread=THREAD, text="What's on?")
    (_, stays), (_, tasks) = script.returns()
    assert answer.tool_calls == ["upcoming_reservations", "list_tasks"]
    assert _brief(stays, "check_in", "check_out") == snapshot(
        [("2026-11-26", "2026-11-28"), ("2026-11-29", "2026-12-02")]
    )
    assert _brief(tasks, "kind", "status", "start") == snapshot(
        [("clean", "planned", "2026-11-28T11:00:00+00:00"), ("clean", "planned", "2026-12-02T11:00:00+00:00")]
    )
    assert answer.text == "Two stays: 26-28 Nov and 29 Nov-2 Dec, with a clean after each."


async def test_adding_a_property_calls_add_property_with_its_arguments(world: World) -> None:
    args = {"name": "Casa Azul", "city": "Porto", "timezone": "Europe/Lisbon", "cleaning_budget": 80}
    script = Script([call("add_property", **args)], "Added Casa Azul in Porto.")
    answer = await reply(
        build_agent(default_catalog(), script.model),
        world.ctx,
        thread=THREAD,
        text="Add Casa Azul in Porto, 80 a clean",
    )
    assert answer.calls[0].model_dump() == {"tool": "add_property", "args": args}
    async with world.deps.uow() as uow:
        props = await uow.properties.list_for_host(world.ctx.actor.host_id)
    assert [(p.name, p.city, p.cleaning_budget) for p in props] == snapshot(
        [("Alfama loft", "Lisbon", Decimal("90")), ("Casa Azul", "Porto", Decimal("80"))]
    )


async def _approvals(world: World) -> list[tuple[str, ApprovalStatus, Decimal]]:
    async with world.deps.uow() as uow:
        open_ = await uow.approvals.list_open(world.ctx.actor.host_id)
    return [(a.id, a.status, a.amount) for a in open_]


async def _hire_statuses(world: World) -> list[HireStatus]:
    async with world.deps.uow() as uow:
        return [h.status for h in await uow.hires.list_for_host(world.ctx.actor.host_id)]


async def test_a_booking_within_the_limit_is_booked(world: World) -> None:
    task_id = await _stays_and_tasks(world)
    script = Script([call("create_booking", task_id=task_id, human_id="w1")], "Booked Worker w1 for 75.00.")
    answer = await reply(build_agent(default_catalog(), script.model), world.ctx, thread=THREAD, text="Book w1")
    assert [(r.worker_id, r.idempotency_key) for r in world.market.requests] == snapshot([("w1", "hire-task_11-1")])
    assert (answer.approvals, await _approvals(world)) == ([], [])
    assert await _hire_statuses(world) == snapshot([HireStatus.BOOKED])


async def test_a_booking_above_the_limit_becomes_an_approval_card_and_nothing_is_booked(world: World) -> None:
    task_id = await _stays_and_tasks(world)
    await update_property(world.ctx, property_id=world.property_id, auto_approve_limit=Decimal("50"))
    script = Script([call("create_booking", task_id=task_id, human_id="w1")], "Unreachable: the run ends deferred.")
    answer = await reply(build_agent(default_catalog(), script.model), world.ctx, thread=THREAD, text="Book w1")
    assert world.market.requests == []
    assert await _approvals(world) == snapshot([("apr_17", ApprovalStatus.OPEN, Decimal("75.00"))])
    assert await _hire_statuses(world) == [HireStatus.PROPOSED]
    assert answer.approvals == [a[0] for a in await _approvals(world)]
    assert answer.tool_calls == ["create_booking", "propose_hire"]
    assert answer.text == snapshot(
        "Above the auto-approve limit, so not booked: Worker w1 at 75.00 for task task_11 waits for an approver "
        "(approval apr_17)."
    )


async def test_the_next_turn_sees_what_became_of_the_deferred_booking(world: World) -> None:
    task_id = await _stays_and_tasks(world)
    await update_property(world.ctx, property_id=world.property_id, auto_approve_limit=Decimal("50"))
    agent = build_agent(default_catalog(), Script([call("create_booking", task_id=task_id, human_id="w1")]).model)
    await reply(agent, world.ctx, thread=THREAD, text="Book w1")
    script = Script("It waits for an approver.")
    await reply(build_agent(default_catalog(), script.model), world.ctx, thread=THREAD, text="Is it booked?")
    [(tool, content)] = script.returns()
    assert (tool, content["outcome"], content["propose_hire"]["status"]) == snapshot(
        ("create_booking", "not booked: sent to an approver", "proposed")
    )


async def test_a_proposal_the_budget_refuses_is_reported_and_nothing_is_proposed(world: World) -> None:
    task_id = await _stays_and_tasks(world)
    script = Script([call("create_booking", task_id=task_id, human_id="w3")])
    answer = await reply(build_agent(default_catalog(), script.model), world.ctx, thread=THREAD, text="Book w3")
    assert (world.market.requests, await _approvals(world), answer.approvals) == ([], [], [])
    assert answer.text == snapshot("Not booked, and not proposed either: 150.00 is above the task budget of 90.")


async def test_a_proposal_asked_for_directly_is_reported_as_an_approval(world: World) -> None:
    task_id = await _stays_and_tasks(world)
    script = Script([call("propose_hire", task_id=task_id, human_id="w2")], "Proposed Worker w2.")
    answer = await reply(build_agent(default_catalog(), script.model), world.ctx, thread=THREAD, text="Suggest w2")
    assert world.market.requests == []
    assert answer.approvals == [a[0] for a in await _approvals(world)] and len(answer.approvals) == 1


async def test_a_listing_that_mentions_an_older_approval_is_not_a_new_proposal(world: World) -> None:
    task_id = await _stays_and_tasks(world)
    first = Script([call("propose_hire", task_id=task_id, human_id="w2")], "Proposed.")
    await reply(build_agent(default_catalog(), first.model), world.ctx, thread=THREAD, text="Suggest w2")
    script = Script([call("list_hires"), call("list_approvals"), call("get_task", task_id=task_id)], "It waits.")
    answer = await reply(build_agent(default_catalog(), script.model), world.ctx, thread=THREAD, text="Hires?")
    assert [tool for tool, _ in script.returns()[-3:]] == ["list_hires", "list_approvals", "get_task"]
    assert answer.approvals == []  # reading about the card proposes nothing
