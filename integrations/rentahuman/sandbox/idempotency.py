"""`idempotent`: run a create once per (API key, route, idempotency key) and replay its answer (§10, ours).

The key is the body's `idempotencyKey` or the `Idempotency-Key` header (both may be sent, equal). The
same key with a different body is a 409 `idempotency_mismatch`. Only successes are stored (a refused
request can be corrected and resent under the same key), and a `dryRun` preview never is, so the
real post may follow under the same key. The record is stored before the answer leaves, so a
connection lost afterwards (`drop_after_commit`) still replays.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from integrations.rentahuman.sandbox.deps import json_body, require_key, sandbox
from integrations.rentahuman.sandbox.models import invalid

Create = Callable[[dict[str, Any], str], tuple[int, dict[str, Any]]]  # (body, api key) -> (status, answer)


async def idempotent(request: Request, route: str, create: Create) -> JSONResponse:
    api_key = require_key(request)
    state = sandbox(request)
    body = await json_body(request)
    header_key = request.headers.get("idempotency-key")
    body_key = body.get("idempotencyKey")
    if header_key and body_key and header_key != body_key:
        raise invalid("idempotencyKey and the Idempotency-Key header differ")
    key = body_key if isinstance(body_key, str) and body_key else header_key
    fingerprint = _fingerprint(body)
    if key:
        record = state.replay(api_key, route, key, fingerprint)
        if record is not None:
            return JSONResponse(record.body, record.status, headers={"Idempotent-Replayed": "true"})
    status, answer = create(body, api_key)
    if key and 200 <= status < 300 and not answer.get("dryRun"):
        state.remember(api_key, route, key, fingerprint, status, answer)
    return JSONResponse(answer, status)


def _fingerprint(body: dict[str, Any]) -> str:
    significant = {k: v for k, v in body.items() if k != "idempotencyKey"}
    return hashlib.sha256(json.dumps(significant, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
