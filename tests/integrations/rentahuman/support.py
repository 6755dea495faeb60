"""Helpers for the RentAHuman tests: the `/_sim` controls, a sleep that only records, a booking request,
and edge fakes (`httpx.MockTransport` handlers) that fail in chosen ways and otherwise forward to the sandbox.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from domain.hires import BookingRequest
from integrations.rentahuman.client import RentAHumanClient
from integrations.rentahuman.retry import RetryPolicy

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
WALL = 1_795_000_000.0  # the wall clock the retry policy sees, epoch seconds
API_KEY = "rah_test_0123456789"
AGENT_ID = "turnover-test"

Failure = Callable[[httpx.Request], Awaitable[httpx.Response]]


@dataclass
class RecordingSleep:
    """Stands in for `asyncio.sleep`: remembers every delay and returns at once."""

    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def retry_policy(sleep: RecordingSleep, *, wall: float = WALL) -> RetryPolicy:
    return RetryPolicy(sleep=sleep, rng=random.Random(3), wall_clock=lambda: wall)


def make_client(
    http: httpx.AsyncClient,
    api_url: str,
    sleep: RecordingSleep | None = None,
    *,
    api_key: str | None = API_KEY,
    retry: RetryPolicy | None = None,
    **kw: Any,
) -> RentAHumanClient:
    """A sandbox client; its retry policy records sleeps in `sleep` unless a `retry` policy is given."""
    policy = retry or retry_policy(sleep or RecordingSleep())
    return RentAHumanClient(
        http, base_url=api_url, api_key=api_key, agent_id=AGENT_ID, sandbox=True, retry=policy, **kw
    )


def a_booking_request(worker_id: str, **kw: Any) -> BookingRequest:
    defaults: dict[str, Any] = dict(
        worker_id=worker_id, title="Turnover clean in Lisbon", description="3 h clean after an 11:00 checkout.",
        start=NOW + timedelta(days=1, hours=2), estimated_hours=3.0, idempotency_key="hire-task_1-1",
    )  # fmt: skip
    return BookingRequest(**(defaults | kw))


@dataclass
class Sim:
    """The sandbox's `/_sim` controls over the test's own HTTP client."""

    http: httpx.AsyncClient
    base_url: str

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api"

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.http.post(f"{self.base_url}/_sim/{path}", json=body)
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return answer

    async def reset(self, **body: Any) -> dict[str, Any]:
        return await self.post("reset", {"seed": 7} | body)

    async def state(self) -> dict[str, Any]:
        response = await self.http.get(f"{self.base_url}/_sim/state")
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return answer

    async def humans(self, **params: Any) -> list[dict[str, Any]]:
        response = await self.http.get(f"{self.api_url}/humans", params={"limit": 100} | params)
        found: list[dict[str, Any]] = response.json()["humans"]
        return found

    async def a_cleaner(self, city: str = "Lisbon") -> dict[str, Any]:
        return (await self.humans(skill="Cleaning", city=city))[0]

    async def get(self, path: str) -> dict[str, Any]:
        response = await self.http.get(f"{self.base_url}/_sim/{path}")
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return answer

    async def config(self, **body: Any) -> dict[str, Any]:
        return await self.post("config", body)

    async def fault(self, method: str, path: str, kind: str, *, times: int | None = 1, **params: Any) -> None:
        """Add a §10 fault rule for requests to `METHOD /api<path>`."""
        rule = {"match": {"method": method, "path": f"/api{path}"}, "kind": kind, "times": times, "params": params}
        await self.post("faults", rule)

    async def advance(self, kind: str, object_id: str, to: str) -> dict[str, Any]:
        return await self.post("advance", {"kind": kind, "id": object_id, "to": to})

    async def requests(self, method: str | None = None, path: str | None = None) -> list[dict[str, Any]]:
        """The request log, optionally only `METHOD /api<path>`."""
        answer = await self.get("requests")
        logged: list[dict[str, Any]] = answer["requests"]
        return [
            r
            for r in logged
            if (method is None or r.get("method") == method) and (path is None or r.get("path") == f"/api{path}")
        ]


Route = tuple[str, str]  # (method, path)
ANY: Route = ("*", "*")


@dataclass
class EdgeFake:
    """A MockTransport handler. Requests to a route in `failures` meet its failures in order (the
    `ANY` route matches every request); everything else is forwarded to the real sandbox.
    `seen` records `METHOD /path` of every request."""

    upstream: httpx.AsyncClient
    failures: dict[Route, list[Failure]] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(f"{request.method} {request.url.path}")
        for route in ((request.method, request.url.path), ANY):
            if self.failures.get(route):
                return await self.failures[route].pop(0)(request)
        return await forward(self.upstream, request)

    def count(self, method: str, path: str) -> int:
        return self.seen.count(f"{method} {path}")


async def forward(upstream: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
    answer = await upstream.request(request.method, request.url, headers=request.headers, content=request.content)
    return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)


def status(code: int, headers: dict[str, str] | None = None, body: dict[str, Any] | None = None) -> Failure:
    """Answer with an error envelope and write nothing."""

    async def fail(request: httpx.Request) -> httpx.Response:
        envelope = body or {"success": False, "error": f"HTTP {code}", "code": "server_error"}
        return httpx.Response(code, json=envelope, headers=headers)

    return fail


def drop_after_commit(upstream: httpx.AsyncClient) -> Failure:
    """Let the sandbox do the work, then lose the answer as a reset connection would."""

    async def fail(request: httpx.Request) -> httpx.Response:
        await forward(upstream, request)
        raise httpx.ReadError("connection reset by peer", request=request)

    return fail


def drop_before_arrival() -> Failure:
    """The connection breaks after sending: the server never saw the request, but the client cannot know."""

    async def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("connection reset by peer", request=request)

    return fail


def refuse_connection() -> Failure:
    async def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    return fail


@dataclass
class Delivery:
    headers: dict[str, str]
    body: bytes


class WebhookReceiver:
    """A loopback HTTP server that records every delivery as raw bytes and answers 200."""

    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        received = self.deliveries

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received.append(Delivery({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks/rentahuman"

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
