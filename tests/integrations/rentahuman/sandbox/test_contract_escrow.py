"""The sandbox over real HTTP: `rent_human`, personal bounties, the escrow machine and rentals (§4, §5.6, §6)."""

from __future__ import annotations

import pytest

from tests.integrations.rentahuman.sandbox.conftest import KEY, OTHER_KEY, Api
from tests.integrations.rentahuman.support import Sim


async def test_rent_human_with_a_funded_wallet_is_funded_at_once(sim: Sim, api: Api) -> None:
    human = await sim.a_cleaner()

    answer = await api.rent(human["id"], price=90)

    assert set(answer) == {"success", "escrowId", "bountyId", "status", "checkoutUrl"}
    assert (answer["status"], answer["checkoutUrl"]) == ("funded", None)
    state = await sim.state()
    assert state["walletBalanceCents"] == 1_000_000 - 9_000
    assert [(b["id"], b["status"], b["assignedHumanId"]) for b in state["bounties"]] == [
        (answer["bountyId"], "assigned", human["id"])
    ]


async def test_an_escrow_has_the_documented_shape(sim: Sim, api: Api) -> None:
    human = await sim.a_cleaner()
    created = await api.rent(human["id"], price=84.5)

    escrow = await api.escrow(created["escrowId"])

    assert {"id", "status", "amount", "platformFee", "humanId", "bountyId", "evidence", "auditLog", "createdAt",
            "updatedAt"} <= set(escrow)  # fmt: skip
    assert (escrow["amount"], escrow["humanId"], escrow["bountyId"]) == (84.5, human["id"], created["bountyId"])
    assert escrow["auditLog"] == [{"at": "2026-11-25T09:00:00Z", "from": None, "to": "funded", "reason": "wallet"}]


async def test_without_wallet_funds_a_checkout_url_comes_back_and_the_sim_settles_it(sim: Sim, api: Api) -> None:
    await sim.post("seed", {"walletBalanceCents": 100})
    created = await api.rent((await sim.a_cleaner())["id"])

    settled = await sim.post("advance", {"kind": "escrow", "id": created["escrowId"], "to": "funded"})

    assert created["status"] == "funding" and created["checkoutUrl"].endswith(f"/checkout/{created['escrowId']}")
    assert settled["escrow"]["status"] == "funded" and settled["escrow"]["checkoutUrl"] is None
    assert [e["to"] for e in settled["escrow"]["auditLog"]] == ["funding", "funded"]


async def test_an_unpaid_checkout_expires_after_a_day(sim: Sim, api: Api) -> None:
    await sim.post("seed", {"walletBalanceCents": 0})
    created = await api.rent((await sim.a_cleaner())["id"])

    await sim.post("clock", {"advanceSeconds": 86_400})

    assert (await api.escrow(created["escrowId"]))["status"] == "expired"


@pytest.mark.parametrize(
    ("change", "field"),
    [({"taskTitle": "abcd"}, "taskTitle"), ({"taskDescription": "too short"}, "taskDescription"),
     ({"price": 0.5}, "price"), ({"price": 10_001}, "price")],
)  # fmt: skip
async def test_rent_human_validates_its_limits(sim: Sim, api: Api, change: dict[str, object], field: str) -> None:
    body = {"humanId": (await sim.a_cleaner())["id"], "taskTitle": "Turnover clean", "price": 90,
            "taskDescription": "A clean after checkout."} | change  # fmt: skip

    response = await api.call("POST", "/escrow/agent-checkout", body)

    assert response.status_code == 400 and response.json()["error"].startswith(f"{field}:")


async def test_rent_human_needs_a_key_and_a_known_human(sim: Sim, api: Api) -> None:
    body = {
        "humanId": "nobody",
        "taskTitle": "Turnover clean",
        "taskDescription": "A clean after checkout.",
        "price": 9,
    }

    anonymous = await api.call("POST", "/escrow/agent-checkout", body, headers={})
    unknown = await api.call("POST", "/escrow/agent-checkout", body)

    assert (anonymous.status_code, unknown.status_code) == (401, 404)


async def test_rent_human_replays_its_idempotency_key_and_refuses_another_body(sim: Sim, api: Api) -> None:
    human = (await sim.a_cleaner())["id"]

    first = await api.rent(human, idempotencyKey="hire-1-rent")
    by_header = await api.rent(human, headers=KEY | {"Idempotency-Key": "hire-1-rent"})
    replay = await api.rent(human, idempotencyKey="hire-1-rent")
    other = {"humanId": human, "taskTitle": "Another title", "taskDescription": "A clean after checkout.",
             "price": 90, "idempotencyKey": "hire-1-rent"}  # fmt: skip
    mismatch = await api.call("POST", "/escrow/agent-checkout", other)

    assert replay == first and by_header == first
    assert (mismatch.status_code, mismatch.json()["code"]) == (409, "idempotency_mismatch")
    assert len((await sim.state())["escrows"]) == 1


