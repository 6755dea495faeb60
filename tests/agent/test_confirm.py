"""Destructive tools wait for the person's yes: asked in the reply, answered by the thread's next message."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from inline_snapshot import snapshot
from pydantic_ai.messages import ModelMessagesTypeAdapter, ModelRequest, ToolReturnPart

from agent import build_agent, reply
from agent.confirm import affirmative, open_calls
from domain.approvals import ApprovalStatus
from domain.hires import HireStatus
from domain.hosts import Channel
from domain.tasks import TaskStatus
from scheduler.plan import plan_tasks
from scheduler.sync import sync_feeds
from tests.agent.script import Script, call
from tests.conftest import World
from tools.catalog import default_catalog
from tools.hires import create_booking
from tools.properties import update_property

THREAD = "console:owner"


async def _task(world: World) -> str:
    world.publish(("a", date(2026, 11, 26), 2))
    await sync_feeds(world.deps, force=True)
    await plan_tasks(world.deps)
    async with world.deps.uow() as uow:
        [task] = await uow.tasks.list_for_host(world.ctx.actor.host_id)
    return task.id


async def _task_status(world: World, task_id: str) -> TaskStatus:
    async with world.deps.uow() as uow:
        task = await uow.tasks.get(task_id)
    assert task is not None
    return task.status


async def _pending(world: World, host_id: str | None = None) -> list[tuple[str, dict[str, object]]]:
    async with world.deps.uow() as uow:
        found = await uow.conversations.find(host_id or world.ctx.actor.host_id, THREAD)
    history = [] if found is None else ModelMessagesTypeAdapter.validate_json(found.messages)
    return [(c.tool_name, c.args_as_dict()) for c in open_calls(history)]


def _seen(script: Script) -> list[tuple[str, object]]:
    """The tool results and prompts of the last request the model was shown."""
    last = script.seen[-1][0][-1]
    assert isinstance(last, ModelRequest)
    return [(p.tool_name, p.content) if isinstance(p, ToolReturnPart) else ("prompt", p.content) for p in last.parts]


async def test_a_destructive_call_is_not_run_and_the_person_is_asked(world: World) -> None:
    task_id = await _task(world)
    script = Script([call("cancel_task", task_id=task_id, reason="guest left early")])
    answer = await reply(build_agent(default_catalog(), script.model), world.ctx, thread=THREAD, text="Cancel it")
    assert await _task_status(world, task_id) == TaskStatus.PLANNED
    assert (
        answer.text
        == answer.confirm
        == snapshot(
            "Confirm: cancel_task task_10 (reason: guest left early)? Cancel a task: nobody more is hired for it, and "
            "a worker booked or proposed for it is cancelled at once on the marketplace (an approval card is "
            "withdrawn). Reply yes to go ahead, anything else to drop it."
        )
    )
    assert (answer.tool_calls, answer.approvals) == (["cancel_task"], [])
    assert await _pending(world) == [("cancel_task", {"task_id": task_id, "reason": "guest left early"})]


async def test_yes_runs_the_call_as_the_member_via_the_agent_and_the_model_answers(world: World) -> None:
    task_id = await _task(world)
    script = Script([call("cancel_task", task_id=task_id, reason="guest left early")], "Cancelled.")
    agent = build_agent(default_catalog(), script.model)
    await reply(agent, world.ctx, thread=THREAD, text="Cancel it")
    answer = await reply(agent, world.ctx, thread=THREAD, text=" Yes ")
    assert await _task_status(world, task_id) == TaskStatus.CANCELLED
    assert (answer.text, answer.confirm, answer.tool_calls) == ("Cancelled.", None, ["cancel_task"])
    [(tool, result), prompt] = _seen(script)
    assert (tool, result["status"], prompt) == ("cancel_task", "cancelled", ("prompt", " Yes "))
    async with world.deps.uow() as uow:
        [entry] = [e for e in await uow.audit.list_for_host(world.ctx.actor.host_id) if e.action == "cancel_task"]
    assert (entry.actor, entry.channel) == (world.ctx.actor.member_id, "agent")
    assert await _pending(world) == []


async def test_anything_but_yes_drops_the_call_and_is_answered_as_a_request(world: World) -> None:
    task_id = await _task(world)
    script = Script([call("cancel_task", task_id=task_id)], "One clean on 28 Nov.")
    agent = build_agent(default_catalog(), script.model)
    await reply(agent, world.ctx, thread=THREAD, text="Cancel it")
    answer = await reply(agent, world.ctx, thread=THREAD, text="no, what's on this week?")
    assert await _task_status(world, task_id) == TaskStatus.PLANNED
    assert answer.text == snapshot("Not done, as you did not confirm: cancel_task task_10.\nOne clean on 28 Nov.")
    assert _seen(script) == [("cancel_task", "The person did not confirm."), ("prompt", "no, what's on this week?")]
    assert answer.tool_calls == []


async def test_a_confirmation_is_answered_by_the_next_message_only(world: World) -> None:
    task_id = await _task(world)
    agent = build_agent(default_catalog(), Script([call("cancel_task", task_id=task_id)]).model)
    await reply(agent, world.ctx, thread=THREAD, text="Cancel it")
    await reply(agent, world.ctx, thread=THREAD, text="hmm, wait")
    answer = await reply(agent, world.ctx, thread=THREAD, text="yes")
    assert await _task_status(world, task_id) == TaskStatus.PLANNED
    assert (answer.tool_calls, await _pending(world)) == ([], [])


async def test_yes_cancels_a_booking_on_the_marketplace(world: World) -> None:
    task_id = await _task(world)
    hire = await create_booking(world.ctx, task_id=task_id, human_id="w1")
    script = Script([call("cancel_booking", hire_id=hire.id, rehire=False)], "Cancelled.")
    agent = build_agent(default_catalog(), script.model)
    first = await reply(agent, world.ctx, thread=THREAD, text="Cancel Worker w1")
    assert first.confirm is not None and first.confirm.startswith(f"Confirm: cancel_booking {hire.id} (rehire: no)?")
    assert [b.status for b in world.market.bookings.values()] == ["pending"]
    await reply(agent, world.ctx, thread=THREAD, text="y")
    assert [b.status for b in world.market.bookings.values()] == ["cancelled"]
    async with world.deps.uow() as uow:
        assert [h.status for h in await uow.hires.list_for_host(world.ctx.actor.host_id)] == [HireStatus.CANCELLED]


async def test_yes_removes_a_feed(world: World) -> None:
    async with world.deps.uow() as uow:
        [feed] = await uow.feeds.list_for_property(world.property_id)
    script = Script([call("remove_feed", feed_id=feed.id)], "Removed.")
    agent = build_agent(default_catalog(), script.model)
    first = await reply(agent, world.ctx, thread=THREAD, text="Remove the feed")
    assert (first.confirm or "").replace(feed.id, "<feed>") == snapshot(
        "Confirm: remove_feed <feed> (force: no)? Disconnect a calendar feed. Reply yes to go ahead, anything else "
        "to drop it."
    )
    await reply(agent, world.ctx, thread=THREAD, text="/confirm")
    async with world.deps.uow() as uow:
        assert await uow.feeds.list_for_property(world.property_id) == []


async def test_a_tool_that_only_changes_something_runs_without_asking(world: World) -> None:
    script = Script([call("update_property", property_id=world.property_id, cleaning_budget=70)], "Updated.")
    answer = await reply(build_agent(default_catalog(), script.model), world.ctx, thread=THREAD, text="70 a clean")
    assert (answer.text, answer.confirm, await _pending(world)) == ("Updated.", None, [])
    async with world.deps.uow() as uow:
        prop = await uow.properties.get(world.property_id)
    assert prop is not None and prop.cleaning_budget == Decimal("70")


async def test_a_destructive_call_with_bad_arguments_goes_back_to_the_model_instead(world: World) -> None:
    script = Script([call("cancel_task")], "I need the task.")
    answer = await reply(build_agent(default_catalog(), script.model), world.ctx, thread=THREAD, text="Cancel")
    assert (answer.text, answer.confirm) == ("I need the task.", None)
    assert script.returns() == [("cancel_task", "cancel_task: task_id is required.")]  # a retry, not a question


async def test_another_host_saying_yes_in_the_same_thread_key_confirms_nothing(world: World) -> None:
    task_id = await _task(world)
    other = await world.another_host(channel=Channel.CONSOLE)
    agent = build_agent(default_catalog(), Script([call("cancel_task", task_id=task_id)], "Hi B.").model)
    await reply(agent, world.ctx, thread=THREAD, text="Cancel it")
    answer = await reply(agent, other, thread=THREAD, text="yes")
    assert (answer.text, answer.tool_calls) == ("Hi B.", [])
    assert await _task_status(world, task_id) == TaskStatus.PLANNED
    assert await _pending(world) == [("cancel_task", {"task_id": task_id})]
    assert await _pending(world, "host_b") == []


async def test_the_money_gate_wins_and_a_yes_never_books(world: World) -> None:
    task_id = await _task(world)
    await update_property(world.ctx, property_id=world.property_id, auto_approve_limit=Decimal("50"))
    agent = build_agent(default_catalog(), Script([call("create_booking", task_id=task_id, human_id="w1")]).model)
    first = await reply(agent, world.ctx, thread=THREAD, text="Book w1")
    assert (first.confirm, len(first.approvals), await _pending(world)) == (None, 1, [])
    await reply(agent, world.ctx, thread=THREAD, text="yes")
    assert world.market.requests == []
    async with world.deps.uow() as uow:
        assert [a.status for a in await uow.approvals.list_open(world.ctx.actor.host_id)] == [ApprovalStatus.OPEN]


async def test_a_booking_card_and_a_confirmation_in_one_run_are_both_handled(world: World) -> None:
    task_id = await _task(world)
    await update_property(world.ctx, property_id=world.property_id, auto_approve_limit=Decimal("50"))
    both = [call("create_booking", task_id=task_id, human_id="w1"), call("cancel_task", task_id=task_id)]
    script = Script(both, "Cancelled; the card was withdrawn with it.")
    agent = build_agent(default_catalog(), script.model)
    first = await reply(agent, world.ctx, thread=THREAD, text="Book w1, no, cancel the clean")
    assert first.text == snapshot(
        "Above the auto-approve limit, so not booked: Worker w1 at 75.00 for task task_10 waits for an approver "
        "(approval apr_14).\n"
        "Confirm: cancel_task task_10? Cancel a task: nobody more is hired for it, and a worker booked or proposed "
        "for it is cancelled at once on the marketplace (an approval card is withdrawn). Reply yes to go ahead, "
        "anything else to drop it."
    )
    assert (first.approvals, await _pending(world)) == (["apr_14"], [("cancel_task", {"task_id": task_id})])
    second = await reply(agent, world.ctx, thread=THREAD, text="yes")
    assert second.text == "Cancelled; the card was withdrawn with it."
    assert (await _task_status(world, task_id), world.market.requests) == (TaskStatus.CANCELLED, [])


async def test_a_failed_run_after_the_answer_still_closes_the_confirmation(world: World) -> None:
    task_id = await _task(world)
    bad = [call("add_feed", property_id="prop_nope", url="https://calendar.example.test/2.ics")]
    agent = build_agent(default_catalog(), Script([call("cancel_task", task_id=task_id)], *[bad] * 5).model)
    await reply(agent, world.ctx, thread=THREAD, text="Cancel it")
    answer = await reply(agent, world.ctx, thread=THREAD, text="yes")
    assert (answer.failed, answer.tool_calls[0]) == (True, "cancel_task")
    assert await _task_status(world, task_id) == TaskStatus.CANCELLED
    assert await _pending(world) == []


def test_only_a_plain_yes_confirms() -> None:
    yes = ["yes", " YES ", "y", "Confirm", "ok", "/confirm", "Yes."]
    no = ["no", "yes please cancel the other one", "okay?", "", "sure"]
    assert [affirmative(t) for t in yes] == [True] * len(yes)
    assert [affirmative(t) for t in no] == [False] * len(no)
