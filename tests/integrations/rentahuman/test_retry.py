"""Retries, backoff and reconciliation, with fakes at the edge that fail N times and then forward to
the real sandbox. Sleeps are recorded, never slept."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

import httpx
import pytest

from integrations.rentahuman.client import RentAHumanClient
from integrations.rentahuman.errors import (
    RentAHumanNotFound,
    RentAHumanRateLimited,
    RentAHumanUnavailable,
    RentAHumanValidationError,
)
from integrations.rentahuman.retry import RetryPolicy
from tests.integrations.rentahuman.support import (
    ANY,
    WALL,
    EdgeFake,
    RecordingSleep,
    Sim,
    a_booking_request,
    drop_after_commit,
    drop_before_arrival,
    make_client,
    refuse_connection,
    status,
)

BOOKINGS = ("POST", "/api/bookings")
LISTING = ("GET", "/api/bookings")
RATE_LIMITED = {"success": False, "error": "Rate limit exceeded", "code": "rate_limited"}


@pytest.fixture
async def edge(http: httpx.AsyncClient) -> EdgeFake:
    return EdgeFake(http)


@pytest.fixture
async def client(sim: Sim, edge: EdgeFake, sleeps: RecordingSleep) -> AsyncIterator[RentAHumanClient]:
    """A client whose every request passes through `edge` on its way to the sandbox."""
    async with httpx.AsyncClient(transport=httpx.MockTransport(edge)) as edged:
        yield make_client(edged, sim.api_url, sleeps)


HUMANS = ("GET", "/api/humans")


async def test_reads_retry_server_errors_then_succeed(
    client: RentAHumanClient, edge: EdgeFake, sleeps: RecordingSleep
) -> None:
    edge.failures[HUMANS] = [status(503), status(502)]

    workers = await client.search_workers(skill="Cleaning", city="Lisbon")

    assert workers and edge.count(*HUMANS) == 3
    assert len(sleeps.delays) == 2


async def test_reads_give_up_after_three_attempts(
    client: RentAHumanClient, edge: EdgeFake, sleeps: RecordingSleep
) -> None:
    edge.failures[HUMANS] = [status(500)] * 4

    with pytest.raises(RentAHumanUnavailable):
        await client.search_workers(skill="Cleaning")
    assert edge.count(*HUMANS) == 3 and len(sleeps.delays) == 2


async def test_reads_retry_transport_errors(client: RentAHumanClient, edge: EdgeFake) -> None:
    edge.failures[HUMANS] = [refuse_connection(), drop_before_arrival()]

    assert await client.search_workers(skill="Handyman")


async def test_client_errors_are_not_retried(client: RentAHumanClient, edge: EdgeFake, sleeps: RecordingSleep) -> None:
    with pytest.raises(RentAHumanNotFound):
        await client.get_human("AAAAAAAAAAAAAAAAAAAA")
    assert edge.seen == ["GET /api/humans/AAAAAAAAAAAAAAAAAAAA"] and sleeps.delays == []


async def test_a_429_waits_until_an_epoch_reset(
    client: RentAHumanClient, edge: EdgeFake, sleeps: RecordingSleep
) -> None:
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(WALL) + 12)}
    edge.failures[HUMANS] = [status(429, headers, RATE_LIMITED)]

    assert await client.search_workers(skill="Cleaning")
    assert sleeps.delays == [12.0]


async def test_a_429_waits_for_a_delay_reset(client: RentAHumanClient, edge: EdgeFake, sleeps: RecordingSleep) -> None:
    edge.failures[HUMANS] = [status(429, {"X-RateLimit-Reset": "7"}, RATE_LIMITED)]

    assert await client.search_workers(skill="Cleaning")
    assert sleeps.delays == [7.0]


async def test_a_429_without_a_reset_honours_retry_after(
    client: RentAHumanClient, edge: EdgeFake, sleeps: RecordingSleep
) -> None:
    edge.failures[HUMANS] = [status(429, {"Retry-After": "3"}, RATE_LIMITED)]

    assert await client.search_workers(skill="Cleaning")
    assert sleeps.delays == [3.0]


async def test_a_wait_longer_than_a_minute_is_never_made(
    client: RentAHumanClient, edge: EdgeFake, sleeps: RecordingSleep
) -> None:
    edge.failures[HUMANS] = [status(429, {"X-RateLimit-Reset": "600"}, RATE_LIMITED)]

    with pytest.raises(RentAHumanRateLimited) as limited:
        await client.search_workers(skill="Cleaning")
    assert sleeps.delays == [] and edge.count(*HUMANS) == 1
    assert limited.value.reset_at is not None and limited.value.reset_at.timestamp() == WALL + 600


def test_backoff_grows_and_is_jittered() -> None:
    policy = RetryPolicy(base_delay=1.0, rng=random.Random(1))
    error = RentAHumanUnavailable("down")

    first, second = policy.delay_after(1, error), policy.delay_after(2, error)

    assert first is not None and 0.5 <= first < 1.5
    assert second is not None and 1.0 <= second < 3.0
    assert policy.delay_after(3, error) is None  # three attempts in all


async def test_a_create_is_resent_with_the_same_key_after_a_server_error(
    sim: Sim, client: RentAHumanClient, edge: EdgeFake
) -> None:
    await sim.post("config", {"idempotency": "off"})  # the 503 wrote nothing, so nothing may be found or replayed
    edge.failures[BOOKINGS] = [status(503)]

    state = await client.create_booking(a_booking_request((await sim.a_cleaner())["id"]))

    assert edge.seen[-3:] == ["POST /api/bookings", "GET /api/bookings", "POST /api/bookings"]
    assert [b["id"] for b in (await sim.state())["bookings"]] == [state.booking_id]


async def test_a_lost_create_answer_is_found_by_listing_before_anything_is_resent(
    sim: Sim, client: RentAHumanClient, edge: EdgeFake
) -> None:
    await sim.post("config", {"idempotency": "off"})  # only reconciliation stands between us and a double booking
    edge.failures[BOOKINGS] = [drop_after_commit(edge.upstream)]

    state = await client.create_booking(a_booking_request((await sim.a_cleaner())["id"]))

    assert edge.count(*BOOKINGS) == 1 and edge.count(*LISTING) == 1
    assert [b["id"] for b in (await sim.state())["bookings"]] == [state.booking_id]


async def test_a_lost_create_answer_is_replayed_when_listing_fails(
    sim: Sim, client: RentAHumanClient, edge: EdgeFake
) -> None:
    edge.failures[BOOKINGS] = [drop_after_commit(edge.upstream)]
    edge.failures[LISTING] = [status(503)] * 3  # reconciliation gives up; the idempotency key must save us

    state = await client.create_booking(a_booking_request((await sim.a_cleaner())["id"]))

    assert edge.count(*BOOKINGS) == 2
    assert [b["id"] for b in (await sim.state())["bookings"]] == [state.booking_id]


async def test_a_create_that_never_arrived_is_sent_again_after_listing_finds_nothing(
    sim: Sim, client: RentAHumanClient, edge: EdgeFake
) -> None:
    await sim.post("config", {"idempotency": "off"})
    edge.failures[BOOKINGS] = [drop_before_arrival()]

    state = await client.create_booking(a_booking_request((await sim.a_cleaner())["id"]))

    assert edge.seen[-3:] == ["POST /api/bookings", "GET /api/bookings", "POST /api/bookings"]
    assert [b["id"] for b in (await sim.state())["bookings"]] == [state.booking_id]


async def test_a_refused_connection_is_resent_without_listing(
    sim: Sim, client: RentAHumanClient, edge: EdgeFake
) -> None:
    edge.failures[BOOKINGS] = [refuse_connection()]

    await client.create_booking(a_booking_request((await sim.a_cleaner())["id"]))

    assert edge.seen[-2:] == ["POST /api/bookings", "POST /api/bookings"]


async def test_a_rate_limited_create_is_resent_without_listing(
    sim: Sim, client: RentAHumanClient, edge: EdgeFake, sleeps: RecordingSleep
) -> None:
    edge.failures[BOOKINGS] = [status(429, {"X-RateLimit-Reset": "2"}, RATE_LIMITED)]

    await client.create_booking(a_booking_request((await sim.a_cleaner())["id"]))

    assert edge.seen[-2:] == ["POST /api/bookings", "POST /api/bookings"] and sleeps.delays == [2.0]


async def test_every_create_attempt_sends_the_key_in_the_body_and_the_header(
    sim: Sim, client: RentAHumanClient, edge: EdgeFake
) -> None:
    sent: list[httpx.Request] = []

    async def record_then_fail(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(503, json={"success": False, "error": "down", "code": "server_error"})

    edge.failures[BOOKINGS] = [record_then_fail, record_then_fail]
    request = a_booking_request((await sim.a_cleaner())["id"])

    await client.create_booking(request)

    assert [r.headers["Idempotency-Key"] for r in sent] == [request.idempotency_key] * 2
    assert all(b'"idempotencyKey":"hire-task_1-1"' in r.content for r in sent)


async def test_a_create_refused_as_invalid_is_not_retried(sim: Sim, client: RentAHumanClient, edge: EdgeFake) -> None:
    with pytest.raises(RentAHumanValidationError):
        await client.create_booking(a_booking_request((await sim.a_cleaner())["id"], title="ab"))
    assert edge.count(*BOOKINGS) == 1


async def test_every_request_failing_to_connect_ends_unavailable_and_unprocessed(
    client: RentAHumanClient, edge: EdgeFake
) -> None:
    edge.failures[ANY] = [refuse_connection()] * 3

    with pytest.raises(RentAHumanUnavailable) as failed:
        await client.get_booking("anything")
    assert not failed.value.maybe_processed
