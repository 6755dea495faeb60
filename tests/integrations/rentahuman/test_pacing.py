"""Pacing by `X-RateLimit-*`: the gate alone on a fake clock, then twenty callers against the sandbox's limits."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from integrations.rentahuman.errors import RentAHumanRateLimited
from integrations.rentahuman.pacing import MARGIN, RateGate
from integrations.rentahuman.parse import RateLimit
from integrations.rentahuman.retry import RetryPolicy
from tests.integrations.rentahuman.support import NOW, Sim, a_booking_request, make_client

T0 = 1_795_000_000.0


@dataclass
class FakeTime:
    """A wall clock that moves only when something sleeps on it."""

    now: float = T0
    slept: list[float] = field(default_factory=list)

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds
        await asyncio.sleep(0)

    def policy(self) -> RetryPolicy:
        return RetryPolicy(sleep=self.sleep, wall_clock=lambda: self.now)


def headers(remaining: int, reset_in: float, limit: int = 5) -> RateLimit:
    return RateLimit(limit=limit, remaining=remaining, reset_at=datetime.fromtimestamp(T0 + reset_in, UTC))


async def send(gate: RateGate, method: str, answer: RateLimit | None, log: list[str], name: str) -> None:
    async with gate.slot(method, "test") as budget:
        log.append(f"{name} sent")
        await asyncio.sleep(0)
        if answer is not None:
            gate.learn(budget, answer)
    log.append(f"{name} answered")


async def test_a_spent_budget_waits_for_the_reset_before_sending() -> None:
    clock = FakeTime()
    gate = RateGate(clock.policy())
    gate.learn(gate.budgets["write"], headers(remaining=0, reset_in=10))

    await send(gate, "POST", headers(4, 12), [], "next")

    assert clock.slept == [10 + MARGIN]


async def test_a_wait_beyond_a_minute_raises_at_once() -> None:
    clock = FakeTime()
    gate = RateGate(clock.policy())
    gate.learn(gate.budgets["read"], headers(remaining=0, reset_in=600))

    with pytest.raises(RentAHumanRateLimited) as limited:
        await send(gate, "GET", None, [], "late")
    assert clock.slept == [] and limited.value.reset_at == datetime.fromtimestamp(T0 + 600, UTC)


async def test_reads_and_writes_have_separate_budgets() -> None:
    clock = FakeTime()
    gate = RateGate(clock.policy())
    gate.learn(gate.budgets["write"], headers(remaining=0, reset_in=10))

    await send(gate, "GET", headers(4, 10), [], "read")

    assert clock.slept == []


async def test_an_unknown_budget_lets_one_probe_through_before_the_rest() -> None:
    gate = RateGate(FakeTime().policy())
    log: list[str] = []

    await asyncio.gather(*(send(gate, "POST", headers(4 - n, 10), log, f"c{n}") for n in range(3)))

    assert log[:2] == ["c0 sent", "c0 answered"]


async def test_requests_in_flight_count_against_the_remaining_budget() -> None:
    clock = FakeTime()
    gate = RateGate(clock.policy())
    gate.learn(gate.budgets["write"], headers(remaining=2, reset_in=10, limit=3))
    log: list[str] = []

    await asyncio.gather(*(send(gate, "POST", headers(1 - min(n, 1), 10, 3), log, f"c{n}") for n in range(3)))

    assert log.index("c2 sent") > log.index("c0 answered")
    assert clock.slept == [10 + MARGIN]  # two went at once; the third waited for the next window


async def test_a_late_answer_cannot_raise_the_remaining_count_of_its_window() -> None:
    gate = RateGate(FakeTime().policy())
    budget = gate.budgets["read"]

    gate.learn(budget, headers(remaining=1, reset_in=10))
    gate.learn(budget, headers(remaining=3, reset_in=10))

    assert budget.remaining == 1


async def test_a_server_without_rate_limit_headers_is_not_paced() -> None:
    gate = RateGate(FakeTime().policy())
    log: list[str] = []

    await asyncio.gather(*(send(gate, "GET", RateLimit(), log, f"c{n}") for n in range(3)))
    await asyncio.gather(*(send(gate, "GET", RateLimit(), log, f"d{n}") for n in range(3)))

    assert log[6:9] == ["d0 sent", "d1 sent", "d2 sent"]


async def test_max_concurrency_bounds_requests_in_flight() -> None:
    gate = RateGate(FakeTime().policy(), max_concurrency=2)
    gate.learn(gate.budgets["read"], RateLimit())
    in_flight, peak = 0, 0

    async def one() -> None:
        nonlocal in_flight, peak
        async with gate.slot("GET", "test"):
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.001)
            in_flight -= 1

    await asyncio.gather(*(one() for _ in range(6)))

    assert peak == 2


async def test_twenty_concurrent_creates_stay_inside_the_servers_write_limit(sim: Sim) -> None:
    await sim.config(rateLimits=True, limits={"write": 5}, windowSeconds=2)
    cleaner = (await sim.a_cleaner())["id"]
    policy = RetryPolicy(sleep=asyncio.sleep, wall_clock=time.time)  # the sandbox's windows run on the real clock
    async with httpx.AsyncClient(timeout=10.0) as http:
        client = make_client(http, sim.api_url, retry=policy)
        requests = [
            a_booking_request(cleaner, start=NOW + timedelta(days=1, hours=n), idempotency_key=f"hire-pace-{n}")
            for n in range(20)
        ]
        created = await asyncio.gather(*(client.create_booking(r) for r in requests))

    assert len({c.booking_id for c in created}) == 20
    logged = await sim.requests("POST", "/bookings")
    assert len(logged) == 20 and [r for r in logged if r["status"] == 429] == []
