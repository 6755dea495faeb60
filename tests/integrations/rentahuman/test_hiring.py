"""Direct hires, escrow, bounties and applications against the real sandbox server."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest
from inline_snapshot import snapshot

from integrations.rentahuman.client import RentAHumanClient
from integrations.rentahuman.errors import (
    RentAHumanAuthError,
    RentAHumanConflict,
    RentAHumanNotFound,
    RentAHumanValidationError,
)
from integrations.rentahuman.hiring import BountyDraft
from integrations.rentahuman.parse_hiring import Checkout
from tests.integrations.rentahuman.support import NOW, RecordingSleep, Sim, a_booking_request, make_client

DRAFT = BountyDraft(
    title="Turnover clean, 2BR, Lisbon 1100",
    description="3 h clean after an 11:00 checkout: linens, bathrooms, floors, restock.",
    price=Decimal("90"),
    estimated_hours=3.0,
    skills=("Cleaning",),
    location="Lisbon, PT",
    completion_criteria="Photos of every room",
)


async def rent(client: RentAHumanClient, human_id: str, key: str = "hire-h1-rent") -> Checkout:
    return await client.rent_human(
        human_id=human_id,
        title="Turnover clean in Lisbon",
        description="3 h clean after an 11:00 checkout, 2BR.",
        price=Decimal("84"),
        estimated_hours=3.0,
        idempotency_key=key,
    )


async def funded_wallet(sim: Sim, cents: int = 1_000_00) -> None:
    await sim.post("seed", {"walletBalanceCents": cents})


# --- rent_human and escrow -------------------------------------------------------------------------


async def test_renting_a_human_with_a_funded_wallet_is_funded_at_once(sim: Sim, client: RentAHumanClient) -> None:
    await funded_wallet(sim)
    human = await sim.a_cleaner()

    checkout = await rent(client, human["id"])
    escrow = await client.get_escrow(checkout.escrow_id)

    assert checkout.status == "funded" and checkout.checkout_url is None
    assert (escrow.status, escrow.human_id, escrow.amount) == ("funded", human["id"], Decimal("84"))


async def test_renting_without_funds_returns_a_checkout_url_for_a_person(sim: Sim, client: RentAHumanClient) -> None:
    await funded_wallet(sim, 0)

    checkout = await rent(client, (await sim.a_cleaner())["id"])

    assert checkout.status == "funding" and checkout.checkout_url


async def test_renting_twice_with_one_key_makes_one_escrow(sim: Sim, client: RentAHumanClient) -> None:
    await funded_wallet(sim)
    human = await sim.a_cleaner()

    first, second = await rent(client, human["id"]), await rent(client, human["id"])

    assert second.escrow_id == first.escrow_id
    assert len((await sim.state())["escrows"]) == 1


async def test_our_rentals_list_the_direct_hire(sim: Sim, client: RentAHumanClient) -> None:
    await funded_wallet(sim)
    human = await sim.a_cleaner()
    checkout = await rent(client, human["id"])

    found = await client.find_rental(human_id=human["id"], title="Turnover clean in Lisbon")

    assert [r.escrow_id for r in await client.list_rentals()] == [checkout.escrow_id]
    assert found is not None and found.escrow_id == checkout.escrow_id


async def test_a_delivered_escrow_is_completed_then_released(sim: Sim, client: RentAHumanClient) -> None:
    await funded_wallet(sim)
    checkout = await rent(client, (await sim.a_cleaner())["id"])
    evidence = [{"type": "photo", "url": "https://example.test/kitchen.jpg"}, {"type": "text", "text": "All done"}]
    await sim.post("deliver", {"escrowId": checkout.escrow_id, "evidence": evidence})

    delivered = await client.get_escrow(checkout.escrow_id)
    completed = await client.complete_escrow(checkout.escrow_id)
    released = await client.release_escrow(checkout.escrow_id)

    assert delivered.status == "delivered"
    assert delivered.evidence == ("https://example.test/kitchen.jpg", "All done")
    assert (completed.status, released.status) == ("completed", "released")


async def test_completing_an_escrow_twice_is_a_conflict(sim: Sim, client: RentAHumanClient) -> None:
    await funded_wallet(sim)
    checkout = await rent(client, (await sim.a_cleaner())["id"])
    await sim.post("deliver", {"escrowId": checkout.escrow_id})
    await client.complete_escrow(checkout.escrow_id)

    with pytest.raises(RentAHumanConflict):
        await client.complete_escrow(checkout.escrow_id)


async def test_releasing_an_escrow_that_is_not_completed_is_a_conflict(sim: Sim, client: RentAHumanClient) -> None:
    await funded_wallet(sim)
    checkout = await rent(client, (await sim.a_cleaner())["id"])

    with pytest.raises(RentAHumanConflict):
        await client.release_escrow(checkout.escrow_id)


async def test_a_funded_escrow_is_cancelled_and_cancelling_again_reports_it(sim: Sim, client: RentAHumanClient) -> None:
    await funded_wallet(sim)
    checkout = await rent(client, (await sim.a_cleaner())["id"])

    cancelled = await client.cancel_escrow(checkout.escrow_id)
    again = await client.cancel_escrow(checkout.escrow_id)

    assert cancelled.status == again.status == "cancelled"


async def test_an_unknown_escrow_is_not_found(client: RentAHumanClient) -> None:
    with pytest.raises(RentAHumanNotFound):
        await client.get_escrow("esc_unknown")


async def test_renting_for_a_price_out_of_range_is_a_validation_error(sim: Sim, client: RentAHumanClient) -> None:
    with pytest.raises(RentAHumanValidationError):
        await client.rent_human(
            human_id=(await sim.a_cleaner())["id"], title="Turnover clean", description="Ten chars at least.",
            price=Decimal("0.5"), idempotency_key="hire-cheap",
        )  # fmt: skip


async def test_renting_without_a_key_is_an_auth_error(sim: Sim, http: httpx.AsyncClient) -> None:
    anonymous = make_client(http, sim.api_url, RecordingSleep(), api_key=None)

    with pytest.raises(RentAHumanAuthError):
        await rent(anonymous, (await sim.a_cleaner())["id"])


# --- booking status ------------------------------------------------------------------------------


async def test_a_booking_moves_through_its_statuses_and_records_payment(sim: Sim, client: RentAHumanClient) -> None:
    created = await client.create_booking(a_booking_request((await sim.a_cleaner())["id"]))

    confirmed = await client.update_booking_status(created.booking_id, "confirmed", payment_tx_hash="0xabc")
    started = await client.update_booking_status(created.booking_id, "in_progress")
    booking = await client.fetch_booking(created.booking_id)

    assert (confirmed.status, started.status) == ("confirmed", "in_progress")
    assert booking.payment_status == "paid" and started.updated_at is not None


async def test_moving_a_booking_backwards_is_a_conflict(sim: Sim, client: RentAHumanClient) -> None:
    created = await client.create_booking(a_booking_request((await sim.a_cleaner())["id"]))
    await client.update_booking_status(created.booking_id, "cancelled")

    with pytest.raises(RentAHumanConflict):
        await client.update_booking_status(created.booking_id, "in_progress")


async def test_a_delivered_booking_carries_its_evidence_and_completion_time(sim: Sim, client: RentAHumanClient) -> None:
    created = await client.create_booking(a_booking_request((await sim.a_cleaner())["id"]))
    await client.update_booking_status(created.booking_id, "in_progress")
    await sim.post("deliver", {"bookingId": created.booking_id, "evidence": [{"type": "text", "text": "Keys back"}]})

    state = await client.get_booking(created.booking_id)

    assert state.status == "completed" and state.evidence == ("Keys back",)
    assert state.updated_at is not None and state.updated_at >= NOW


# --- bounties and applications -------------------------------------------------------------------


def test_the_bounty_body_carries_every_field_we_send(client: RentAHumanClient) -> None:
    assert client.bounty_body(DRAFT) == snapshot(
        {
            "title": "Turnover clean, 2BR, Lisbon 1100",
            "description": "3 h clean after an 11:00 checkout: linens, bathrooms, floors, restock.",
            "price": 90,
            "priceType": "fixed",
            "currency": "USD",
            "estimatedHours": 3.0,
            "category": "home-services",
            "skillsNeeded": ["Cleaning"],
            "evidenceTypes": ["photo"],
            "spotsAvailable": 1,
            "agentType": "other",
            "agentName": "Turnover",
            "dryRun": False,
            "location": "Lisbon, PT",
            "completionCriteria": "Photos of every room",
        }
    )


async def test_a_dry_run_bounty_previews_the_cost_and_creates_nothing(sim: Sim, client: RentAHumanClient) -> None:
    preview = await client.create_bounty(DRAFT, dry_run=True, idempotency_key="hire-b1-bounty")

    assert preview.funding_total is not None and preview.funding_total >= Decimal("90")
    state = await sim.state()
    assert state["bounties"] == [] and state["idempotency"] == []


async def test_a_dry_run_does_not_spoil_the_real_create_under_the_same_key(sim: Sim, client: RentAHumanClient) -> None:
    await client.create_bounty(DRAFT, dry_run=True, idempotency_key="hire-b1-bounty")

    bounty = await client.create_bounty(DRAFT, dry_run=False, idempotency_key="hire-b1-bounty")

    assert bounty.title == DRAFT.title and bounty.status in ("pending_deposit", "open")


async def test_a_bounty_is_created_once_per_key_and_listed_as_ours(sim: Sim, client: RentAHumanClient) -> None:
    first = await client.create_bounty(DRAFT, dry_run=False, idempotency_key="hire-b1-bounty")
    second = await client.create_bounty(DRAFT, dry_run=False, idempotency_key="hire-b1-bounty")

    assert second.id == first.id
    assert [b.id for b in await client.list_bounties(mine=True)] == [first.id]
    assert (await client.get_bounty(first.id)).price == Decimal("90")


async def test_a_bounty_without_wallet_funds_waits_for_a_deposit(sim: Sim, client: RentAHumanClient) -> None:
    await funded_wallet(sim, 0)

    bounty = await client.create_bounty(DRAFT, dry_run=False, idempotency_key="hire-b1-bounty")

    assert bounty.status == "pending_deposit" and bounty.deposit_url


async def test_a_bounty_with_a_short_description_is_a_validation_error(client: RentAHumanClient) -> None:
    short = BountyDraft(title="Clean", description="too short", price=Decimal("90"), estimated_hours=3.0)

    with pytest.raises(RentAHumanValidationError):
        await client.create_bounty(short, dry_run=False, idempotency_key="hire-b2-bounty")


async def open_bounty_with_applicants(sim: Sim, client: RentAHumanClient, count: int = 2) -> tuple[str, list[Any]]:
    await funded_wallet(sim)
    bounty = await client.create_bounty(DRAFT, dry_run=False, idempotency_key="hire-b1-bounty")
    if bounty.status != "open":
        await sim.advance("bounty", bounty.id, "open")
    humans = (await sim.humans(skill="Cleaning", city="Lisbon"))[:count]
    for human in humans:
        await sim.post("apply", {"bountyId": bounty.id, "humanId": human["id"], "proposedPrice": 85})
    return bounty.id, humans


async def test_applications_to_our_bounty_are_listed(sim: Sim, client: RentAHumanClient) -> None:
    bounty_id, humans = await open_bounty_with_applicants(sim, client)

    applications = await client.list_applications(bounty_id)

    assert sorted(a.human_id for a in applications) == sorted(h["id"] for h in humans)
    assert all(a.status == "pending" and a.proposed_price == Decimal("85") for a in applications)


async def test_accepting_an_application_makes_a_booking_an_escrow_and_a_conversation(
    sim: Sim, client: RentAHumanClient
) -> None:
    bounty_id, _ = await open_bounty_with_applicants(sim, client)
    chosen, *_ = await client.list_applications(bounty_id)

    accepted = await client.accept_application(bounty_id, chosen.id, response="See you at 11:00")

    assert accepted.application is not None and accepted.application.status == "accepted"
    assert accepted.escrow_id and accepted.conversation_id
    assert accepted.booking is not None and accepted.booking.state.worker_id == chosen.human_id


async def test_rejecting_an_application_and_then_accepting_it_is_a_conflict(sim: Sim, client: RentAHumanClient) -> None:
    bounty_id, _ = await open_bounty_with_applicants(sim, client, count=1)
    (application,) = await client.list_applications(bounty_id)

    rejected = await client.reject_application(bounty_id, application.id)

    assert rejected.status == "rejected"
    with pytest.raises(RentAHumanConflict):
        await client.accept_application(bounty_id, application.id)


async def test_an_unknown_application_is_not_found(sim: Sim, client: RentAHumanClient) -> None:
    bounty_id, _ = await open_bounty_with_applicants(sim, client, count=1)

    with pytest.raises(RentAHumanNotFound):
        await client.accept_application(bounty_id, "app_unknown")
