"""The sandbox over real HTTP: the §10 contract (auth, envelope, paging, idempotency, state machine, clock)."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.integrations.rentahuman.support import AGENT_ID, API_KEY, NOW, Sim

KEY = {"X-API-Key": API_KEY}


def booking_body(human_id: str, **kw: Any) -> dict[str, Any]:
    body = {
        "humanId": human_id, "agentId": AGENT_ID, "agentType": "other", "agentName": "Turnover",
        "taskTitle": "Turnover clean in Lisbon", "taskDescription": "3 h clean after checkout.",
        "startTime": "2026-11-26T11:00:00Z", "estimatedHours": 3, "taskCategory": "home-services",
    }  # fmt: skip
    return body | kw


async def create(sim: Sim, body: dict[str, Any], headers: dict[str, str] | None = None) -> httpx.Response:
    return await sim.http.post(f"{sim.api_url}/bookings", json=body, headers=KEY if headers is None else headers)


async def created_booking(sim: Sim, **kw: Any) -> dict[str, Any]:
    response = await create(sim, booking_body((await sim.a_cleaner())["id"], **kw))
    assert response.status_code == 200, response.text
    booking: dict[str, Any] = response.json()["booking"]
    return booking


async def patch(sim: Sim, booking_id: str, body: dict[str, Any]) -> httpx.Response:
    return await sim.http.patch(f"{sim.api_url}/bookings/{booking_id}", json=body, headers=KEY)


async def test_every_answer_carries_the_rate_limit_headers(sim: Sim) -> None:
    for response in (
        await sim.http.get(f"{sim.api_url}/humans"),
        await sim.http.get(f"{sim.api_url}/humans/nobody"),
        await sim.http.get(f"{sim.api_url}/bookings"),
        await sim.http.get(f"{sim.base_url}/_sim/clock"),
    ):
        assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= set(response.headers)
        assert 0 < int(response.headers["x-ratelimit-reset"]) - time.time() <= 60


async def test_remaining_counts_down_per_caller(sim: Sim) -> None:
    first = await sim.http.get(f"{sim.api_url}/humans/nobody", headers=KEY)
    second = await sim.http.get(f"{sim.api_url}/humans/nobody", headers=KEY)

    assert first.headers["x-ratelimit-limit"] == "600"
    assert int(first.headers["x-ratelimit-remaining"]) - int(second.headers["x-ratelimit-remaining"]) == 1


async def test_rate_limits_are_enforced_only_when_turned_on(sim: Sim) -> None:
    await sim.post("config", {"rateLimits": True})
    answers = [await sim.http.get(f"{sim.api_url}/humans/nobody") for _ in range(101)]

    refused = answers[-1]
    assert [a.status_code for a in answers[:-1]] == [404] * 100
    assert refused.status_code == 429 and refused.headers["x-ratelimit-remaining"] == "0"
    assert refused.json() == {"success": False, "error": "Rate limit exceeded", "code": "rate_limited"}


async def test_unknown_routes_and_bad_parameters_answer_in_the_envelope(sim: Sim) -> None:
    missing = await sim.http.get(f"{sim.api_url}/skills")
    bad = await sim.http.get(f"{sim.api_url}/humans", params={"limit": "many"})

    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert bad.status_code == 400 and bad.json()["success"] is False and bad.json()["code"] == "validation"
    assert bad.json()["error"].startswith("limit:")


async def test_humans_filter_by_skill_city_country_and_rate(sim: Sim) -> None:
    cleaners = await sim.humans(skill="CLEAN", city="lisbon", maxRate=30)
    americans = await sim.humans(country="us", minRate=40)

    assert len(cleaners) >= 3
    assert all(any("clean" in s.lower() for s in h["skills"]) and h["hourlyRate"] <= 30 for h in cleaners)
    assert americans and all(h["location"]["country"] == "US" and h["hourlyRate"] >= 40 for h in americans)


async def test_humans_page_with_offset_count_and_has_more(sim: Sim) -> None:
    first = (await sim.http.get(f"{sim.api_url}/humans")).json()
    last = (await sim.http.get(f"{sim.api_url}/humans", params={"offset": 30, "limit": 10})).json()

    assert (first["count"], first["hasMore"]) == (20, True)
    assert (last["count"], last["hasMore"]) == (6, False)


async def test_a_human_and_their_reviews_are_public(sim: Sim) -> None:
    human = await sim.a_cleaner("Austin")

    detail = await sim.http.get(f"{sim.api_url}/humans/{human['id']}")
    reviews = await sim.http.get(f"{sim.api_url}/reviews", params={"humanId": human["id"]})

    assert detail.json() == {"success": True, "human": human | {"cryptoWallets": []}}
    assert reviews.json()["count"] >= 1 and {r["humanId"] for r in reviews.json()["reviews"]} == {human["id"]}


async def test_an_unknown_human_is_a_404_envelope(sim: Sim) -> None:
    response = await sim.http.get(f"{sim.api_url}/humans/nobody")

    assert response.status_code == 404
    assert response.json() == {"success": False, "error": "Human not found", "code": "not_found"}


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-API-Key": "sk_live_123"}, {"Authorization": "Bearer sk_123"}, {"Authorization": "Basic rah_x"}],
)
async def test_bookings_need_a_rah_key(sim: Sim, headers: dict[str, str]) -> None:
    listing = await sim.http.get(f"{sim.api_url}/bookings", headers=headers)
    creating = await create(sim, booking_body((await sim.a_cleaner())["id"]), headers=headers)

    for response in (listing, creating):
        assert response.status_code == 401
        assert response.json() == {"success": False, "error": "Missing or invalid API key", "code": "unauthorized"}


async def test_a_bearer_rah_key_is_accepted(sim: Sim) -> None:
    response = await sim.http.get(f"{sim.api_url}/bookings", headers={"Authorization": f"Bearer {API_KEY}"})

    assert response.status_code == 200 and response.json()["bookings"] == []


async def test_a_booking_gets_its_end_time_total_and_payment_instructions(sim: Sim) -> None:
    human = await sim.a_cleaner()

    answer = (await create(sim, booking_body(human["id"], estimatedHours=2.5))).json()

    booking = answer["booking"]
    assert answer["success"] and "paymentTxHash" in answer["message"]
    assert (booking["status"], booking["paymentStatus"]) == ("pending", "pending")
    assert (booking["startTime"], booking["endTime"]) == ("2026-11-26T11:00:00Z", "2026-11-26T13:30:00Z")
    assert booking["totalAmount"] == human["hourlyRate"] * 2.5
    assert len(booking["id"]) == 20 and booking["createdAt"] == "2026-11-25T09:00:00Z"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"taskTitle": "ab"}, "taskTitle"),
        ({"taskTitle": "x" * 201}, "taskTitle"),
        ({"estimatedHours": 0.25}, "estimatedHours"),
        ({"estimatedHours": 169}, "estimatedHours"),
        ({"startTime": "tomorrow"}, "startTime"),
        ({"startTime": 1795000000}, "startTime"),
        ({"agentType": "robot"}, "agentType"),
        ({"taskDescription": None}, "taskDescription"),
    ],
)
async def test_an_invalid_booking_is_a_400_naming_the_field(sim: Sim, change: dict[str, Any], field: str) -> None:
    response = await create(sim, booking_body((await sim.a_cleaner())["id"]) | change)

    assert response.status_code == 400
    assert response.json()["code"] == "validation" and response.json()["error"].startswith(f"{field}:")


async def test_booking_an_unknown_human_is_a_404(sim: Sim) -> None:
    response = await create(sim, booking_body("nobody"))

    assert response.status_code == 404 and response.json()["code"] == "not_found"


async def test_a_booking_moves_through_its_states_to_completed(sim: Sim) -> None:
    booking = await created_booking(sim)

    statuses = [(await patch(sim, booking["id"], {"status": s})).json()["booking"]["status"] for s in ("in_progress",)]
    statuses.append((await patch(sim, booking["id"], {"status": "completed"})).json()["booking"]["status"])

    assert statuses == ["in_progress", "completed"]  # confirmed by the human on the first read


@pytest.mark.parametrize(("path", "illegal"), [((), "completed"), (("in_progress", "completed"), "cancelled")])
async def test_an_illegal_move_is_a_409_conflict(sim: Sim, path: tuple[str, ...], illegal: str) -> None:
    booking = await created_booking(sim)
    for step in path:
        assert (await patch(sim, booking["id"], {"status": step})).status_code == 200

    response = await patch(sim, booking["id"], {"status": illegal})

    assert response.status_code == 409 and response.json()["code"] == "conflict"


async def test_a_patch_needs_a_known_status_or_a_payment(sim: Sim) -> None:
    booking = await created_booking(sim)

    assert (await patch(sim, booking["id"], {})).status_code == 400
    assert (await patch(sim, booking["id"], {"status": "pending"})).status_code == 400


async def test_a_paid_booking_is_refunded_when_cancelled(sim: Sim) -> None:
    booking = await created_booking(sim)

    paid = (await patch(sim, booking["id"], {"paymentTxHash": "0xabc"})).json()["booking"]
    cancelled = (await patch(sim, booking["id"], {"status": "cancelled"})).json()["booking"]

    assert (paid["paymentStatus"], paid["paymentTxHash"]) == ("paid", "0xabc")
    assert (cancelled["status"], cancelled["paymentStatus"]) == ("cancelled", "refunded")


async def test_the_same_key_replays_the_first_answer_and_makes_one_booking(sim: Sim) -> None:
    body = booking_body((await sim.a_cleaner())["id"])
    headers = KEY | {"Idempotency-Key": "hire-1"}

    first, second = await create(sim, body, headers), await create(sim, body, headers)

    assert second.json() == first.json() and second.headers["idempotent-replayed"] == "true"
    state = await sim.state()
    assert len(state["bookings"]) == 1
    assert state["idempotency"] == [
        {"apiKey": "rah_…", "route": "POST /api/bookings", "key": "hire-1", "status": 200, "createdAt": NOW_ISO}
    ]


NOW_ISO = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_the_body_key_and_the_header_key_are_the_same_key(sim: Sim) -> None:
    body = booking_body((await sim.a_cleaner())["id"])

    first = await create(sim, body | {"idempotencyKey": "hire-1"})
    second = await create(sim, body, KEY | {"Idempotency-Key": "hire-1"})

    assert second.json()["booking"]["id"] == first.json()["booking"]["id"]


async def test_a_reused_key_with_another_body_is_an_idempotency_mismatch(sim: Sim) -> None:
    body = booking_body((await sim.a_cleaner())["id"], idempotencyKey="hire-1")
    await create(sim, body)

    response = await create(sim, body | {"estimatedHours": 4})

    assert response.status_code == 409 and response.json()["code"] == "idempotency_mismatch"


async def test_idempotency_keys_belong_to_one_api_key(sim: Sim) -> None:
    body = booking_body((await sim.a_cleaner())["id"], idempotencyKey="hire-1")

    await create(sim, body)
    await create(sim, body, {"X-API-Key": "rah_another_agent"})

    assert len((await sim.state())["bookings"]) == 2


async def test_a_refused_create_is_not_remembered_under_its_key(sim: Sim) -> None:
    body = booking_body((await sim.a_cleaner())["id"], idempotencyKey="hire-1")

    refused = await create(sim, body | {"taskTitle": "ab"})
    accepted = await create(sim, body)

    assert (refused.status_code, accepted.status_code) == (400, 200)


async def test_idempotency_can_be_turned_off(sim: Sim) -> None:
    await sim.post("config", {"idempotency": "off"})
    body = booking_body((await sim.a_cleaner())["id"], idempotencyKey="hire-1")

    await create(sim, body)
    await create(sim, body)

    assert len((await sim.state())["bookings"]) == 2


async def test_a_human_confirms_after_their_scripted_delay_on_the_sim_clock(sim: Sim) -> None:
    human = await sim.a_cleaner()
    await sim.post(f"humans/{human['id']}/script", {"confirm": "auto", "confirmAfterSeconds": 3600})
    booking = (await create(sim, booking_body(human["id"]))).json()["booking"]

    async def status() -> str:
        found: str = (await sim.http.get(f"{sim.api_url}/bookings/{booking['id']}", headers=KEY)).json()["booking"][
            "status"
        ]
        return found

    before = await status()
    await sim.post("clock", {"advanceSeconds": 3599})
    almost = await status()
    await sim.post("clock", {"advanceSeconds": 1})
    after = (await sim.http.get(f"{sim.api_url}/bookings/{booking['id']}", headers=KEY)).json()["booking"]

    assert (before, almost, after["status"]) == ("pending", "pending", "confirmed")
    assert after["updatedAt"] == (NOW + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_a_human_scripted_never_to_confirm_leaves_the_booking_pending(sim: Sim) -> None:
    human = await sim.a_cleaner()
    await sim.post(f"humans/{human['id']}/script", {"confirm": "never"})
    booking = (await create(sim, booking_body(human["id"]))).json()["booking"]

    await sim.post("clock", {"advanceSeconds": 86_400})

    assert [b["status"] for b in (await sim.state())["bookings"]] == ["pending"]
    advanced = await sim.post("advance", {"kind": "booking", "id": booking["id"], "to": "confirmed"})
    assert advanced["booking"]["status"] == "confirmed"


async def test_the_clock_is_frozen_until_set_or_advanced(sim: Sim) -> None:
    read = (await sim.http.get(f"{sim.base_url}/_sim/clock")).json()
    moved = await sim.post("clock", {"advanceSeconds": 90})
    set_to = await sim.post("clock", {"now": "2027-01-01T00:00:00+01:00"})
    both = await sim.http.post(f"{sim.base_url}/_sim/clock", json={"now": "2027-01-01T00:00:00Z", "advanceSeconds": 1})

    assert (read["now"], moved["now"], set_to["now"]) == (NOW_ISO, "2026-11-25T09:01:30Z", "2026-12-31T23:00:00Z")
    assert both.status_code == 400


async def test_an_illegal_sim_advance_is_a_409_and_an_unknown_one_a_404(sim: Sim) -> None:
    booking = await created_booking(sim)

    illegal = await sim.http.post(
        f"{sim.base_url}/_sim/advance", json={"kind": "booking", "id": booking["id"], "to": "completed"}
    )
    unknown = await sim.http.post(
        f"{sim.base_url}/_sim/advance", json={"kind": "booking", "id": "nope", "to": "confirmed"}
    )

    assert (illegal.status_code, illegal.json()["code"]) == (409, "conflict")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")


async def test_a_reset_with_the_same_seed_gives_the_same_ids(sim: Sim) -> None:
    first = [h["id"] for h in await sim.humans()]
    booking = await created_booking(sim)
    await sim.reset(seed=7)
    again = [h["id"] for h in await sim.humans()]
    rebooked = await created_booking(sim)
    await sim.reset(seed=8)
    other = [h["id"] for h in await sim.humans()]

    assert again == first and rebooked["id"] == booking["id"]
    assert set(other).isdisjoint(first)


async def test_a_reset_wipes_bookings_clock_and_settings(sim: Sim) -> None:
    await created_booking(sim)
    await sim.post("clock", {"advanceSeconds": 600})
    await sim.post("config", {"idempotency": "off"})

    await sim.reset()
    state = await sim.state()

    assert state["bookings"] == [] and state["now"] == NOW_ISO
    assert state["config"] == {
        "idempotency": "on", "rateLimits": False, "webhookRetries": 2,
        "workers": {"noShow": 0, "cancel": 0, "decline": 0},
        "limits": {"public": 100, "read": 600, "write": 300}, "windowSeconds": 60,
    }  # fmt: skip


async def test_empty_fixtures_mean_no_humans(sim: Sim) -> None:
    answer = await sim.reset(fixtures="empty")

    assert answer["humans"] == 0 and await sim.humans() == []
