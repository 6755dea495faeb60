"""Conversation history per chat thread: loaded before a run, trimmed and saved after it.

Stored per host (`uow.conversations`, keyed by host and thread) as pydantic-ai's own JSON
(`ModelMessagesTypeAdapter`). Trimming keeps the last N messages but always starts at a host's
request, so a tool call is never cut from its return. A history this version cannot read (written
by an older pydantic-ai, or damaged) is dropped with a warning: the chat goes on without it.
A call waiting for the person's confirmation stays open at the end (see `agent.confirm`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from pydantic import ValidationError
from pydantic_ai.messages import (
    ModelMessage,
    ModelMessagesTypeAdapter,
    ModelRequest,
    RetryPromptPart,
    ToolReturnPart,
    UserPromptPart,
    repair_messages,
)

from agent.secrets import Secrets, redact_messages
from domain.conversations import Conversation
from domain.errors import Conflict
from tools.context import ToolContext

log = logging.getLogger(__name__)


async def load_history(ctx: ToolContext, thread: str) -> list[ModelMessage]:
    """The thread's messages for this host, oldest first (none for a new thread)."""
    async with ctx.deps.uow() as uow:
        conversation = await uow.conversations.find(ctx.actor.host_id, thread)
    if conversation is None:
        return []
    try:
        return ModelMessagesTypeAdapter.validate_json(conversation.messages)
    except ValidationError:
        log.warning("The history of chat thread %s could not be read; starting it afresh.", thread)
        return []


async def save_history(
    ctx: ToolContext, thread: str, messages: Sequence[ModelMessage], *, limit: int, secrets: Secrets
) -> None:
    """Store the thread's last `limit` messages (see `trim`) without secrets, replacing what was stored."""
    kept = repair_messages(trim(messages, limit), repair_last_response=False)  # merged; a pending call stays open
    kept = redact_messages(kept, secrets)
    text = ModelMessagesTypeAdapter.dump_json(kept).decode()
    try:
        await _write(ctx, thread, text)
    except Conflict:  # another reply in the same new thread stored it first: write over it
        await _write(ctx, thread, text)


async def _write(ctx: ToolContext, thread: str, text: str) -> None:
    now = ctx.deps.clock.now()
    async with ctx.deps.uow() as uow:
        conversation = await uow.conversations.find(ctx.actor.host_id, thread)
        if conversation is None:
            conversation = Conversation(
                id=ctx.deps.ids.new_id("conv"), host_id=ctx.actor.host_id, thread=thread, messages=text,
                created_at=now, updated_at=now,
            )  # fmt: skip
            await uow.conversations.add(conversation)
        else:
            conversation.replace_messages(text, now)
            await uow.conversations.update(conversation)
        await uow.commit()


async def forget_history(ctx: ToolContext, thread: str) -> bool:
    """Drop the thread's history for this host (a fresh start); whether there was one."""
    async with ctx.deps.uow() as uow:
        conversation = await uow.conversations.find(ctx.actor.host_id, thread)
        if conversation is None:
            return False
        await uow.conversations.delete(conversation.id)
        await uow.commit()
    return True


def trim(messages: Sequence[ModelMessage], limit: int) -> list[ModelMessage]:
    """The last `limit` messages, starting at a host's request.

    The cut moves forward to the first request that is the host's own words (no tool returns in it),
    so a tool call and its return always stay together. When even the last request is further back
    than `limit`, that last exchange is kept whole.
    """
    starts = [i for i, message in enumerate(messages) if _is_turn_start(message)]
    if not starts:
        return list(messages)
    floor = max(0, len(messages) - limit)
    start = next((i for i in starts if i >= floor), starts[-1])
    return list(messages[start:])


def _is_turn_start(message: ModelMessage) -> bool:
    if not isinstance(message, ModelRequest):
        return False
    parts = message.parts
    has_prompt = any(isinstance(p, UserPromptPart) for p in parts)
    return has_prompt and not any(isinstance(p, ToolReturnPart | RetryPromptPart) for p in parts)
