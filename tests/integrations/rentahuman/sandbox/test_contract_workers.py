"""The sandbox over real HTTP: worker behaviour on the sim clock, scripts, seeded probabilities, `/_sim/fail` (§10)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integrations.rentahuman.sandbox.conftest import Api, booking_body
from tests.integrations.rentahuman.support import Sim

START = "2026-11-26T11:00:00Z"  # the booking's start: a day and two hours after the sim's NOW


async def book(sim: Sim, api: Api, human_id: str | None = None, **kw: Any) -> dict[str, Any]:
    human_id = human_id or (await sim.a_cleaner())["id"]
    created: dict[str, Any] = (await api.ok("POST", "/bookings", booking_body(human_id, **kw)))["booking"]
    return created


async def sim_get(sim: Sim, path: str) -> dict[str, Any]:
    response = await sim.http.get(f"{sim.base_url}/_sim/{path}")
    response.raise_for_status()
    answer: dict[str, Any] = response.json()
    return answer


async def statuses(sim: Sim) -> list[str]:
    return [b["status"] for b in (await sim.state())["bookings"]]


async def test_the_default_worker_confirms_starts_on_time_and_completes_with_photos(sim: Sim, api: Api) -> None:
    booking = await book(sim, api)

    confirmed = await api.booking(booking["id"])
    await sim.post("clock", {"now": START})
    started = await api.booking(booking["id"])
    await sim.post("clock", {"now": "2026-11-26T14:00:00Z"})
    done = await api.booking(booking["id"])

    assert (booking["status"], confirmed["status"], started["status"]) == ("pending", "confirmed", "in_progress")
    assert done["status"] == "completed" and done["completedAt"] == "2026-11-26T14:00:00Z"
    assert done["evidence"] == [
        {"type": "photo", "url": f"https://sandbox.rentahuman.local/evidence/{booking['id']}/{n}.jpg"}
        for n in (1, 2, 3)
    ]
    assert started["evidence"] == [] and started["completedAt"] is None


async def test_a_jump_past_the_end_runs_every_step_at_its_own_time(sim: Sim, api: Api) -> None:
    booking = await book(sim, api)

    await sim.post("clock", {"advanceSeconds": 3 * 86_400})

    done = await api.booking(booking["id"])
    assert (done["status"], done["updatedAt"], done["completedAt"]) == ("completed", "2026-11-26T14:00:00Z",
                                                                         "2026-11-26T14:00:00Z")  # fmt: skip
    changes = [e["data"] for e in (await sim_get(sim, "webhooks"))["events"] if e["type"] == "booking.status_changed"]
    assert [(c["previousStatus"], c["status"]) for c in changes] == [
        ("pending", "confirmed"), ("confirmed", "in_progress"), ("in_progress", "completed")
    ]  # fmt: skip


async def test_a_script_can_deliver_early_or_never_start(sim: Sim, api: Api) -> None:
    fast, never = (await sim.humans(skill="Cleaning", city="Lisbon"))[:2]
    await sim.post(f"humans/{fast['id']}/script", {"deliverAfterSeconds": 1800})
    await sim.post(f"humans/{never['id']}/script", {"start": "never"})
    quick, idle = await book(sim, api, fast["id"]), await book(sim, api, never["id"])

    await sim.post("clock", {"now": "2026-11-26T11:30:00Z"})

    assert (await api.booking(quick["id"]))["status"] == "completed"
    assert (await api.booking(idle["id"]))["status"] == "confirmed"


async def test_a_scripted_cancel_cancels_and_refunds_a_paid_booking(sim: Sim, api: Api) -> None:
    human = await sim.a_cleaner()
    await sim.post(f"humans/{human['id']}/script", {"cancelAt": 3600})
    booking = await book(sim, api, human["id"])
    await api.ok("PATCH", f"/bookings/{booking['id']}", {"paymentTxHash": "0xabc"})

    await sim.post("clock", {"advanceSeconds": 3600})

    cancelled = await api.booking(booking["id"])
    assert (cancelled["status"], cancelled["paymentStatus"], cancelled["updatedAt"]) == (
        "cancelled", "refunded", "2026-11-25T10:00:00Z"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("workers", "expected"),
    [({"noShow": 1}, "confirmed"), ({"cancel": 1}, "cancelled"), ({"decline": 1}, "cancelled"), ({}, "completed")],
)
async def test_worker_probabilities_from_the_config(
    sim: Sim, api: Api, workers: dict[str, float], expected: str
) -> None:
    await sim.post("config", {"workers": workers})
    await book(sim, api)

    await sim.post("clock", {"advanceSeconds": 3 * 86_400})

    assert await statuses(sim) == [expected]


async def test_a_script_probability_overrides_the_config(sim: Sim, api: Api) -> None:
    human = await sim.a_cleaner()
    await sim.post("config", {"workers": {"noShow": 1}})
    await sim.post(f"humans/{human['id']}/script", {"noShow": 0})
    await book(sim, api, human["id"])

    await sim.post("clock", {"advanceSeconds": 3 * 86_400})

    assert await statuses(sim) == ["completed"]


async def stories(sim: Sim, api: Api, seed: int) -> list[str]:
    await sim.reset(seed=seed)
    await sim.post("config", {"workers": {"noShow": 0.3, "cancel": 0.3, "decline": 0.2}})
    human = (await sim.a_cleaner())["id"]
    for n in range(12):
        await book(sim, api, human, taskTitle=f"Clean number {n}")
    await sim.post("clock", {"advanceSeconds": 3 * 86_400})
    return await statuses(sim)


async def test_seeded_probabilities_tell_the_same_story_for_the_same_seed(sim: Sim, api: Api) -> None:
    first, again, other = await stories(sim, api, 7), await stories(sim, api, 7), await stories(sim, api, 8)

    assert first == again and first != other
    assert {"completed", "confirmed", "cancelled"} <= set(first) | set(other)


async def test_a_no_show_changes_nothing_and_says_nothing(sim: Sim, api: Api) -> None:
    booking = await book(sim, api)
    await api.booking(booking["id"])
    events_before = len((await sim_get(sim, "webhooks"))["events"])

    answer = await sim.post("fail", {"kind": "booking", "id": booking["id"], "reason": "no_show"})
    await sim.post("clock", {"advanceSeconds": 3 * 86_400})

    assert answer["booking"]["status"] == "confirmed"
    assert await statuses(sim) == ["confirmed"]
    assert len((await sim_get(sim, "webhooks"))["events"]) == events_before


async def test_a_human_cancelled_booking_is_cancelled_and_refunded_with_an_event(sim: Sim, api: Api) -> None:
    booking = await book(sim, api)
    await api.ok("PATCH", f"/bookings/{booking['id']}", {"paymentTxHash": "0x1"})

    answer = await sim.post("fail", {"kind": "booking", "id": booking["id"], "reason": "human_cancelled"})

    assert (answer["booking"]["status"], answer["booking"]["paymentStatus"]) == ("cancelled", "refunded")
    last = (await sim_get(sim, "webhooks"))["events"][-1]
    assert (last["type"], last["data"]) == ("booking.status_changed", {
        "bookingId": booking["id"], "status": "cancelled", "previousStatus": "confirmed", "reason": "human_cancelled"
    })  # fmt: skip


async def test_a_platform_cancelled_escrow_is_refunded_with_the_reason_in_its_audit_log(sim: Sim, api: Api) -> None:
    created = await api.rent((await sim.a_cleaner())["id"])

    answer = await sim.post("fail", {"kind": "escrow", "id": created["escrowId"], "reason": "platform_cancelled"})

    assert answer["escrow"]["status"] == "cancelled"
    assert answer["escrow"]["auditLog"][-1]["reason"] == "platform_cancelled"
    assert (await sim.state())["walletBalanceCents"] == 1_000_000


async def test_a_dispute_needs_a_delivered_escrow(sim: Sim, api: Api) -> None:
    created = await api.rent((await sim.a_cleaner())["id"])
    body = {"kind": "escrow", "id": created["escrowId"], "reason": "dispute"}

    early = await sim.http.post(f"{sim.base_url}/_sim/fail", json=body)
    await sim.post("deliver", {"escrowId": created["escrowId"]})
    disputed = await sim.post("fail", body)

    assert early.status_code == 409 and disputed["escrow"]["status"] == "disputed"


async def test_cancelling_a_finished_hire_is_a_conflict(sim: Sim, api: Api) -> None:
    booking = await book(sim, api)
    await sim.post("clock", {"advanceSeconds": 3 * 86_400})

    body = {"kind": "booking", "id": booking["id"], "reason": "human_cancelled"}
    response = await sim.http.post(f"{sim.base_url}/_sim/fail", json=body)

    assert response.status_code == 409


async def test_a_rent_human_worker_delivers_with_photos_then_silence_releases(sim: Sim, api: Api) -> None:
    human = await sim.a_cleaner()
    await sim.post(f"humans/{human['id']}/script", {"deliverAfterSeconds": 600})
    created = await api.rent(human["id"])

    await sim.post("clock", {"advanceSeconds": 600})
    delivered = await api.escrow(created["escrowId"])
    await sim.post("clock", {"advanceSeconds": 2 * 86_400})

    assert delivered["status"] == "delivered" and delivered["evidence"][0]["type"] == "photo"
    assert (await api.escrow(created["escrowId"]))["status"] == "released"
