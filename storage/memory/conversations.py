"""The in-memory conversation repository: chat history per (host, thread), as the SQL one keeps it."""

from __future__ import annotations

from domain.conversations import Conversation
from storage.memory.repositories import _Repository


class InMemoryConversationRepository(_Repository[Conversation]):
    table = "conversations"

    async def find(self, host_id: str, thread: str) -> Conversation | None:
        rows = self._select(lambda c: c.host_id == host_id and c.thread == thread, lambda c: c.id)
        return next(iter(rows), None)

    async def delete(self, conversation_id: str) -> None:
        self._tx.delete(self.table, conversation_id)
