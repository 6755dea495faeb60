"""The sandbox over real HTTP: every §10 fault kind, the request log, and rate limits with small windows."""

from __future__ import annotations

import asyncio
import math
import threading
import time
from typing import Any

import httpx
import pytest

from integrations.rentahuman.sandbox.server import SandboxServer
from tests.integrations.rentahuman.sandbox.conftest import KEY, Api, booking_body
from tests.integrations.rentahuman.support import Sim


async def fault(sim: Sim, kind: str, path: str = "/api/bookings", method: str | None = "POST", **rule: Any) -> None:
    await sim.post("faults", {"match": {"method": method, "path": path}, "kind": kind} | rule)


async def create(sim: Sim, api: Api, key: str | None = "hire-1-booking", **kw: Any) -> httpx.Response:
    body = booking_body((await sim.a_cleaner())["id"]) | ({"idempotencyKey": key} if key else {})
    return await api.call("POST", "/bookings", body, **kw)


async def logged(sim: Sim) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await sim.http.get(f"{sim.base_url}/_sim/requests")).json()["requests"]
    return [r for r in found if r["path"].startswith("/api/bookings")]


async def test_latency_waits_then_handles_the_request(sim: Sim, api: Api) -> None:
    await fault(sim, "latency", params={"ms": 150})

    started = time.monotonic()
    response = await create(sim, api)

    assert time.monotonic() - started >= 0.15 and response.status_code == 200
    assert (await logged(sim))[-1]["faults"] == ["latency"]


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_an_error_fault_answers_in_the_envelope_and_writes_nothing(sim: Sim, api: Api, status: int) -> None:
    await fault(sim, "error", params={"status": status})

    failed, retried = await create(sim, api), await create(sim, api)

    assert failed.status_code == status and failed.json()["code"] == "server_error"
    assert retried.status_code == 200 and len((await sim.state())["bookings"]) == 1


@pytest.mark.parametrize(("style", "retry_after"), [("epoch", True), ("delta", False)])
async def test_a_rate_limit_fault_is_a_429_with_its_headers(sim: Sim, api: Api, style: str, retry_after: bool) -> None:
    await fault(sim, "rate_limit", params={"resetInSeconds": 30, "resetStyle": style, "retryAfter": retry_after})

    response = await create(sim, api)

    reset = int(response.headers["x-ratelimit-reset"])
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    assert response.headers["x-ratelimit-remaining"] == "0"
    assert (29 <= reset - time.time() <= 31) if style == "epoch" else reset == 30
    assert response.headers.get("retry-after") == ("30" if retry_after else None)
    assert (await sim.state())["bookings"] == []


async def test_a_timeout_holds_the_request_and_writes_nothing(sim: Sim, api: Api) -> None:
    await fault(sim, "timeout", params={"ms": 300})

    with pytest.raises(httpx.ReadTimeout):
        await create(sim, api, timeout=0.1)
    await asyncio.sleep(0.3)

    assert (await sim.state())["bookings"] == []


async def test_drop_after_commit_breaks_the_connection_but_the_retry_replays(sim: Sim, api: Api) -> None:
    await fault(sim, "drop_after_commit", params={"mode": "reset"})

    with pytest.raises(httpx.TransportError):
        await create(sim, api)
    committed = (await sim.state())["bookings"]
    retried = await create(sim, api)

    assert len(committed) == 1 and retried.status_code == 200
    assert retried.headers["idempotent-replayed"] == "true" and retried.json()["booking"]["id"] == committed[0]["id"]
    assert len((await sim.state())["bookings"]) == 1
    assert [(r["status"], r["idempotencyReplay"]) for r in await logged(sim)] == [("dropped", False), (200, True)]


async def test_a_hung_drop_never_answers_and_does_not_block_other_requests(sim: Sim, api: Api) -> None:
    await fault(sim, "drop_after_commit", params={"mode": "hang"})
    hung = asyncio.create_task(create(sim, api, timeout=1.0))
    await asyncio.sleep(0.1)

    other = await api.call("GET", "/humans", params={"limit": 1})

    assert other.status_code == 200 and not hung.done()
    with pytest.raises(httpx.ReadTimeout):
        await hung
    assert len((await sim.state())["bookings"]) == 1


async def test_error_after_commit_answers_500_after_writing(sim: Sim, api: Api) -> None:
    await fault(sim, "error_after_commit")

    failed = await create(sim, api)
    retried = await create(sim, api)

    assert failed.status_code == 500 and failed.json()["code"] == "server_error"
    assert retried.headers["idempotent-replayed"] == "true"
    assert len((await sim.state())["bookings"]) == 1


