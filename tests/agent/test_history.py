"""Conversation history: kept per chat thread and per host, trimmed without cutting a call from its return."""

from __future__ import annotations

from pydantic_ai.messages import (
    ModelMessage,
    ModelMessagesTypeAdapter,
    ModelRequest,
    ModelResponse,
    TextPart,
    ToolCallPart,
    ToolReturnPart,
    UserPromptPart,
)

from agent import build_agent, reply
from agent.history import trim
from domain.conversations import Conversation
from domain.hosts import Channel
from tests.agent.script import Script, call
from tests.builders import NOW
from tests.conftest import World
from tools.catalog import default_catalog


def _prompts(messages: list[ModelMessage]) -> list[str]:
    return [
        str(part.content)
        for message in messages
        if isinstance(message, ModelRequest)
        for part in message.parts
        if isinstance(part, UserPromptPart)
    ]


async def _stored(world: World, thread: str, host_id: str | None = None) -> list[ModelMessage]:
    async with world.deps.uow() as uow:
        found = await uow.conversations.find(host_id or world.ctx.actor.host_id, thread)
    return [] if found is None else ModelMessagesTypeAdapter.validate_json(found.messages)


async def test_a_thread_remembers_its_earlier_turns_and_only_its_own(world: World) -> None:
    script = Script("Hello.", "You said hello.", "Nothing yet.")
    agent = build_agent(default_catalog(), script.model)
    await reply(agent, world.ctx, thread="console:owner", text="hello")
    await reply(agent, world.ctx, thread="console:owner", text="what did I say?")
    assert _prompts(script.seen[-1][0]) == ["hello", "what did I say?"]
    await reply(agent, world.ctx, thread="slack:T1:C1:1", text="anything?")
    assert _prompts(script.seen[-1][0]) == ["anything?"]


async def test_the_same_thread_key_under_another_host_is_another_conversation(world: World) -> None:
    other = await world.another_host(channel=Channel.CONSOLE)
    script = Script("Hi A.", "Hi B.")
    agent = build_agent(default_catalog(), script.model)
    await reply(agent, world.ctx, thread="console:owner", text="secret plans of host A")
    await reply(agent, other, thread="console:owner", text="hello from B")
    assert _prompts(script.seen[-1][0]) == ["hello from B"]
    assert _prompts(await _stored(world, "console:owner", "host_b")) == ["hello from B"]
    assert _prompts(await _stored(world, "console:owner")) == ["secret plans of host A"]


async def test_a_long_history_is_trimmed_to_start_at_a_request_of_the_host(world: World) -> None:
    turns = []
    for n in range(3):
        turns += [[call("list_properties")], f"Answer {n}."]
    agent = build_agent(default_catalog(), Script(*turns).model, history_limit=5)
    for n in range(3):
        await reply(agent, world.ctx, thread="console:owner", text=f"question {n}")
    stored = await _stored(world, "console:owner")
    assert _prompts(stored) == ["question 2"]  # 12 messages; the last 5 start mid-turn, so the cut moves on
    assert [type(m).__name__ for m in stored] == ["ModelRequest", "ModelResponse", "ModelRequest", "ModelResponse"]


def _turn(n: int, calls: int) -> list[ModelMessage]:
    messages: list[ModelMessage] = [ModelRequest(parts=[UserPromptPart(f"q{n}")])]
    for i in range(calls):
        messages.append(ModelResponse(parts=[ToolCallPart("list_tasks", {}, tool_call_id=f"c{n}{i}")]))
        messages.append(ModelRequest(parts=[ToolReturnPart("list_tasks", [], tool_call_id=f"c{n}{i}")]))
    return [*messages, ModelResponse(parts=[TextPart(f"a{n}")])]


def test_trimming_never_starts_at_a_tool_return() -> None:
    messages = _turn(1, 1) + _turn(2, 2)  # 4 + 6 messages
    for limit in range(1, 12):
        kept = trim(messages, limit)
        first = kept[0]
        assert isinstance(first, ModelRequest) and isinstance(first.parts[0], UserPromptPart)
        called = {p.tool_call_id for m in kept for p in m.parts if isinstance(p, ToolCallPart)}
        returned = {p.tool_call_id for m in kept for p in m.parts if isinstance(p, ToolReturnPart)}
        assert called == returned


def test_a_single_exchange_longer_than_the_limit_is_kept_whole() -> None:
    last = _turn(2, 5)
    messages = _turn(1, 1) + last
    assert trim(messages, 3) == last
    assert trim(messages, 100) == messages


async def test_a_history_that_cannot_be_read_is_dropped_and_the_chat_goes_on(world: World) -> None:
    async with world.deps.uow() as uow:
        old = '[{"kind": "from an older version"}]'
        host_id = world.ctx.actor.host_id
        await uow.conversations.add(Conversation("conv_old", host_id, "console:owner", old, NOW, NOW))
        await uow.commit()
    script = Script("Hello again.")
    answer = await reply(build_agent(default_catalog(), script.model), world.ctx, thread="console:owner", text="hi")
    assert answer.text == "Hello again."
    assert _prompts(script.seen[-1][0]) == ["hi"]
    assert _prompts(await _stored(world, "console:owner")) == ["hi"]
