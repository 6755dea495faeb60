"""Webhook registration, both styles (`rentahuman-api.md` §4; delivery in `webhooks`).

- `POST /webhooks/endpoints {url, events}` → `{success, endpoint: {id, url, events, createdAt}, secret}`
  (the secret is shown only here); `GET /webhooks/endpoints` → `{success, endpoints, count}` (no
  secrets); `DELETE /webhooks/endpoints/{id}` → `{success, message}`.
- `PATCH /keys/{id} {webhookUrl}` → `{success, key: {id, webhookUrl}, secret}`: every event to that
  URL (`webhookUrl: null` removes it, and `secret` is then null).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from integrations.rentahuman.sandbox.deps import json_body, require_key, sandbox
from integrations.rentahuman.sandbox.idempotency import idempotent
from integrations.rentahuman.sandbox.models import CreateWebhookEndpoint, KeyWebhook, parse_body
from integrations.rentahuman.sandbox.webhooks import register, remove, set_key_webhook

router = APIRouter(prefix="/api")


@router.post("/webhooks/endpoints")
async def create_endpoint(request: Request) -> JSONResponse:
    state = sandbox(request)

    def create(body: dict[str, Any], api_key: str) -> tuple[int, dict[str, Any]]:
        wanted = parse_body(CreateWebhookEndpoint, body)
        endpoint = register(state, api_key, wanted.url, wanted.events, style="endpoint")
        return 200, {"success": True, "endpoint": endpoint.to_json(), "secret": endpoint.secret}

    return await idempotent(request, "POST /api/webhooks/endpoints", create)


@router.get("/webhooks/endpoints")
async def list_endpoints(request: Request) -> dict[str, Any]:
    api_key = require_key(request)
    mine = [w.to_json() for w in sandbox(request).webhooks.values() if w.owner_key == api_key]
    return {"success": True, "endpoints": mine, "count": len(mine)}


@router.delete("/webhooks/endpoints/{endpoint_id}")
async def delete_endpoint(request: Request, endpoint_id: str) -> dict[str, Any]:
    remove(sandbox(request), require_key(request), endpoint_id)
    return {"success": True, "message": "Webhook endpoint deleted"}


@router.patch("/keys/{key_id}")
async def key_webhook(request: Request, key_id: str) -> dict[str, Any]:
    api_key = require_key(request)
    wanted = parse_body(KeyWebhook, await json_body(request))
    endpoint = set_key_webhook(sandbox(request), api_key, key_id, wanted.webhook_url)
    return {"success": True, "key": {"id": key_id, "webhookUrl": wanted.webhook_url},
            "secret": None if endpoint is None else endpoint.secret}  # fmt: skip
