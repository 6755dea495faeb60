"""Helpers for the sandbox's contract tests: raw HTTP calls with a key, and a loopback webhook receiver."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tests.integrations.rentahuman.support import API_KEY, Sim

KEY = {"X-API-Key": API_KEY}
OTHER_KEY = {"X-API-Key": "rah_other_agent"}


@dataclass
class Api:
    """`/api` over the test's own HTTP client, with our key unless told otherwise."""

    sim: Sim

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None, **kw: Any) -> httpx.Response:
        headers = kw.pop("headers", KEY)
        return await self.sim.http.request(method, f"{self.sim.api_url}{path}", json=body, headers=headers, **kw)

    async def ok(self, method: str, path: str, body: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
        response = await self.call(method, path, body, **kw)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        assert answer["success"] is True
        return answer

    async def rent(self, human_id: str, *, headers: dict[str, str] = KEY, **kw: Any) -> dict[str, Any]:
        body = {"humanId": human_id, "taskTitle": "Turnover clean 2BR", "taskDescription": "3 h clean after checkout.",
                "price": 90, "estimatedHours": 3} | kw  # fmt: skip
        return await self.ok("POST", "/escrow/agent-checkout", body, headers=headers)

    async def escrow(self, escrow_id: str) -> dict[str, Any]:
        found: dict[str, Any] = (await self.ok("GET", f"/escrow/{escrow_id}"))["escrow"]
        return found

    async def booking(self, booking_id: str) -> dict[str, Any]:
        found: dict[str, Any] = (await self.ok("GET", f"/bookings/{booking_id}"))["booking"]
        return found


@pytest.fixture
def api(sim: Sim) -> Api:
    return Api(sim)


def bounty_body(**kw: Any) -> dict[str, Any]:
    body = {
        "title": "Turnover clean, 2BR, Lisbon",
        "description": "3h clean after the 11:00 checkout, photos of each room.",
        "price": 90, "estimatedHours": 3, "category": "home-services", "skillsNeeded": ["Cleaning"],
        "evidenceTypes": ["photo"], "location": "Lisbon", "spotsAvailable": 1, "agentType": "other",
    }  # fmt: skip
    return body | kw


def booking_body(human_id: str, **kw: Any) -> dict[str, Any]:
    body = {
        "humanId": human_id, "agentId": "turnover-test", "agentType": "other", "taskTitle": "Turnover clean",
        "taskDescription": "3 h clean after checkout.", "startTime": "2026-11-26T11:00:00Z", "estimatedHours": 3,
    }  # fmt: skip
    return body | kw


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(self.body)
        return found


@dataclass
class Receiver:
    """A loopback HTTP server that records every POST; `statuses` are answered in turn, then 200."""

    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    url: str = ""

    def wait_for(self, count: int, timeout: float = 3.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return list(self.received)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    record = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            record.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(record.statuses.pop(0) if record.statuses else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    record.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield record
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=2)
