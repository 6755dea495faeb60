"""Request helpers shared by the sandbox's routes: its state, the caller's API key, JSON bodies, paging."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from integrations.rentahuman.sandbox.models import SandboxError, invalid
from integrations.rentahuman.sandbox.state import SandboxState

MAX_LIMIT = 100
DEFAULT_LIMIT = 20


def sandbox(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


def api_key_of(request: Request) -> str | None:
    """The `rah_` key from `X-API-Key` or `Authorization: Bearer` (§10), or None."""
    key = request.headers.get("x-api-key", "").strip()
    if not key:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        key = token.strip() if scheme.lower() == "bearer" else ""
    return key if key.startswith("rah_") else None


def require_key(request: Request) -> str:
    key = api_key_of(request)
    if key is None:
        raise SandboxError(401, "unauthorized", "Missing or invalid API key")
    return key


async def json_body(request: Request) -> dict[str, Any]:
    """The JSON object sent, `{}` for an empty body; anything else is a 400."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise invalid("the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise invalid("the request body must be a JSON object")
    return body


def page(key: str, items: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    """`{success, <key>, count, hasMore}` for one page; `limit` is clamped to 100 (§10)."""
    if limit < 1:
        raise invalid("limit must be >= 1")
    if offset < 0:
        raise invalid("offset must be >= 0")
    limit = min(limit, MAX_LIMIT)
    chosen = items[offset : offset + limit]
    return {"success": True, key: chosen, "count": len(chosen), "hasMore": offset + len(chosen) < len(items)}
