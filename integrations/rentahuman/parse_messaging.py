"""Conversations, messages and webhooks from RentAHuman JSON: one parsing function per object.

The same rules as `parse`. Response keys here are [G] (`rentahuman-api.md` §5.7, §5.8, Q5).
Message text can hold door codes, so it is kept out of every `repr`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from integrations.rentahuman.errors import RentAHumanSchemaError
from integrations.rentahuman.parse import Json, _lenient_time, _list, _resource, _text


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    conversation_id: str
    sender_type: str  # agent, human, system
    content: str = field(default="", repr=False)  # private: may hold access details
    created_at: datetime | None = None
    raw: Json = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class Conversation:
    id: str
    human_id: str
    subject: str
    status: str = "active"  # active, archived, converted [V]
    messages: tuple[Message, ...] = field(default=(), repr=False)  # empty when the answer leaves them out
    raw: Json = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class WebhookEndpoint:
    id: str
    url: str
    events: tuple[str, ...] = ()
    raw: Json = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class WebhookRegistration:
    """A new endpoint and its signing secret, which the platform shows only this once: store it."""

    endpoint: WebhookEndpoint
    secret: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """One signed delivery. `type` [V] (`booking.status_changed`, ...); the envelope is [G] (§5.8)."""

    id: str
    type: str
    created_at: datetime | None = None
    data: Json = field(default_factory=dict)
    raw: Json = field(default_factory=dict, repr=False)


def parse_message(payload: Json) -> Message:
    """Keys [G] (§5.7): `id`, `conversationId`, `senderType`, `content`, `createdAt`."""
    data = _resource(payload, "message")
    content = data.get("content")
    return Message(
        id=_text(data, "id", "message"),
        conversation_id=str(data.get("conversationId") or ""),
        sender_type=str(data.get("senderType") or ""),
        content=content if isinstance(content, str) else "",
        created_at=_lenient_time(data.get("createdAt")),
        raw=dict(data),
    )


def parse_conversation(payload: Json) -> Conversation:
    """Keys [G] (§5.7): `id`, `humanId`, `subject`, `status`, and `messages` when the answer has them."""
    data = _resource(payload, "conversation")
    conversation_id = _text(data, "id", "conversation")
    messages = tuple(
        parse_message({"conversationId": conversation_id} | dict(item))
        for item in _list(data, "messages", "conversation")
        if isinstance(item, Mapping)
    )
    return Conversation(
        id=conversation_id,
        human_id=str(data.get("humanId") or ""),
        subject=str(data.get("subject") or ""),
        status=str(data.get("status") or "active"),
        messages=messages,
        raw={k: v for k, v in data.items() if k != "messages"},
    )


def parse_webhook_endpoint(payload: Json) -> WebhookEndpoint:
    """`{id, url, events}` [G] (3P catalog), under `endpoint` or at the top level."""
    data = _resource(payload, "endpoint")
    return WebhookEndpoint(
        id=_text(data, "id", "endpoint"),
        url=_text(data, "url", "endpoint"),
        events=tuple(str(e) for e in _list(data, "events", "endpoint")),
        raw=dict(data),
    )


def parse_webhook_registration(payload: Json) -> WebhookRegistration:
    """`{endpoint: {...}, secret}` [G]; the secret may also sit inside the endpoint."""
    endpoint = _resource(payload, "endpoint")
    secret = payload.get("secret") or endpoint.get("secret")
    if not isinstance(secret, str) or not secret:
        raise RentAHumanSchemaError("RentAHuman webhook registration has no 'secret' (expected secret)")
    return WebhookRegistration(parse_webhook_endpoint(payload), secret)


def parse_webhook_event(payload: Json) -> WebhookEvent:
    """`{id, type, createdAt, data}` [G] (§5.8); `event` is accepted for `type`."""
    data = _resource(payload, "event") if "type" not in payload else payload
    kind = data.get("type") or data.get("event")
    if not isinstance(kind, str) or not kind:
        raise RentAHumanSchemaError("RentAHuman webhook event has no 'type' (expected event.type)")
    inner = data.get("data")
    return WebhookEvent(
        id=_text(data, "id", "event"),
        type=kind,
        created_at=_lenient_time(data.get("createdAt")),
        data=inner if isinstance(inner, Mapping) else {},
        raw=dict(data),
    )
