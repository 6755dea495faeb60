"""Conversations: what one chat thread said to the agent and heard back, kept per host and thread.

A thread is the channel's key for one chat (`console:owner`, `slack:T1:C1:1700000000.1`,
`telegram:42`). The same key under two hosts is two conversations: a host's history is never read
for another host. The messages are the agent's own serialization (JSON text); the domain stores
them and never reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.errors import InvalidInput

MAX_THREAD_LENGTH = 200


def check_thread(thread: str) -> str:
    """The thread key, or InvalidInput when it is empty or too long to be a key."""
    key = thread.strip()
    if not key or len(key) > MAX_THREAD_LENGTH:
        raise InvalidInput(f"A chat thread key has 1 to {MAX_THREAD_LENGTH} characters.")
    return key


@dataclass(slots=True)
class Conversation:
    id: str
    host_id: str
    thread: str
    messages: str  # JSON text written by the agent layer (a list of model messages), opaque here
    created_at: datetime
    updated_at: datetime

    def replace_messages(self, messages: str, at: datetime) -> None:
        self.messages = messages
        self.updated_at = at
