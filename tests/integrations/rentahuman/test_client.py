"""`RentAHumanClient` against the real sandbox server, over loopback HTTP."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
from inline_snapshot import snapshot

from domain.errors import MarketplaceError
from domain.ports import Marketplace
from integrations.rentahuman.client import RentAHumanClient
from integrations.rentahuman.errors import (
    RentAHumanAuthError,
    RentAHumanConflict,
    RentAHumanNotFound,
    RentAHumanValidationError,
)
from tests.integrations.rentahuman.support import (
    AGENT_ID,
    NOW,
    EdgeFake,
    RecordingSleep,
    Sim,
    a_booking_request,
    make_client,
)


def test_the_client_is_a_marketplace(client: RentAHumanClient) -> None:
    marketplace: Marketplace = client
    assert marketplace.is_sandbox


def test_the_api_key_never_shows_in_the_clients_repr(client: RentAHumanClient) -> None:
    assert "rah_" not in repr(client)


async def test_search_finds_cleaners_in_the_city_within_the_rate(client: RentAHumanClient) -> None:
    workers = await client.search_workers(skill="Cleaning", city="Lisbon", max_rate=Decimal("30"))

    assert len(workers) >= 3
    assert all("Cleaning" in w.skills and w.city == "Lisbon" and w.hourly_rate <= 30 for w in workers)


async def test_search_matches_part_of_a_skill_in_any_case(client: RentAHumanClient) -> None:
    workers = await client.search_workers(skill="clean", city="austin")

    assert len(workers) >= 4 and all("Cleaning" in w.skills for w in workers)


async def test_search_pages_with_offset_until_the_last_page(sim: Sim, http: httpx.AsyncClient) -> None:
    edge = EdgeFake(http)
    async with httpx.AsyncClient(transport=httpx.MockTransport(edge)) as spied:
        client = make_client(spied, sim.api_url, RecordingSleep(), page_size=10)
        humans = await client.search_humans(limit=100)

    assert len(humans) == 36 and len({h.id for h in humans}) == 36
    assert edge.count("GET", "/api/humans") == 4  # 10 + 10 + 10 + 6, the last page says hasMore: false


async def test_search_stops_at_the_limit_it_was_given(sim: Sim, http: httpx.AsyncClient) -> None:
    client = make_client(http, sim.api_url, RecordingSleep(), page_size=4)

    workers = await client.search_workers(skill="Cleaning", limit=6)

    assert len(workers) == 6


async def test_search_filters_by_country_and_minimum_rate(client: RentAHumanClient) -> None:
    humans = await client.search_humans(country="US", min_rate=Decimal("25"))

    assert humans and all(h.country == "US" and h.worker.hourly_rate >= 25 for h in humans)
    assert {h.worker.city for h in humans} <= {"Austin", "Las Vegas"}


async def test_get_human_returns_the_worker_and_the_raw_profile(sim: Sim, client: RentAHumanClient) -> None:
    listed = await sim.a_cleaner("Austin")

    human = await client.get_human(listed["id"])

    assert human.worker.id == listed["id"] and human.worker.name == listed["name"]
    assert human.worker.hourly_rate == Decimal(str(listed["hourlyRate"]))
    assert human.timezone == "America/Chicago" and human.country == "US"
    assert human.availability == listed["availability"] and "cryptoWallets" in human.raw


async def test_an_unknown_human_is_not_found(client: RentAHumanClient) -> None:
    with pytest.raises(RentAHumanNotFound):
        await client.get_human("AAAAAAAAAAAAAAAAAAAA")


async def test_reviews_of_a_human_are_listed(sim: Sim, client: RentAHumanClient) -> None:
    human = await sim.a_cleaner()

    reviews = await client.list_reviews(human["id"])

    assert 1 <= len(reviews) <= 3
    assert all(
        r.human_id == human["id"] and 1 <= r.rating <= 5 and r.created_at and r.created_at < NOW for r in reviews
    )


async def test_a_booking_is_created_pending_with_its_total_and_end_time(sim: Sim, client: RentAHumanClient) -> None:
    human = await sim.a_cleaner()
    request = a_booking_request(human["id"])

    state = await client.create_booking(request)
    booking = await client.fetch_booking(state.booking_id)

    assert (state.status, state.worker_id) == ("pending", human["id"])
    assert state.total == Decimal(human["hourlyRate"]) * 3
    assert booking.start == request.start and booking.end == request.start + timedelta(hours=3)
    assert booking.agent_id == AGENT_ID and booking.title == request.title


async def test_a_new_booking_is_confirmed_by_the_next_read(sim: Sim, client: RentAHumanClient) -> None:
    created = await client.create_booking(a_booking_request((await sim.a_cleaner())["id"]))

    assert (await client.get_booking(created.booking_id)).status == "confirmed"


async def test_the_booking_body_carries_every_required_field(client: RentAHumanClient) -> None:
    body = client.booking_body(a_booking_request("usIRzadv7zSqYE4adJxW"))

    assert body == snapshot(
        {
            "humanId": "usIRzadv7zSqYE4adJxW",
            "agentId": "turnover-test",
            "agentType": "other",
            "agentName": "Turnover",
            "taskTitle": "Turnover clean in Lisbon",
            "taskDescription": "3 h clean after an 11:00 checkout.",
            "startTime": "2026-11-26T11:00:00Z",
            "estimatedHours": 3.0,
            "taskCategory": "home-services",
            "idempotencyKey": "hire-task_1-1",
        }
    )


async def test_a_cancelled_booking_comes_back_cancelled(sim: Sim, client: RentAHumanClient) -> None:
    created = await client.create_booking(a_booking_request((await sim.a_cleaner())["id"]))

    cancelled = await client.cancel_booking(created.booking_id)

    assert cancelled.status == "cancelled"
    assert (await client.get_booking(created.booking_id)).status == "cancelled"


async def test_cancelling_twice_reports_the_booking_cancelled(sim: Sim, client: RentAHumanClient) -> None:
    created = await client.create_booking(a_booking_request((await sim.a_cleaner())["id"]))
    await client.cancel_booking(created.booking_id)

    assert (await client.cancel_booking(created.booking_id)).status == "cancelled"


async def test_cancelling_a_completed_booking_is_a_conflict(sim: Sim, client: RentAHumanClient) -> None:
    created = await client.create_booking(a_booking_request((await sim.a_cleaner())["id"]))
    for step in ("in_progress", "completed"):  # confirmed already, on this read
        await sim.post("advance", {"kind": "booking", "id": created.booking_id, "to": step})

    with pytest.raises(RentAHumanConflict):
        await client.cancel_booking(created.booking_id)


async def test_the_same_idempotency_key_twice_makes_one_booking(sim: Sim, client: RentAHumanClient) -> None:
    request = a_booking_request((await sim.a_cleaner())["id"])

    first = await client.create_booking(request)
    second = await client.create_booking(request)

    assert second.booking_id == first.booking_id
    state = await sim.state()
    assert len(state["bookings"]) == 1
    assert [r["key"] for r in state["idempotency"]] == [request.idempotency_key]


async def test_the_same_key_with_another_body_is_a_conflict(sim: Sim, client: RentAHumanClient) -> None:
    request = a_booking_request((await sim.a_cleaner())["id"])
    await client.create_booking(request)

    with pytest.raises(RentAHumanConflict) as refused:
        await client.create_booking(a_booking_request(request.worker_id, estimated_hours=4.0))

    assert refused.value.code == "idempotency_mismatch"
    assert len((await sim.state())["bookings"]) == 1


async def test_a_write_without_an_api_key_is_an_auth_error(sim: Sim, http: httpx.AsyncClient) -> None:
    anonymous = make_client(http, sim.api_url, RecordingSleep(), api_key=None)

    with pytest.raises(RentAHumanAuthError):
        await anonymous.create_booking(a_booking_request((await sim.a_cleaner())["id"]))
    assert (await sim.state())["bookings"] == []


async def test_a_key_without_the_rah_prefix_is_an_auth_error(sim: Sim, http: httpx.AsyncClient) -> None:
    wrong = make_client(http, sim.api_url, RecordingSleep(), api_key="sk_live_123")

    with pytest.raises(RentAHumanAuthError):
        await wrong.list_bookings()


async def test_public_reads_work_without_a_key(sim: Sim, http: httpx.AsyncClient) -> None:
    anonymous = make_client(http, sim.api_url, RecordingSleep(), api_key=None)

    assert await anonymous.search_workers(skill="Handyman")


async def test_the_key_can_be_sent_as_a_bearer_token(sim: Sim, http: httpx.AsyncClient) -> None:
    bearer = make_client(http, sim.api_url, RecordingSleep(), bearer=True)

    state = await bearer.create_booking(a_booking_request((await sim.a_cleaner())["id"]))

    assert state.status == "pending"


async def test_a_refused_booking_is_a_validation_error_and_is_not_retried(
    sim: Sim, client: RentAHumanClient, sleeps: RecordingSleep
) -> None:
    with pytest.raises(RentAHumanValidationError):
        await client.create_booking(a_booking_request((await sim.a_cleaner())["id"], estimated_hours=0.25))
    assert sleeps.delays == []


async def test_booking_an_unknown_human_is_not_found(client: RentAHumanClient) -> None:
    with pytest.raises(RentAHumanNotFound):
        await client.create_booking(a_booking_request("AAAAAAAAAAAAAAAAAAAA"))


async def test_an_unknown_booking_is_not_found_and_a_marketplace_error(client: RentAHumanClient) -> None:
    with pytest.raises(RentAHumanNotFound) as missing:
        await client.get_booking("AAAAAAAAAAAAAAAAAAAA")
    assert isinstance(missing.value, MarketplaceError)


async def test_list_bookings_returns_this_agents_bookings_only(
    sim: Sim, http: httpx.AsyncClient, client: RentAHumanClient
) -> None:
    cleaner = (await sim.a_cleaner())["id"]
    mine = await client.create_booking(a_booking_request(cleaner))
    other = RentAHumanClient(http, base_url=sim.api_url, api_key="rah_other", agent_id="someone-else")
    await other.create_booking(a_booking_request(cleaner))

    listed = await client.list_bookings()

    assert [b.id for b in listed] == [mine.booking_id]


async def test_find_booking_matches_human_start_and_title(sim: Sim, client: RentAHumanClient) -> None:
    request = a_booking_request((await sim.a_cleaner())["id"])
    created = await client.create_booking(request)

    found = await client.find_booking(request)
    other_time = await client.find_booking(
        a_booking_request(request.worker_id, start=request.start + timedelta(hours=1))
    )

    assert found is not None and found.id == created.booking_id
    assert other_time is None


async def test_the_api_key_never_shows_in_an_error_or_a_log_line(
    sim: Sim, http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    client = make_client(http, sim.api_url, RecordingSleep(), api_key="rah_secret_do_not_show")

    with pytest.raises(RentAHumanNotFound) as missing:
        await client.get_booking("AAAAAAAAAAAAAAAAAAAA")

    assert "rah_secret" not in str(missing.value) and "rah_secret" not in caplog.text


async def test_a_lost_booking_is_recovered_by_its_request(sim: Sim, client: RentAHumanClient) -> None:
    request = a_booking_request((await sim.a_cleaner())["id"])
    created = await client.create_booking(request)

    assert await client.recover_booking(request) == await client.get_booking(created.booking_id)
    assert await client.recover_booking(a_booking_request(request.worker_id, title="Another clean")) is None
