"""`SandboxServer`: a real loopback server that starts fast and stops cleanly."""

from __future__ import annotations

import time

import httpx
import pytest

from integrations.rentahuman.sandbox.server import SandboxServer


def test_the_server_serves_on_a_free_loopback_port_and_stops() -> None:
    server = SandboxServer(seed=3)
    started = time.monotonic()
    url = server.start()
    elapsed = time.monotonic() - started
    try:
        answer = httpx.get(f"{server.api_url}/humans", params={"limit": 1})
    finally:
        server.stop()

    assert url.startswith("http://127.0.0.1:") and url == f"http://127.0.0.1:{int(url.rsplit(':', 1)[1])}"
    assert elapsed < 1.0
    assert answer.status_code == 200 and answer.json()["count"] == 1
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/api/humans")


def test_two_servers_run_side_by_side_with_their_own_state() -> None:
    with SandboxServer(seed=1) as one, SandboxServer(seed=2) as two:
        assert one.base_url != two.base_url
        first = httpx.get(f"{one.api_url}/humans").json()["humans"][0]["id"]
        second = httpx.get(f"{two.api_url}/humans").json()["humans"][0]["id"]
    assert first != second


def test_the_url_is_unknown_until_started_and_stopping_twice_is_harmless() -> None:
    server = SandboxServer()
    with pytest.raises(RuntimeError):
        _ = server.base_url

    server.start()
    assert server.start() == server.base_url  # starting again changes nothing
    server.stop()
    server.stop()


def test_a_taken_port_is_refused_at_once() -> None:
    with SandboxServer() as taken:
        port = int(taken.base_url.rsplit(":", 1)[1])
        with pytest.raises(OSError):
            SandboxServer(port=port).start()
