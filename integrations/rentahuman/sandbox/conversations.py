"""Conversations and messages (`rentahuman-api.md` §4, §5.7): opened by the agent or an accept; humans answer.

Each conversation belongs to the API key that opened it (others get a 404). A human's reply
(`/_sim/conversations/{id}/reply`, ours) emits `message.received`.
"""

from __future__ import annotations

from typing import Any

from integrations.rentahuman.sandbox.models import not_found
from integrations.rentahuman.sandbox.objects import Conversation, Message
from integrations.rentahuman.sandbox.state import SandboxState

FirstMessage = tuple[str, str, str, dict[str, Any] | None]  # content, sender type, message type, metadata


def open_conversation(
    state: SandboxState, *, owner_key: str, human_id: str, subject: str, agent_type: str, agent_name: str | None,
    agent_id: str | None, first: FirstMessage,
) -> Conversation:  # fmt: skip
    state.human(human_id)
    conversation = Conversation(
        id=state.new_id(), owner_key=owner_key, status="active", created_at=state.now, updated_at=state.now,
        human_id=human_id, agent_id=agent_id, agent_name=agent_name, agent_type=agent_type, subject=subject,
    )  # fmt: skip
    state.conversations[conversation.id] = conversation
    content, sender, message_type, metadata = first
    add_message(state, conversation, sender, content, message_type, metadata)
    return conversation


def add_message(
    state: SandboxState, conversation: Conversation, sender: str, content: str, message_type: str,
    metadata: dict[str, Any] | None,
) -> Message:  # fmt: skip
    message = Message(
        id=state.new_id(), conversation_id=conversation.id, sender_type=sender, content=content,
        message_type=message_type, metadata=metadata, created_at=state.now,
    )  # fmt: skip
    conversation.messages.append(message)
    conversation.updated_at = state.now
    if sender == "human":
        state.emit("message.received", conversation.owner_key,
                   {"conversationId": conversation.id, "messageId": message.id, "humanId": conversation.human_id,
                    "content": content})  # fmt: skip
    return message


def owned(state: SandboxState, conversation_id: str, owner_key: str) -> Conversation:
    conversation = state.conversations.get(conversation_id)
    if conversation is None or conversation.owner_key != owner_key:
        raise not_found("Conversation")
    return conversation
