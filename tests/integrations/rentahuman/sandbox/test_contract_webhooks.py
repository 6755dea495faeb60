"""The sandbox over real HTTP: webhook registration (both styles) and signed delivery to a loopback receiver."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from typing import Any

from tests.integrations.rentahuman.sandbox.conftest import OTHER_KEY, Api, Receiver, booking_body
from tests.integrations.rentahuman.support import Sim


def signed_by(secret: str, raw: bytes) -> str:
    return hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


async def deliveries(sim: Sim, count: int) -> list[dict[str, Any]]:
    for _ in range(100):
        found: list[dict[str, Any]] = (await sim.http.get(f"{sim.base_url}/_sim/webhooks")).json()["deliveries"]
        if len(found) >= count:
            return found
        await asyncio.sleep(0.02)
    return found


async def test_an_endpoint_shows_its_secret_once(sim: Sim, api: Api) -> None:
    created = await api.ok("POST", "/webhooks/endpoints", {"url": "https://example.test/h", "events": ["*"]})

    listed = await api.ok("GET", "/webhooks/endpoints")
    others = await api.ok("GET", "/webhooks/endpoints", headers=OTHER_KEY)
    deleted = await api.ok("DELETE", f"/webhooks/endpoints/{created['endpoint']['id']}")

    assert created["secret"].startswith("whsec_") and set(created["endpoint"]) >= {"id", "url", "events"}
    assert listed["endpoints"] == [created["endpoint"]] and "secret" not in listed["endpoints"][0]
    assert others["endpoints"] == [] and deleted["success"]
    assert (await api.ok("GET", "/webhooks/endpoints"))["endpoints"] == []


async def test_an_endpoint_needs_a_url_and_known_events(sim: Sim, api: Api) -> None:
    bad_url = await api.call("POST", "/webhooks/endpoints", {"url": "ftp://x", "events": ["booking.created"]})
    bad_event = await api.call("POST", "/webhooks/endpoints", {"url": "https://x.test", "events": ["booking.done"]})
    anonymous = await api.call("POST", "/webhooks/endpoints", {"url": "https://x.test", "events": ["*"]}, headers={})

    assert (bad_url.status_code, bad_event.status_code, anonymous.status_code) == (400, 400, 401)


async def test_a_booking_event_reaches_the_receiver_signed(sim: Sim, api: Api, receiver: Receiver) -> None:
    hook = await api.ok("POST", "/webhooks/endpoints", {"url": receiver.url, "events": ["booking.created"]})

    created = await api.ok("POST", "/bookings", booking_body((await sim.a_cleaner())["id"]))

    [got] = await asyncio.to_thread(receiver.wait_for, 1)
    event = got.json()
    assert got.headers["x-rentahuman-signature"] == signed_by(hook["secret"], got.body)
    assert (event["type"], event["data"]["bookingId"]) == ("booking.created", created["booking"]["id"])
    assert event["id"].startswith("evt_") and event["createdAt"] == "2026-11-25T09:00:00Z"


async def test_status_changes_are_delivered_with_the_previous_status(sim: Sim, api: Api, receiver: Receiver) -> None:
    await api.ok("POST", "/webhooks/endpoints", {"url": receiver.url, "events": ["booking.status_changed"]})
    created = await api.ok("POST", "/bookings", booking_body((await sim.a_cleaner())["id"]))

    await api.booking(created["booking"]["id"])  # the worker confirms before this read

    [got] = await asyncio.to_thread(receiver.wait_for, 1)
    assert got.json()["data"] == {"bookingId": created["booking"]["id"], "status": "confirmed",
                                  "previousStatus": "pending"}  # fmt: skip


async def test_events_go_only_to_the_owners_endpoints(sim: Sim, api: Api, receiver: Receiver) -> None:
    await api.ok("POST", "/webhooks/endpoints", {"url": receiver.url, "events": ["*"]}, headers=OTHER_KEY)

    await api.ok("POST", "/bookings", booking_body((await sim.a_cleaner())["id"]))
    await asyncio.sleep(0.2)

    assert receiver.received == [] and await deliveries(sim, 0) == []


async def test_a_key_webhook_gets_every_event(sim: Sim, api: Api, receiver: Receiver) -> None:
    key = await api.ok("PATCH", "/keys/key_1", {"webhookUrl": receiver.url})

    created = await api.rent((await sim.a_cleaner())["id"])
    await api.ok("POST", f"/escrow/{created['escrowId']}/cancel", {})

    got = await asyncio.to_thread(receiver.wait_for, 2)
    assert key["key"] == {"id": "key_1", "webhookUrl": receiver.url}
    assert {g.json()["type"] for g in got} == {"escrow.status_changed", "bounty.status_changed"}
    assert all(g.headers["x-rentahuman-signature"] == signed_by(key["secret"], g.body) for g in got)
    removed = await api.ok("PATCH", "/keys/key_1", {"webhookUrl": None})
    assert removed["secret"] is None and (await api.ok("GET", "/webhooks/endpoints"))["endpoints"] == []


async def test_a_webhook_fail_fault_is_redelivered(sim: Sim, api: Api, receiver: Receiver) -> None:
    hook = await api.ok("POST", "/webhooks/endpoints", {"url": receiver.url, "events": ["booking.created"]})
    await sim.post("faults", {"kind": "webhook_fail", "params": {"status": 503, "count": 1}})

    await api.ok("POST", "/bookings", booking_body((await sim.a_cleaner())["id"]))

    [got] = await asyncio.to_thread(receiver.wait_for, 1)
    attempts = await deliveries(sim, 2)
    assert [(a["attempt"], a["receiverStatus"], a["fault"] is not None) for a in attempts] == [
        (1, 503, True), (2, 200, False)
    ]  # fmt: skip
    assert attempts[1]["signature"] == signed_by(hook["secret"], got.body)


async def test_a_failing_receiver_is_retried_webhook_retries_times(sim: Sim, api: Api, receiver: Receiver) -> None:
    receiver.statuses = [500, 500, 500, 500]
    await sim.post("config", {"webhookRetries": 3})
    await api.ok("POST", "/webhooks/endpoints", {"url": receiver.url, "events": ["booking.created"]})

    await api.ok("POST", "/bookings", booking_body((await sim.a_cleaner())["id"]))

    attempts = await deliveries(sim, 4)
    assert [a["receiverStatus"] for a in attempts] == [500, 500, 500, 500]
    assert len(receiver.received) == 4


async def test_an_unreachable_receiver_is_recorded_as_an_error(sim: Sim, api: Api) -> None:
    await sim.post("config", {"webhookRetries": 0})
    await api.ok("POST", "/webhooks/endpoints", {"url": "http://127.0.0.1:9/none", "events": ["booking.created"]})

    await api.ok("POST", "/bookings", booking_body((await sim.a_cleaner())["id"]))

    [attempt] = await deliveries(sim, 1)
    assert attempt["receiverStatus"] is None and attempt["error"].startswith("ConnectError")
