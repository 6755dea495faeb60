"""`Edge`: the pure-ASGI layer in front of every route: timers, rate limits, faults, the request log.

For each HTTP request: run due worker timers; count it against its rate-limit window and stamp the
three `X-RateLimit-*` headers on whatever answer goes out (429 once over the limit, if enabled);
carry out the faults it meets (`faults.FaultBook.pick`, never on `/_sim`); and log it for
`GET /_sim/requests` (method, path, status, idempotency replay, faults, masked key).

Faults: `latency` waits then handles; `error` and `rate_limit` answer at once and write nothing;
`timeout` holds the request unprocessed for `ms`, then answers 504; `drop_after_commit` lets the
route commit, then starts the answer with a `Content-Length` it never fulfils and returns, so uvicorn
closes the connection and the client sees a transport error (`hang`: it holds the connection until
the sandbox closes); `error_after_commit` commits, then answers 500. Held requests wait on the
runtime, so they never block other requests and stop as soon as the server stops.
"""

from __future__ import annotations

import json
import math
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from integrations.rentahuman.sandbox.faults import Fault
from integrations.rentahuman.sandbox.limits import request_kind
from integrations.rentahuman.sandbox.runtime import Runtime
from integrations.rentahuman.sandbox.state import SandboxState, mask
from integrations.rentahuman.sandbox.workers import run_timers

Headers = list[tuple[bytes, bytes]]


def api_key_from(headers: Headers) -> str | None:
    """The `rah_` key from `X-API-Key` or `Authorization: Bearer` (§10), or None."""
    found = dict(headers)
    key = found.get(b"x-api-key", b"").decode("latin-1").strip()
    if not key:
        scheme, _, token = found.get(b"authorization", b"").decode("latin-1").partition(" ")
        key = token.strip() if scheme.lower() == "bearer" else ""
    return key if key.startswith("rah_") else None


class Edge:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state: SandboxState = scope["app"].state.sandbox
        runtime: Runtime = scope["app"].state.runtime
        runtime.bind()
        run_timers(state)
        method, path = scope["method"], scope["path"]
        key = api_key_from(scope["headers"])
        entry: dict[str, Any] = {
            "at": round(time.time(), 3), "simNow": state.now.strftime("%Y-%m-%dT%H:%M:%SZ"), "method": method,
            "path": path, "status": None, "idempotencyReplay": False, "faults": [],
            "apiKey": None if key is None else mask(key),
        }  # fmt: skip
        state.request_log.append(entry)
        counted = path.startswith("/api/")
        caller = key or f"ip:{scope['client'][0] if scope.get('client') else 'unknown'}"
        verdict = state.limiter.hit(caller, request_kind(method, key is not None), time.time(), count=counted)
        limit_headers = [(k.lower().encode(), v.encode()) for k, v in verdict.headers().items()]
        if counted and verdict.exceeded and state.config.rate_limits:
            entry["status"] = 429
            await _answer(send, 429, _envelope("Rate limit exceeded", "rate_limited"), limit_headers)
            return
        picked = state.faults.pick(method, path, state.chance) if not path.startswith("/_sim") else None
        if picked is not None:
            entry["faults"] = picked.names()
            for fault in picked.latencies:
                await runtime.hold(fault.params.ms / 1000)
            if picked.terminal is not None:
                await self._fault(picked.terminal, scope, receive, send, limit_headers, entry, runtime)
                return
        await self.app(scope, receive, _stamping(send, limit_headers, entry))

    async def _fault(
        self, fault: Fault, scope: Scope, receive: Receive, send: Send, limit_headers: Headers,
        entry: dict[str, Any], runtime: Runtime,
    ) -> None:  # fmt: skip
        params = fault.params
        if fault.kind == "error":
            entry["status"] = params.status
            await _answer(send, params.status, _envelope("Sandbox fault: server error", "server_error"), limit_headers)
        elif fault.kind == "rate_limit":
            entry["status"] = 429
            headers = _rate_limited(params, limit_headers)
            await _answer(send, 429, _envelope("Rate limit exceeded", "rate_limited"), headers)
        elif fault.kind == "timeout":
            closing = await runtime.hold(params.ms / 1000)
            status = 503 if closing else 504
            entry["status"] = status
            await _answer(send, status, _envelope("Sandbox fault: request timed out", "server_error"), limit_headers)
        else:  # drop_after_commit, error_after_commit: the route runs and commits first
            committed = _Capture(entry)
            await self.app(scope, receive, committed)
            if fault.kind == "error_after_commit":
                entry["status"] = params.status
                envelope = _envelope("Sandbox fault: error after commit", "server_error")
                await _answer(send, params.status, envelope, limit_headers)
                return
            if params.mode == "hang":
                await runtime.hold(None)
            entry["status"] = "dropped"
            await _break(send, committed, limit_headers)


class _Capture:
    """A `send` that keeps the route's answer instead of sending it."""

    def __init__(self, entry: dict[str, Any]) -> None:
        self.entry = entry
        self.status = 500
        self.headers: Headers = []
        self.body = b""

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status, self.headers = message["status"], list(message.get("headers", []))
            self.entry["committedStatus"] = self.status
            self.entry["idempotencyReplay"] = any(k.lower() == b"idempotent-replayed" for k, _ in self.headers)
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")


async def _break(send: Send, committed: _Capture, limit_headers: Headers) -> None:
    """Start the answer, promise more bytes than are sent, and stop: the server closes the connection."""
    headers = [(k, v) for k, v in committed.headers if k.lower() != b"content-length"]
    headers += [*limit_headers, (b"content-length", str(len(committed.body) + 64).encode())]
    await send({"type": "http.response.start", "status": committed.status, "headers": headers})
    await send({"type": "http.response.body", "body": committed.body[: len(committed.body) // 2], "more_body": True})


def _stamping(send: Send, limit_headers: Headers, entry: dict[str, Any]) -> Send:
    async def stamped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            entry["status"] = message["status"]
            entry["idempotencyReplay"] = any(k.lower() == b"idempotent-replayed" for k, _ in headers)
            message = {**message, "headers": headers + limit_headers}
        await send(message)

    return stamped


def _rate_limited(params: Any, limit_headers: Headers) -> Headers:
    """The real limit, `Remaining: 0`, and `Reset` as epoch seconds or a delay (whole seconds, rounded up)."""
    delay = math.ceil(params.reset_in_seconds)
    reset = math.ceil(time.time() + params.reset_in_seconds) if params.reset_style == "epoch" else delay
    headers = [h for h in limit_headers if h[0] == b"x-ratelimit-limit"]
    headers += [(b"x-ratelimit-remaining", b"0"), (b"x-ratelimit-reset", str(reset).encode())]
    if params.retry_after:
        headers.append((b"retry-after", str(delay).encode()))
    return headers


def _envelope(message: str, code: str) -> dict[str, Any]:
    return {"success": False, "error": message, "code": code}


async def _answer(send: Send, status: int, body: dict[str, Any], headers: Headers) -> None:
    raw = json.dumps(body, separators=(",", ":")).encode()
    start = [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode()), *headers]
    await send({"type": "http.response.start", "status": status, "headers": start})
    await send({"type": "http.response.body", "body": raw})
