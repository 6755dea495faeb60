"""The retry table against the sandbox's own `/_sim/faults`: idempotent creates survive lost answers with
exactly one object made, reads are retried, and writes without a key are sent once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from domain.ports import PrivateMessage
from integrations.rentahuman.client import RentAHumanClient
from integrations.rentahuman.errors import RentAHumanRateLimited, RentAHumanUnavailable
from integrations.rentahuman.hiring import BountyDraft
from integrations.rentahuman.parse_hiring import Checkout
from tests.integrations.rentahuman.support import RecordingSleep, Sim, make_client

DRAFT = BountyDraft(
    title="Turnover clean, 2BR, Lisbon 1100",
    description="3 h clean after an 11:00 checkout: linens, bathrooms, floors, restock.",
    price=Decimal("90"),
    estimated_hours=3.0,
    skills=("Cleaning",),
)
AMBIGUOUS = ["drop_after_commit", "error_after_commit"]


async def rent(client: RentAHumanClient, human_id: str) -> Checkout:
    return await client.rent_human(
        human_id=human_id, title="Turnover clean in Lisbon", description="3 h clean after an 11:00 checkout.",
        price=Decimal("84"), estimated_hours=3.0, idempotency_key="hire-h1-rent",
    )  # fmt: skip


async def a_funded_escrow(sim: Sim, client: RentAHumanClient) -> str:
    await sim.post("seed", {"walletBalanceCents": 1_000_00})
    return (await rent(client, (await sim.a_cleaner())["id"])).escrow_id


def params(kind: str) -> dict[str, Any]:
    return {"mode": "reset"} if kind == "drop_after_commit" else {"status": 500}


# --- creates with a key: exactly one object ---------------------------------------------------------


@pytest.mark.parametrize("kind", AMBIGUOUS)
@pytest.mark.parametrize("idempotency", ["on", "off"])
async def test_a_rental_whose_answer_is_lost_is_made_once(
    sim: Sim, client: RentAHumanClient, kind: str, idempotency: str
) -> None:
    await sim.config(idempotency=idempotency)  # off: only reconciliation stands between us and a double hire
    await sim.post("seed", {"walletBalanceCents": 1_000_00})
    human = await sim.a_cleaner()
    await sim.fault("POST", "/escrow/agent-checkout", kind, **params(kind))

    checkout = await rent(client, human["id"])

    assert [e["id"] for e in (await sim.state())["escrows"]] == [checkout.escrow_id]


@pytest.mark.parametrize("kind", AMBIGUOUS)
@pytest.mark.parametrize("idempotency", ["on", "off"])
async def test_a_bounty_whose_answer_is_lost_is_posted_once(
    sim: Sim, client: RentAHumanClient, kind: str, idempotency: str
) -> None:
    await sim.config(idempotency=idempotency)
    await sim.fault("POST", "/bounties", kind, **params(kind))

    bounty = await client.create_bounty(DRAFT, dry_run=False, idempotency_key="hire-b1-bounty")

    assert [b["id"] for b in (await sim.state())["bounties"]] == [bounty.id]


@pytest.mark.parametrize("kind", AMBIGUOUS)
async def test_a_private_message_whose_answer_is_lost_is_sent_once(
    sim: Sim, client: RentAHumanClient, kind: str
) -> None:
    worker = (await sim.a_cleaner())["id"]
    await sim.fault("POST", "/conversations", kind, **params(kind))

    conversation_id = await client.send_private_message(PrivateMessage(worker, "Access", "Code 4711", "hire-h1-access"))

    assert [c["id"] for c in (await sim.state())["conversations"]] == [conversation_id]


async def test_a_create_refused_with_a_server_error_is_resent_with_its_key(sim: Sim, client: RentAHumanClient) -> None:
    await sim.fault("POST", "/bounties", "error", status=503)

    bounty = await client.create_bounty(DRAFT, dry_run=False, idempotency_key="hire-b1-bounty")

    sent = await sim.requests("POST", "/bounties")
    assert len(sent) == 2 and [b["id"] for b in (await sim.state())["bounties"]] == [bounty.id]


# --- reads -------------------------------------------------------------------------------------------


async def test_a_read_is_retried_through_a_burst_of_server_errors(
    sim: Sim, client: RentAHumanClient, sleeps: RecordingSleep
) -> None:
    escrow_id = await a_funded_escrow(sim, client)
    await sim.fault("GET", f"/escrow/{escrow_id}", "error", times=2, status=503)

    escrow = await client.get_escrow(escrow_id)

    assert escrow.id == escrow_id and len(sleeps.delays) == 2
    assert len(await sim.requests("GET", f"/escrow/{escrow_id}")) == 3


async def test_a_read_gives_up_after_three_attempts(sim: Sim, client: RentAHumanClient) -> None:
    await sim.fault("GET", "/bounties", "error", times=None, status=502)

    with pytest.raises(RentAHumanUnavailable):
        await client.list_bounties()
    assert len(await sim.requests("GET", "/bounties")) == 3


async def test_a_rate_limited_read_waits_for_the_reset(
    sim: Sim, client: RentAHumanClient, sleeps: RecordingSleep
) -> None:
    await sim.fault("GET", "/bounties", "rate_limit", resetInSeconds=7, resetStyle="delta")

    assert await client.list_bounties() == []
    assert sleeps.delays == [7.0]


async def test_a_rate_limited_read_honours_retry_after(
    sim: Sim, client: RentAHumanClient, sleeps: RecordingSleep
) -> None:
    await sim.fault("GET", "/bounties", "rate_limit", resetInSeconds=600, resetStyle="delta", retryAfter=True)

    with pytest.raises(RentAHumanRateLimited):  # the reset comes first, and ten minutes is too long to wait
        await client.list_bounties()
    assert sleeps.delays == []


async def test_a_read_that_times_out_is_retried(sim: Sim) -> None:
    await sim.fault("GET", "/bounties", "timeout", ms=2000)
    async with httpx.AsyncClient(timeout=0.3) as impatient:
        client = make_client(impatient, sim.api_url)

        assert await client.list_bounties() == []


# --- writes without a key: sent once -------------------------------------------------------------


async def test_completing_an_escrow_is_not_retried_after_a_server_error(sim: Sim, client: RentAHumanClient) -> None:
    escrow_id = await a_funded_escrow(sim, client)
    await sim.post("deliver", {"escrowId": escrow_id})
    await sim.fault("POST", f"/escrow/{escrow_id}/complete", "error", status=503)

    with pytest.raises(RentAHumanUnavailable):
        await client.complete_escrow(escrow_id)
    assert len(await sim.requests("POST", f"/escrow/{escrow_id}/complete")) == 1


async def test_a_release_whose_answer_is_lost_is_raised_not_resent(sim: Sim, client: RentAHumanClient) -> None:
    escrow_id = await a_funded_escrow(sim, client)
    await sim.post("deliver", {"escrowId": escrow_id})
    await client.complete_escrow(escrow_id)
    await sim.fault("POST", f"/escrow/{escrow_id}/release", "drop_after_commit", mode="reset")

    with pytest.raises(RentAHumanUnavailable) as lost:
        await client.release_escrow(escrow_id)

    assert lost.value.maybe_processed
    assert len(await sim.requests("POST", f"/escrow/{escrow_id}/release")) == 1
    assert (await client.get_escrow(escrow_id)).status == "released"


async def test_accepting_an_application_is_sent_once_even_if_the_answer_is_lost(
    sim: Sim, client: RentAHumanClient
) -> None:
    await sim.post("seed", {"walletBalanceCents": 1_000_00})
    bounty = await client.create_bounty(DRAFT, dry_run=False, idempotency_key="hire-b1-bounty")
    if bounty.status != "open":
        await sim.advance("bounty", bounty.id, "open")
    await sim.post("apply", {"bountyId": bounty.id, "humanId": (await sim.a_cleaner())["id"]})
    (application,) = await client.list_applications(bounty.id)
    path = f"/bounties/{bounty.id}/applications/{application.id}"
    await sim.fault("PATCH", path, "error_after_commit", status=500)

    with pytest.raises(RentAHumanUnavailable):
        await client.accept_application(bounty.id, application.id)
    assert len(await sim.requests("PATCH", path)) == 1
    assert [a.status for a in await client.list_applications(bounty.id)] == ["accepted"]


async def test_a_message_without_a_key_is_sent_once(sim: Sim, client: RentAHumanClient) -> None:
    conversation = await client.start_conversation(
        (await sim.a_cleaner())["id"], "Turnover", "Hello!", idempotency_key="hire-c1"
    )
    path = f"/conversations/{conversation.id}/messages"
    await sim.fault("POST", path, "drop_after_commit", mode="reset")

    with pytest.raises(RentAHumanUnavailable):
        await client.send_message(conversation.id, "Towels in the closet")
    assert len(await sim.requests("POST", path)) == 1


async def test_a_message_with_a_key_whose_answer_is_lost_is_found_not_resent(
    sim: Sim, client: RentAHumanClient
) -> None:
    conversation = await client.start_conversation(
        (await sim.a_cleaner())["id"], "Turnover", "Hello!", idempotency_key="hire-c1"
    )
    path = f"/conversations/{conversation.id}/messages"
    await sim.fault("POST", path, "drop_after_commit", mode="reset")

    sent = await client.send_message(conversation.id, "Towels in the closet", idempotency_key="hire-c1-m2")

    contents = [m.content for m in (await client.get_conversation(conversation.id)).messages]
    assert sent.content == "Towels in the closet" and contents.count("Towels in the closet") == 1


async def test_registering_a_webhook_is_not_retried(sim: Sim, client: RentAHumanClient) -> None:
    await sim.fault("POST", "/webhooks/endpoints", "error", status=502)

    with pytest.raises(RentAHumanUnavailable):
        await client.register_webhook("http://127.0.0.1:9/hooks", ["booking.created"])
    assert len(await sim.requests("POST", "/webhooks/endpoints")) == 1
