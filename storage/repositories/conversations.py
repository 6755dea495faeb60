"""The SQL conversation repository: chat history, one row per (host, thread)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, select

from domain.conversations import Conversation
from storage import tables as t
from storage.repositories.base import SqlRepository

_c = t.conversations.c


class SqlConversationRepository(SqlRepository):
    """`(host_id, thread)` is unique: a second conversation for the same pair is a `Conflict`."""

    table = t.conversations
    kind = "conversation"

    async def add(self, conversation: Conversation) -> None:
        await self._insert({"id": conversation.id, **_values(conversation)})

    async def update(self, conversation: Conversation) -> None:
        await self._update(conversation.id, _values(conversation))

    async def find(self, host_id: str, thread: str) -> Conversation | None:
        rows = await self._rows(select(t.conversations).where(_c.host_id == host_id, _c.thread == thread))
        return _conversation(rows[0]) if rows else None

    async def delete(self, conversation_id: str) -> None:
        await self._delete(conversation_id)


def _values(c: Conversation) -> dict[str, Any]:
    return {
        "host_id": c.host_id, "thread": c.thread, "messages": c.messages, "created_at": c.created_at,
        "updated_at": c.updated_at,
    }  # fmt: skip


def _conversation(row: Row[Any]) -> Conversation:
    return Conversation(
        id=row.id, host_id=row.host_id, thread=row.thread, messages=row.messages, created_at=row.created_at,
        updated_at=row.updated_at,
    )  # fmt: skip
