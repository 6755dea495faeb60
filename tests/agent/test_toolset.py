"""The agent's toolset: the catalog's model tools, as the catalog describes them, run as the member via the agent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from inline_snapshot import snapshot
from pydantic_ai.messages import ModelRequest, ToolReturnPart

from agent import build_agent, reply
from tests.agent.script import Script, call
from tests.conftest import World
from tools.catalog import default_catalog
from tools.context import ToolContext
from tools.registry import Catalog, tool


async def test_the_model_is_offered_every_model_tool_and_no_humans_only_tool(world: World) -> None:
    catalog = default_catalog()
    script = Script("Hello.")
    await reply(build_agent(catalog, script.model), world.ctx, thread="console:owner", text="hi")
    assert script.tool_names() == [spec.name for spec in catalog.for_models()]
    assert "decide_approval" in catalog
    assert "decide_approval" not in script.tool_names()


async def test_each_tool_has_the_name_description_and_schema_of_its_spec(world: World) -> None:
    catalog = default_catalog()
    script = Script("Hello.")
    await reply(build_agent(catalog, script.model), world.ctx, thread="console:owner", text="hi")
    offered = {t.name: t for t in script.info.function_tools}
    for spec in catalog.for_models():
        assert offered[spec.name].description == spec.description
        assert offered[spec.name].parameters_json_schema == spec.parameters_schema()


async def test_a_tool_runs_as_the_chatting_member_on_the_agent_channel(world: World) -> None:
    script = Script([call("add_property", name="Casa Azul", city="Porto", timezone="Europe/Lisbon")], "Added.")
    await reply(build_agent(default_catalog(), script.model), world.ctx, thread="console:owner", text="add it")
    async with world.deps.uow() as uow:
        entries = [e for e in await uow.audit.list_for_host(world.ctx.actor.host_id) if e.action == "add_property"]
    me = world.ctx.actor.member_id
    assert [(e.actor, e.channel) for e in entries] == [(me, "agent"), (me, "cli")]  # newest first: the fixture's


def _outcomes(script: Script) -> list[tuple[str, str | None, object]]:
    messages = script.seen[-1][0]
    return [
        (part.tool_name, part.outcome if part.outcome != "success" else None, part.content)
        for message in messages
        if isinstance(message, ModelRequest)
        for part in message.parts
        if isinstance(part, ToolReturnPart)
    ]


async def test_a_domain_error_goes_back_to_the_model_as_a_retry_with_its_message(world: World) -> None:
    script = Script(
        [call("add_feed", property_id="prop_nope", url="https://calendar.example.test/2.ics")],
        [call("add_property", name="Casa Azul", city="Porto", timezone="Mars/Olympus")],
        [call("add_property", name="Casa Azul")],
        "Sorry.",
    )
    answer = await reply(build_agent(default_catalog(), script.model), world.ctx, thread="console:owner", text="x")
    assert _outcomes(script) == snapshot(
        [
            ("add_feed", "retried", "No property with id 'prop_nope'."),
            ("add_property", "retried", "Unknown timezone 'Mars/Olympus': use an IANA name such as Europe/Paris."),
            ("add_property", "retried", "add_property: city is required; timezone is required."),
        ]
    )
    assert answer.text == "Sorry."


async def test_too_many_failed_calls_end_in_an_answer_that_says_so(world: World) -> None:
    bad = [call("add_feed", property_id="prop_nope", url="https://calendar.example.test/2.ics")]
    script = Script(bad, bad, bad, bad, bad)
    answer = await reply(build_agent(default_catalog(), script.model), world.ctx, thread="console:owner", text="x")
    assert (answer.failed, answer.tool_calls, answer.text) == snapshot(
        (
            True,
            ["add_feed", "add_feed", "add_feed", "add_feed"],
            "I could not finish that: the model kept calling the tools the wrong way. Some steps may have been done "
            "already: ask me what happened.",
        )
    )
    async with world.deps.uow() as uow:
        assert await uow.conversations.find(world.ctx.actor.host_id, "console:owner") is None


class Exploded(Exception):
    pass


@tool(read_only=True)
async def explode(ctx: ToolContext) -> str:
    """Fail the way a bug does."""
    raise Exploded("a bug, not a refusal")


async def test_an_error_outside_the_domain_tree_is_a_bug_and_propagates(world: World) -> None:
    catalog = Catalog()
    catalog.register(explode)
    script = Script([call("explode")], "Unreachable.")
    with pytest.raises(Exploded):
        await reply(build_agent(catalog, script.model), world.ctx, thread="console:owner", text="x")


@tool(spends_money=True, needs_approval=True)
async def buy_towels(ctx: ToolContext, *, amount: Decimal) -> str:
    """Buy towels.

    Args:
        amount: how much to spend.
    """
    return "bought"


def test_a_money_tool_without_an_approval_gate_is_refused_when_the_agent_is_built() -> None:
    catalog = Catalog()
    catalog.register(buy_towels)
    with pytest.raises(TypeError):
        build_agent(catalog, Script().model)
