"""Conversations with humans and webhook endpoints: the other half of the client (mixed into it).

- `start_conversation` (`POST /conversations`, Q2): a create with its key; reconciled through
  `GET /conversations`, matching human, subject and our first message.
- `send_message` (`POST /conversations/{id}/messages`): with a key, a create reconciled by finding
  our message with that content in the conversation; without one, sent once.
- `get_conversation`, `list_conversations`, `list_webhooks`: reads.
- `register_webhook` (`POST /webhooks/endpoints`): sent once (its secret is only in that answer).
- `delete_webhook` (`DELETE /webhooks/endpoints/{id}`): retried like a read (deleting twice is harmless).

Messaging is eligibility-gated: an account that may not message gets `RentAHumanAuthError` (403).
Message text can hold door codes: it is sent, never logged, and kept out of every `repr`.
"""

from __future__ import annotations

from collections.abc import Sequence

from integrations.rentahuman.parse import items_of
from integrations.rentahuman.parse_messaging import (
    Conversation,
    Message,
    WebhookEndpoint,
    WebhookRegistration,
    parse_conversation,
    parse_message,
    parse_webhook_endpoint,
    parse_webhook_registration,
)
from integrations.rentahuman.transport import Transport


class MessagingCalls:
    _t: Transport
    _agent_id: str
    _agent_name: str
    _agent_type: str

    # --- conversations -------------------------------------------------------------------------

    async def start_conversation(
        self, human_id: str, subject: str, message: str, *, idempotency_key: str
    ) -> Conversation:
        """`POST /conversations` with `message` as the first message; safe to repeat with the same key."""
        body = {
            "humanId": human_id,
            "subject": subject,
            "message": message,
            "messageType": "text",
            "agentId": self._agent_id,
            "agentType": self._agent_type,
            "agentName": self._agent_name,
        }

        async def find_again() -> Conversation | None:
            return await self.find_conversation(human_id=human_id, subject=subject, first_message=message)

        return await self._t.create(
            "/conversations", body, key=idempotency_key, parse=parse_conversation, reconcile=find_again
        )

    async def find_conversation(self, *, human_id: str, subject: str, first_message: str) -> Conversation | None:
        """Our conversation with `human_id` on `subject` that holds `first_message` from us; None if none.

        The text is compared too, so a second private message on the same subject (a new door code)
        is never taken for an earlier one. A listing without messages is completed by reading each match.
        """
        for listed in await self.list_conversations():
            if listed.human_id != human_id or listed.subject != subject:
                continue
            conversation = listed if listed.messages else await self.get_conversation(listed.id)
            if _has_our_message(conversation.messages, first_message):
                return conversation
        return None

    async def list_conversations(self, *, status: str | None = None, limit: int = 100) -> list[Conversation]:
        """`GET /conversations` (`status`: active, archived, converted [V])."""
        return await self._t.collect(
            "/conversations", {"status": status}, "conversations", parse_conversation, limit=limit
        )

    async def get_conversation(self, conversation_id: str) -> Conversation:
        """`GET /conversations/{id}`, with its messages [V]."""
        return parse_conversation(await self._t.read("GET", f"/conversations/{conversation_id}"))

    async def send_message(self, conversation_id: str, content: str, *, idempotency_key: str | None = None) -> Message:
        """`POST /conversations/{id}/messages`. Without a key it is sent once (a lost answer is raised);
        with one it is retried, after first looking for our message with this content."""
        path = f"/conversations/{conversation_id}/messages"
        body = {"content": content, "messageType": "text", "senderType": "agent"}
        if idempotency_key is None:
            return parse_message(await self._t.write_once("POST", path, json=body))

        async def find_again() -> Message | None:
            found = await self.get_conversation(conversation_id)
            ours = [m for m in found.messages if m.sender_type == "agent" and m.content == content]
            return ours[-1] if ours else None

        return await self._t.create(path, body, key=idempotency_key, parse=parse_message, reconcile=find_again)

    # --- webhook endpoints ---------------------------------------------------------------------

    async def register_webhook(self, url: str, events: Sequence[str]) -> WebhookRegistration:
        """`POST /webhooks/endpoints` `{url, events}` [G]: the endpoint and its one-time signing secret.

        Sent once: a lost answer would also lose the secret, so the caller lists, deletes and registers again.
        """
        payload = await self._t.write_once("POST", "/webhooks/endpoints", json={"url": url, "events": list(events)})
        return parse_webhook_registration(payload)

    async def list_webhooks(self) -> list[WebhookEndpoint]:
        payload = await self._t.read("GET", "/webhooks/endpoints")
        key = "endpoints" if "endpoints" in payload else "webhooks"
        return [parse_webhook_endpoint(item) for item in items_of(payload, key)]

    async def delete_webhook(self, endpoint_id: str) -> None:
        """`DELETE /webhooks/endpoints/{id}`. After a retry, a 404 means an earlier attempt deleted it."""
        await self._t.read("DELETE", f"/webhooks/endpoints/{endpoint_id}")


def _has_our_message(messages: Sequence[Message], text: str) -> bool:
    return any(m.content == text and m.sender_type in ("agent", "") for m in messages)