async def test_complete_then_release_pays_out_and_completes_the_bounty(sim: Sim, api: Api) -> None:
    created = await api.rent((await sim.a_cleaner())["id"])
    await sim.post("deliver", {"escrowId": created["escrowId"], "evidence": [{"type": "text", "text": "done"}]})

    completed = await api.ok("POST", f"/escrow/{created['escrowId']}/complete", {})
    refused = await api.call("POST", f"/escrow/{created['escrowId']}/release", {})
    released = await api.ok("POST", f"/escrow/{created['escrowId']}/release", {"acknowledgeRelease": True})

    assert completed["escrow"]["status"] == "completed" and refused.status_code == 400
    assert released["escrow"]["status"] == "released"
    assert released["escrow"]["evidence"] == [{"type": "text", "text": "done"}]
    bounty = (await api.ok("GET", f"/bounties/{created['bountyId']}"))["bounty"]
    assert bounty["status"] == "completed"


@pytest.mark.parametrize(("action", "body"), [("complete", {}), ("release", {"acknowledgeRelease": True})])
async def test_completing_or_releasing_an_undelivered_escrow_is_a_conflict(
    sim: Sim, api: Api, action: str, body: dict[str, object]
) -> None:
    created = await api.rent((await sim.a_cleaner())["id"])

    response = await api.call("POST", f"/escrow/{created['escrowId']}/{action}", body)

    assert (response.status_code, response.json()["code"]) == (409, "conflict")


async def test_cancelling_a_funded_escrow_refunds_the_wallet_and_closes_its_bounty(sim: Sim, api: Api) -> None:
    created = await api.rent((await sim.a_cleaner())["id"], price=120)

    cancelled = await api.ok("POST", f"/escrow/{created['escrowId']}/cancel", {})
    again = await api.call("POST", f"/escrow/{created['escrowId']}/cancel", {})

    state = await sim.state()
    assert cancelled["escrow"]["status"] == "cancelled" and again.status_code == 409
    assert state["walletBalanceCents"] == 1_000_000
    assert state["bounties"][0]["status"] == "cancelled"


async def test_a_delivered_escrow_cannot_be_cancelled(sim: Sim, api: Api) -> None:
    created = await api.rent((await sim.a_cleaner())["id"])
    await sim.post("deliver", {"escrowId": created["escrowId"]})

    response = await api.call("POST", f"/escrow/{created['escrowId']}/cancel", {})

    assert response.status_code == 409


async def test_rentals_list_the_callers_escrows_with_an_active_count(sim: Sim, api: Api) -> None:
    human = (await sim.a_cleaner())["id"]
    first = await api.rent(human)
    second = await api.rent(human, taskTitle="Linen change")
    await api.ok("POST", f"/escrow/{second['escrowId']}/cancel", {})
    await api.call("POST", "/escrow/agent-checkout", {"humanId": human, "taskTitle": "Someone else's",
                   "taskDescription": "Not ours to see.", "price": 10}, headers=OTHER_KEY)  # fmt: skip

    rentals = await api.ok("GET", "/escrow/agent-rentals")

    assert [(r["id"], r["taskTitle"], r["humanId"]) for r in rentals["rentals"]] == [
        (first["escrowId"], "Turnover clean 2BR", human), (second["escrowId"], "Linen change", human)
    ]  # fmt: skip
    assert rentals["summary"]["active"] == 1
    assert (await api.call("GET", f"/escrow/{first['escrowId']}", headers=OTHER_KEY)).status_code == 404


async def test_a_personal_bounty_keeps_its_criteria_and_releases_two_days_after_its_deadline(
    sim: Sim, api: Api
) -> None:
    body = {"humanId": (await sim.a_cleaner())["id"], "taskTitle": "Deep clean", "price": 150, "estimatedHours": 2,
            "taskDescription": "Deep clean before the season.", "completionCriteria": "Photos of every room",
            "evidenceTypes": ["photo"], "deadline": "2026-11-28T18:00:00Z"}  # fmt: skip
    created = await api.ok("POST", "/escrow/personal-bounty", body)
    await sim.post("clock", {"advanceSeconds": 2 * 3600})  # the worker delivers after estimatedHours

    delivered = await api.escrow(created["escrowId"])
    await sim.post("clock", {"now": "2026-11-30T17:59:59Z"})
    before = (await api.escrow(created["escrowId"]))["status"]
    await sim.post("clock", {"now": "2026-11-30T18:00:00Z"})
    after = await api.escrow(created["escrowId"])

    bounty = (await api.ok("GET", f"/bounties/{created['bountyId']}"))["bounty"]
    assert (bounty["completionCriteria"], bounty["evidenceTypes"]) == ("Photos of every room", ["photo"])
    assert delivered["status"] == "delivered" and delivered["deadline"] == "2026-11-28T18:00:00Z"
    assert (before, after["status"]) == ("delivered", "released")
    assert after["auditLog"][-1] == {"at": "2026-11-30T18:00:00Z", "from": "delivered", "to": "released",
                                     "reason": "auto_release"}  # fmt: skip


async def test_a_delivered_escrow_can_be_disputed_and_then_is_not_auto_released(sim: Sim, api: Api) -> None:
    created = await api.rent((await sim.a_cleaner())["id"])
    await sim.post("deliver", {"escrowId": created["escrowId"]})

    disputed = await api.ok("POST", f"/escrow/{created['escrowId']}/dispute", {"reason": "missed the bathroom"})
    await sim.post("clock", {"advanceSeconds": 5 * 86_400})

    assert disputed["escrow"]["status"] == "disputed"
    assert (await api.escrow(created["escrowId"]))["status"] == "disputed"
