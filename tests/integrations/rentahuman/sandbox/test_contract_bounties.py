"""The sandbox over real HTTP: bounties, applications and the accept side effects (§4, §5.4, §5.5, §6)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integrations.rentahuman.sandbox.conftest import OTHER_KEY, Api, bounty_body
from tests.integrations.rentahuman.support import Sim


async def post(api: Api, **kw: Any) -> dict[str, Any]:
    return await api.ok("POST", "/bounties", bounty_body(**kw))


async def applicant(sim: Sim, bounty_id: str, n: int = 0, **kw: Any) -> dict[str, Any]:
    human = (await sim.humans(skill="Cleaning"))[n]
    found: dict[str, Any] = (await sim.post("apply", {"bountyId": bounty_id, "humanId": human["id"]} | kw))[
        "application"
    ]
    return found


async def test_a_dry_run_previews_the_total_and_stores_nothing(sim: Sim, api: Api) -> None:
    answer = await post(api, price=45, spotsAvailable=2, dryRun=True, idempotencyKey="hire-1-bounty")
    real = await post(api, price=45, spotsAvailable=2, idempotencyKey="hire-1-bounty")

    assert answer["dryRun"] is True and answer["preview"]["fundingTotal"] == 90
    assert real["bounty"]["status"] == "open" and len((await sim.state())["bounties"]) == 1


async def test_a_bounty_the_wallet_covers_opens_at_once(sim: Sim, api: Api) -> None:
    answer = await post(api, price=90)

    bounty = answer["bounty"]
    assert (bounty["status"], answer["deposit_url"]) == ("open", None)
    assert (bounty["price"], bounty["spotsAvailable"], bounty["skillsNeeded"]) == (90, 1, ["Cleaning"])
    assert (await sim.state())["walletBalanceCents"] == 1_000_000 - 9_000


async def test_an_unfunded_bounty_waits_for_its_deposit(sim: Sim, api: Api) -> None:
    await sim.post("seed", {"walletBalanceCents": 0})
    answer = await post(api)

    opened = await sim.post("advance", {"kind": "bounty", "id": answer["bounty"]["id"], "to": "open"})

    assert answer["bounty"]["status"] == "pending_deposit"
    assert answer["deposit_url"].endswith(f"/deposit/{answer['bounty']['id']}")
    assert opened["bounty"]["status"] == "open"


@pytest.mark.parametrize(
    ("change", "field"),
    [({"title": "abcd"}, "title"), ({"description": "too short"}, "description"), ({"price": 0}, "price"),
     ({"spotsAvailable": 501}, "spotsAvailable"), ({"category": "gardening"}, "category"),
     ({"evidenceTypes": ["audio"]}, "evidenceTypes.0")],
)  # fmt: skip
async def test_a_bounty_outside_the_limits_is_a_400(sim: Sim, api: Api, change: dict[str, Any], field: str) -> None:
    response = await api.call("POST", "/bounties", bounty_body(**change))

    assert response.status_code == 400 and response.json()["error"].startswith(f"{field}:")


async def test_bounties_are_public_and_filter(sim: Sim, api: Api) -> None:
    cheap = (await post(api, price=40))["bounty"]
    dear = (await post(api, price=400, category="errands", skillsNeeded=["Restocking"]))["bounty"]
    theirs = (await api.ok("POST", "/bounties", bounty_body(price=50), headers=OTHER_KEY))["bounty"]

    async def ids(**params: Any) -> list[str]:
        answer = await api.ok("GET", "/bounties", headers={}, params=params)
        return [b["id"] for b in answer["bounties"]]

    assert await ids() == [cheap["id"], dear["id"], theirs["id"]]
    assert await ids(maxPrice=100, category="home-services") == [cheap["id"], theirs["id"]]
    assert await ids(skill="restock", minPrice=100) == [dear["id"]]
    assert await ids(limit=1, offset=1) == [dear["id"]]
    mine = await api.ok("GET", "/bounties", params={"mine": "true"})
    assert [b["id"] for b in mine["bounties"]] == [cheap["id"], dear["id"]]
    assert (await api.call("GET", "/bounties", headers={}, params={"mine": "true"})).status_code == 401
    assert (await api.ok("GET", f"/bounties/{cheap['id']}", headers={}))["bounty"]["id"] == cheap["id"]


async def test_a_bounty_moves_between_open_and_in_review_and_can_be_cancelled(sim: Sim, api: Api) -> None:
    bounty = (await post(api))["bounty"]
    path = f"/bounties/{bounty['id']}"

    review = await api.ok("PATCH", path, {"status": "in_review"})
    reopened = await api.ok("PATCH", path, {"status": "open"})
    edited = await api.ok("PATCH", path, {"title": "Turnover clean, 3BR, Lisbon"})
    cancelled = await api.ok("PATCH", path, {"status": "cancelled"})
    again = await api.call("PATCH", path, {"status": "open"})
    foreign = await api.call("PATCH", path, {"status": "cancelled"}, headers=OTHER_KEY)

    assert [a["bounty"]["status"] for a in (review, reopened, cancelled)] == ["in_review", "open", "cancelled"]
    assert edited["bounty"]["title"] == "Turnover clean, 3BR, Lisbon"
    assert (again.status_code, again.json()["code"], foreign.status_code) == (409, "conflict", 403)
    assert (await sim.state())["walletBalanceCents"] == 1_000_000


async def test_applications_arrive_and_are_listed_for_the_owner(sim: Sim, api: Api) -> None:
    bounty = (await post(api))["bounty"]

    application = await applicant(sim, bounty["id"], proposedPrice=85, coverLetter="I know the building.")
    listed = await api.ok("GET", f"/bounties/{bounty['id']}/applications")
    foreign = await api.call("GET", f"/bounties/{bounty['id']}/applications", headers=OTHER_KEY)

    assert (application["status"], application["proposedPrice"], application["coverLetter"]) == (
        "pending", 85, "I know the building."
    )  # fmt: skip
    assert listed["applications"] == [application] and foreign.status_code == 403
    events = (await sim.http.get(f"{sim.base_url}/_sim/webhooks")).json()["events"]
    assert events[-1]["type"] == "application.received"


@pytest.mark.parametrize("method", ["PATCH", "POST"])
async def test_an_accept_creates_a_booking_an_escrow_and_a_conversation(sim: Sim, api: Api, method: str) -> None:
    bounty = (await post(api, deadline="2026-11-26T14:00:00Z"))["bounty"]
    application = await applicant(sim, bounty["id"], proposedPrice=85)

    answer = await api.ok(method, f"/bounties/{bounty['id']}/applications/{application['id']}",
                          {"action": "accept", "response": "Welcome aboard"})  # fmt: skip

    assert set(answer) == {"success", "application", "booking", "escrowId", "conversationId"}
    assert answer["application"]["status"] == "accepted"
    booking = answer["booking"]
    assert (booking["humanId"], booking["startTime"], booking["totalAmount"]) == (
        application["humanId"], "2026-11-26T11:00:00Z", 85
    )  # fmt: skip
    escrow = await api.escrow(answer["escrowId"])
    assert (escrow["status"], escrow["amount"], escrow["bookingId"]) == ("funded", 85, booking["id"])
    conversation = (await api.ok("GET", f"/conversations/{answer['conversationId']}"))["conversation"]
    assert [m["senderType"] for m in conversation["messages"]] == ["system", "agent"]
    assert (await api.ok("GET", f"/bounties/{bounty['id']}"))["bounty"]["status"] == "assigned"


async def test_accepting_twice_or_a_rejected_application_is_a_conflict(sim: Sim, api: Api) -> None:
    bounty = (await post(api, spotsAvailable=3))["bounty"]
    first, second = await applicant(sim, bounty["id"], 0), await applicant(sim, bounty["id"], 1)
    base = f"/bounties/{bounty['id']}/applications"

    await api.ok("PATCH", f"{base}/{first['id']}", {"action": "accept"})
    twice = await api.call("PATCH", f"{base}/{first['id']}", {"action": "accept"})
    rejected = await api.ok("PATCH", f"{base}/{second['id']}", {"action": "reject", "response": "Sorry"})
    late = await api.call("PATCH", f"{base}/{second['id']}", {"action": "accept"})

    assert (twice.status_code, late.status_code) == (409, 409)
    assert (rejected["application"]["status"], rejected["application"]["response"]) == ("rejected", "Sorry")
    assert (await api.ok("GET", f"/bounties/{bounty['id']}"))["bounty"]["status"] == "partially_filled"


async def test_a_hired_human_who_cancels_withdraws_and_the_bounty_reopens(sim: Sim, api: Api) -> None:
    bounty = (await post(api))["bounty"]
    application = await applicant(sim, bounty["id"])
    accepted = await api.ok("PATCH", f"/bounties/{bounty['id']}/applications/{application['id']}", {"action": "accept"})

    await sim.post("fail", {"kind": "application", "id": application["id"], "reason": "human_cancelled"})

    state = await sim.state()
    assert [a["status"] for a in state["applications"]] == ["withdrawn"]
    assert (await api.booking(accepted["booking"]["id"]))["status"] == "cancelled"
    assert (await api.escrow(accepted["escrowId"]))["status"] == "cancelled"
    assert state["bounties"][0]["status"] == "open" and state["bounties"][0]["spotsFilled"] == 0
    types = [e["type"] for e in (await sim.http.get(f"{sim.base_url}/_sim/webhooks")).json()["events"]]
    assert "application.withdrawn" in types and types.count("bounty.status_changed") == 2


async def test_the_accepted_workers_completion_delivers_the_escrow(sim: Sim, api: Api) -> None:
    bounty = (await post(api))["bounty"]
    application = await applicant(sim, bounty["id"])
    accepted = await api.ok("PATCH", f"/bounties/{bounty['id']}/applications/{application['id']}", {"action": "accept"})

    await sim.post("clock", {"advanceSeconds": 3 * 3600})

    booking = await api.booking(accepted["booking"]["id"])
    escrow = await api.escrow(accepted["escrowId"])
    assert booking["status"] == "completed" and escrow["status"] == "delivered"
    assert escrow["evidence"] == booking["evidence"] != []


async def test_an_application_to_a_closed_bounty_is_refused(sim: Sim, api: Api) -> None:
    bounty = (await post(api))["bounty"]
    await api.ok("PATCH", f"/bounties/{bounty['id']}", {"status": "cancelled"})
    human = (await sim.humans(skill="Cleaning"))[0]

    response = await sim.http.post(
        f"{sim.base_url}/_sim/apply", json={"bountyId": bounty["id"], "humanId": human["id"]}
    )

    assert response.status_code == 409