async def test_times_path_prefixes_and_methods_decide_which_requests_meet_a_fault(sim: Sim, api: Api) -> None:
    await fault(sim, "error", path="/api/humans*", method="GET", times=2)

    answers = [(await api.call("GET", path)).status_code for path in ("/humans", "/humans/nobody", "/humans")]
    posted = await create(sim, api)

    assert answers == [500, 500, 200] and posted.status_code == 200
    assert (await sim.http.get(f"{sim.base_url}/_sim/faults")).json()["faults"] == []


async def test_a_fault_without_a_count_lasts_until_cleared(sim: Sim, api: Api) -> None:
    await fault(sim, "error", path="/api/humans", method=None, times=None)

    failing = [(await api.call("GET", "/humans")).status_code for _ in range(3)]
    await sim.http.delete(f"{sim.base_url}/_sim/faults")

    assert failing == [500] * 3 and (await api.call("GET", "/humans")).status_code == 200


async def test_one_fault_can_be_deleted_by_id(sim: Sim, api: Api) -> None:
    added = await sim.post("faults", {"match": {"path": "/api/humans"}, "kind": "error", "times": None})

    deleted = await sim.http.delete(f"{sim.base_url}/_sim/faults/{added['fault']['id']}")
    missing = await sim.http.delete(f"{sim.base_url}/_sim/faults/{added['fault']['id']}")

    assert deleted.json()["faults"] == [] and missing.status_code == 404
    assert (await api.call("GET", "/humans")).status_code == 200


async def outcomes(sim: Sim, api: Api, seed: int) -> list[int]:
    await sim.reset(seed=seed)
    await fault(sim, "error", path="/api/humans", method="GET", times=None, probability=0.5)
    return [(await api.call("GET", "/humans", params={"limit": 1})).status_code for _ in range(16)]


async def test_a_fault_probability_is_drawn_from_the_seeded_rng(sim: Sim, api: Api) -> None:
    first, again = await outcomes(sim, api, 7), await outcomes(sim, api, 7)

    assert first == again and set(first) == {200, 500}


async def test_faults_never_touch_the_sim_controls(sim: Sim) -> None:
    await fault(sim, "error", path="*", method=None, times=None)

    assert (await sim.http.get(f"{sim.base_url}/_sim/state")).status_code == 200


async def test_a_reset_clears_faults_and_the_request_log(sim: Sim, api: Api) -> None:
    await fault(sim, "error", path="/api/humans", times=None)
    await api.call("GET", "/humans")

    await sim.reset()

    assert (await api.call("GET", "/humans")).status_code == 200
    assert [r["path"] for r in (await sim.http.get(f"{sim.base_url}/_sim/requests")).json()["requests"]] == [
        "/api/humans", "/_sim/requests"
    ]  # fmt: skip


async def test_the_request_log_masks_the_key(sim: Sim, api: Api) -> None:
    await create(sim, api)

    entry = (await logged(sim))[-1]

    assert (entry["method"], entry["status"], entry["apiKey"], entry["faults"]) == ("POST", 200, "rah_…", [])


async def test_small_configured_limits_refuse_then_a_new_window_lets_through(sim: Sim, api: Api) -> None:
    config = await sim.post("config", {"rateLimits": True, "limits": {"read": 2}, "windowSeconds": 1})
    await asyncio.sleep(math.ceil(time.time()) - time.time() + 0.01)  # windows open on whole seconds
    answers = [await api.call("GET", "/bookings") for _ in range(3)]
    refused, refused_at = answers[-1], time.time()

    reset = int(refused.headers["x-ratelimit-reset"])
    await asyncio.sleep(max(0.0, reset - time.time()) + 0.05)
    later = await api.call("GET", "/bookings")

    assert (config["limits"]["read"], config["windowSeconds"]) == (2, 1)
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert refused.headers["x-ratelimit-limit"] == "2" and refused.headers["x-ratelimit-remaining"] == "0"
    assert 0 <= reset - refused_at <= 1.0
    assert later.status_code == 200


async def test_writes_have_their_own_limit(sim: Sim, api: Api) -> None:
    await sim.post("config", {"rateLimits": True, "limits": {"write": 1}, "windowSeconds": 60})

    first, second = await create(sim, api, key=None), await create(sim, api, key=None)

    assert (first.status_code, second.status_code) == (200, 429)
    assert (await api.call("GET", "/bookings", headers=KEY)).status_code == 200


def test_stop_returns_promptly_with_a_hung_request_open() -> None:
    server = SandboxServer()
    server.start()
    httpx.post(f"{server.base_url}/_sim/faults", json={"kind": "drop_after_commit", "params": {"mode": "hang"},
               "match": {"path": "/api/humans"}})  # fmt: skip
    outcome: list[BaseException | int] = []

    def hang() -> None:
        try:
            outcome.append(httpx.get(f"{server.api_url}/humans", timeout=10).status_code)
        except httpx.HTTPError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=hang)
    thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    server.stop()
    thread.join(timeout=5)

    assert time.monotonic() - started < 2.0
    assert len(outcome) == 1 and isinstance(outcome[0], httpx.TransportError)
