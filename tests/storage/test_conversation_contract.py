"""The conversation repository's contract, on memory, SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
from typing import Any

import pytest

from domain.conversations import Conversation
from domain.errors import Conflict, NotFound
from domain.ports import UnitOfWorkFactory
from tests.storage.samples import a_host, at

MESSAGES = json.dumps([{"kind": "request", "parts": [{"part_kind": "user-prompt", "content": "Olá — what's on?"}]}])


def a_conversation(**kw: Any) -> Conversation:
    defaults: dict[str, Any] = dict(
        id="conv_1", host_id="host_1", thread="console:owner", messages=MESSAGES, created_at=at(0), updated_at=at(1)
    )
    return Conversation(**(defaults | kw))


async def _hosts(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.hosts.add(a_host())
        await uow.hosts.add(a_host(id="host_2"))
        await uow.commit()


async def test_a_conversation_comes_back_equal_by_host_and_thread(uow_factory: UnitOfWorkFactory) -> None:
    await _hosts(uow_factory)
    async with uow_factory() as uow:
        await uow.conversations.add(a_conversation())
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.conversations.find("host_1", "console:owner") == a_conversation()
        assert await uow.conversations.find("host_1", "console:other") is None


async def test_the_same_thread_key_of_another_host_is_another_conversation(uow_factory: UnitOfWorkFactory) -> None:
    await _hosts(uow_factory)
    async with uow_factory() as uow:
        await uow.conversations.add(a_conversation())
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.conversations.find("host_2", "console:owner") is None
        await uow.conversations.add(a_conversation(id="conv_2", host_id="host_2", messages="[]"))
        await uow.commit()
    async with uow_factory() as uow:
        mine = await uow.conversations.find("host_1", "console:owner")
        theirs = await uow.conversations.find("host_2", "console:owner")
    assert (mine and mine.messages, theirs and theirs.messages) == (MESSAGES, "[]")


async def test_a_second_conversation_for_one_host_and_thread_is_a_conflict(uow_factory: UnitOfWorkFactory) -> None:
    await _hosts(uow_factory)
    async with uow_factory() as uow:
        await uow.conversations.add(a_conversation())
        with pytest.raises(Conflict):
            await uow.conversations.add(a_conversation(id="conv_2"))
        await uow.commit()  # the conflict left the unit of work usable
    async with uow_factory() as uow:
        found = await uow.conversations.find("host_1", "console:owner")
    assert found is not None and found.id == "conv_1"


async def test_updating_replaces_the_messages_and_deleting_forgets_them(uow_factory: UnitOfWorkFactory) -> None:
    await _hosts(uow_factory)
    async with uow_factory() as uow:
        await uow.conversations.add(a_conversation())
        await uow.commit()
    changed = a_conversation()
    changed.replace_messages("[]", at(5))
    async with uow_factory() as uow:
        await uow.conversations.update(changed)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.conversations.find("host_1", "console:owner") == changed
        await uow.conversations.delete("conv_1")
        await uow.conversations.delete("conv_1")  # deleting what is gone is a no-op
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.conversations.find("host_1", "console:owner") is None
        with pytest.raises(NotFound):
            await uow.conversations.update(changed)


async def test_a_conversation_of_an_unknown_host_is_a_conflict(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        with pytest.raises(Conflict):
            await uow.conversations.add(a_conversation(host_id="nobody"))


async def test_a_long_history_comes_back_to_the_character(uow_factory: UnitOfWorkFactory) -> None:
    await _hosts(uow_factory)
    long = json.dumps([{"content": "é" * 200_000, "n": i} for i in range(3)], ensure_ascii=False)
    async with uow_factory() as uow:
        await uow.conversations.add(a_conversation(messages=long))
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.conversations.find("host_1", "console:owner")
    assert found is not None and found.messages == long
