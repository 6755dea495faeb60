"""`/api/conversations`: open (alias `/conversations/start`, idempotent), list, read and send (§4, §5.7).

All need a key; a conversation is visible only to the key that opened it (or whose accept opened it).
`POST /conversations` → `{success, conversation: {id, humanId, agentId?, subject, status: "active",
messages, createdAt, ...}}`; `POST /conversations/{id}/messages` → `{success, message: {id,
conversationId, senderType: "agent", content, createdAt, ...}}`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from integrations.rentahuman.sandbox.conversations import add_message, open_conversation, owned
from integrations.rentahuman.sandbox.deps import DEFAULT_LIMIT, page, require_key, sandbox
from integrations.rentahuman.sandbox.idempotency import idempotent
from integrations.rentahuman.sandbox.models import SendMessage, StartConversation, parse_body

router = APIRouter(prefix="/api/conversations")


async def _start(request: Request) -> JSONResponse:
    state = sandbox(request)

    def create(body: dict[str, Any], api_key: str) -> tuple[int, dict[str, Any]]:
        wanted = parse_body(StartConversation, body)
        conversation = open_conversation(
            state, owner_key=api_key, human_id=wanted.human_id, subject=wanted.subject, agent_type=wanted.agent_type,
            agent_name=wanted.agent_name, agent_id=wanted.agent_id,
            first=(wanted.message, "agent", wanted.message_type, wanted.metadata),
        )  # fmt: skip
        return 200, {"success": True, "conversation": conversation.to_json()}

    return await idempotent(request, "POST /api/conversations", create)


router.add_api_route("", _start, methods=["POST"])
router.add_api_route("/start", _start, methods=["POST"])


@router.get("")
async def list_conversations(
    request: Request, status: str | None = None, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> dict[str, Any]:
    api_key = require_key(request)
    found = [
        c.to_json(with_messages=False)
        for c in sandbox(request).conversations.values()
        if c.owner_key == api_key and (status is None or c.status == status)
    ]
    return page("conversations", found, limit, offset)


@router.get("/{conversation_id}")
async def get_conversation(request: Request, conversation_id: str) -> dict[str, Any]:
    conversation = owned(sandbox(request), conversation_id, require_key(request))
    return {"success": True, "conversation": conversation.to_json()}


@router.get("/{conversation_id}/messages")
async def list_messages(
    request: Request, conversation_id: str, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> dict[str, Any]:
    conversation = owned(sandbox(request), conversation_id, require_key(request))
    return page("messages", [m.to_json() for m in conversation.messages], limit, offset)


@router.post("/{conversation_id}/messages")
async def send_message(request: Request, conversation_id: str) -> JSONResponse:
    state = sandbox(request)

    def create(body: dict[str, Any], api_key: str) -> tuple[int, dict[str, Any]]:
        conversation = owned(state, conversation_id, api_key)
        wanted = parse_body(SendMessage, body)
        message = add_message(state, conversation, "agent", wanted.content, wanted.message_type, wanted.metadata)
        return 200, {"success": True, "message": message.to_json()}

    return await idempotent(request, f"POST /api/conversations/{conversation_id}/messages", create)
