"""Fault injection: the whole pipeline against the real sandbox server, over real HTTP, into SQLite
and (when configured) PostgreSQL.

Two pipeline runs at a time, every few simulated hours for eleven days, while the sandbox answers
with 5xx bursts, 429s, timeouts, creates committed but their answers lost or turned into 500s, and
workers who cancel or never show up. Stays are cancelled on the way. At the end nothing may be
hired twice and nothing may be lost: every sandbox booking belongs to exactly one of our hires,
no task has two live bookings, and every task ends booked, done, with the host, or cancelled with a
reason.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from domain.calendar import CalendarEvent, FeedSnapshot, events_hash
from domain.feeds import Platform
from domain.hires import Hire, HireStatus
from domain.tasks import Task, TaskStatus
from integrations.clock import FrozenClock, UuidIds
from integrations.rentahuman.client import RentAHumanClient
from integrations.rentahuman.retry import RetryPolicy
from integrations.rentahuman.sandbox.server import SandboxServer
from scheduler.pipeline import run_pipeline
from storage.database import make_engine, prepare_database, sqlite_url
from storage.uow import SqlUnitOfWorkFactory
from tests.fakes import RecordingNotifier, StaticFeedFetcher
from tests.storage.conftest import postgres_url, wipe_postgres
from tools.context import AppDeps, PipelineConfig, ToolContext
from tools.feeds import add_feed
from tools.hosts import ensure_local_owner
from tools.properties import add_property

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
STEP = timedelta(hours=6)
DAYS = 11
PROPERTIES = (("Lisbon", "Europe/Lisbon"), ("Lisbon", "Europe/Lisbon"), ("Austin", "America/Chicago"),
              ("Austin", "America/Chicago"))  # fmt: skip
FAULTS: list[dict[str, Any]] = [
    {"match": {"method": "POST", "path": "/api/bookings"}, "kind": "error", "times": 4, "params": {"status": 503}},
    {"match": {"method": "GET", "path": "/api/humans"}, "kind": "error", "times": 2, "params": {"status": 502}},
    {"match": {"method": "GET", "path": "/api/humans"}, "kind": "rate_limit", "times": 2,
     "params": {"resetInSeconds": 1, "resetStyle": "delta"}},
    {"match": {"method": "GET", "path": "/api/bookings/*"}, "kind": "rate_limit", "times": 2,
     "params": {"resetInSeconds": 1, "resetStyle": "epoch", "retryAfter": True}},
    {"match": {"method": "POST", "path": "/api/bookings"}, "kind": "timeout", "times": 2, "params": {"ms": 2500}},
    {"match": {"method": "POST", "path": "/api/bookings"}, "kind": "drop_after_commit", "times": 3,
     "params": {"mode": "reset"}},
    {"match": {"method": "POST", "path": "/api/bookings"}, "kind": "error_after_commit", "times": 2,
     "params": {"status": 500}},
    {"match": {"method": "GET", "path": "/api/bookings/*"}, "kind": "error", "times": 6, "probability": 0.3,
     "params": {"status": 500}},
]  # fmt: skip
FINAL_TASK_STATES = {TaskStatus.BOOKED, TaskStatus.DONE, TaskStatus.NEEDS_HOST, TaskStatus.CANCELLED}


@dataclass
class Rig:
    deps: AppDeps
    clock: FrozenClock
    fetcher: StaticFeedFetcher
    sim: httpx.AsyncClient
    feeds: list[str]
    host_id: str

    async def set_clocks(self, at: datetime) -> None:
        self.clock.set(at)
        (await self.sim.post("/_sim/clock", json={"now": at.strftime("%Y-%m-%dT%H:%M:%SZ")})).raise_for_status()

    def publish(self, index: int, stays: list[tuple[str, date, int]]) -> None:
        events = tuple(
            CalendarEvent(uid=uid, start=start, end=start + timedelta(days=nights), summary="Reserved")
            for uid, start, nights in stays
        )
        self.fetcher.snapshots[self.feeds[index]] = FeedSnapshot(events=events, body_digest=events_hash(events))

    async def sandbox(self, what: str) -> Any:
        response = await self.sim.get(f"/_sim/{what}")
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer(seed=11, now=NOW) as running:
        yield running


def stays_for(index: int) -> list[tuple[str, date, int]]:
    """Two- and three-night stays, some back to back, over the next nine days."""
    rng = random.Random(index)
    day, stays = NOW.date() + timedelta(days=1), []
    while day < NOW.date() + timedelta(days=9):
        nights = rng.choice((2, 3))
        stays.append((f"p{index}-{day.isoformat()}", day, nights))
        day += timedelta(days=nights + rng.choice((0, 0, 1)))
    return stays


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def rig(request: pytest.FixtureRequest, tmp_path: Path, server: SandboxServer) -> AsyncIterator[Rig]:
    if request.param == "sqlite":
        engine = make_engine(sqlite_url(tmp_path / "faults.db"))
    else:
        engine = make_engine(postgres_url())
        await wipe_postgres(engine)
    await prepare_database(engine)
    async with (
        httpx.AsyncClient(base_url=server.base_url, timeout=10.0) as sim,
        httpx.AsyncClient(timeout=httpx.Timeout(1.0, connect=1.0)) as http,
    ):
        (await sim.post("/_sim/reset", json={"seed": 11})).raise_for_status()
        # Limits high enough that the client's pacing never waits: the 429s come from the faults below.
        limits = {"read": 100_000, "write": 100_000, "public": 100_000}
        config = {"workers": {"noShow": 0.15, "cancel": 0.15}, "limits": limits}
        (await sim.post("/_sim/config", json=config)).raise_for_status()
        client = RentAHumanClient(
            http, base_url=f"{server.base_url}/api", api_key="rah_faults_0123", agent_id="turnover-faults",
            sandbox=True, retry=RetryPolicy(base_delay=0.02, rng=random.Random(5)),
        )  # fmt: skip
        clock, fetcher = FrozenClock(NOW), StaticFeedFetcher()
        deps = AppDeps(
            uow=SqlUnitOfWorkFactory(engine), clock=clock, ids=UuidIds(), fetcher=fetcher, marketplace=client,
            notifier=RecordingNotifier(), config=PipelineConfig(hire_concurrency=4),
        )  # fmt: skip
        ctx = ToolContext(deps, await ensure_local_owner(deps, timezone="Europe/Lisbon"))
        feeds = []
        for index, (city, zone) in enumerate(PROPERTIES):
            prop = await add_property(
                ctx, name=f"Flat {index}", city=city, timezone=zone, cleaning_budget=Decimal("120"),
                auto_approve_limit=Decimal("500"), address=f"Street {index}, door {index}",
                access_notes=f"Key box code {4000 + index}",
            )  # fmt: skip
            url = f"https://calendar.example.test/{index}.ics?t=secret{index}"
            await add_feed(ctx, property_id=prop.id, url=url, platform=Platform.AIRBNB)
            feeds.append(url)
        rig = Rig(deps, clock, fetcher, sim, feeds, ctx.actor.host_id)
        try:
            yield rig
        finally:
            await engine.dispose()


async def _everything(rig: Rig) -> tuple[list[Task], list[Hire]]:
    async with rig.deps.uow() as uow:
        return await uow.tasks.list_for_host(rig.host_id, limit=200), await uow.hires.list_for_host(rig.host_id)


async def test_faults_workers_and_concurrent_runs_lose_nothing_and_hire_nobody_twice(rig: Rig) -> None:
    stays = {index: stays_for(index) for index in range(len(PROPERTIES))}
    for index, published in stays.items():
        rig.publish(index, published)
    for fault in FAULTS:
        (await rig.sim.post("/_sim/faults", json=fault)).raise_for_status()

    at, end, cancelled_stays = NOW, NOW + timedelta(days=DAYS), False
    while at <= end:
        await rig.set_clocks(at)
        await asyncio.gather(run_pipeline(rig.deps), run_pipeline(rig.deps))  # two runs at once
        if not cancelled_stays and at >= NOW + timedelta(days=1):
            for index in (0, 2):  # a guest cancels the last stay of two flats
                rig.publish(index, stays[index][:-1])
            cancelled_stays = True
        at += STEP

    tasks, hires = await _everything(rig)
    state = await rig.sandbox("state")
    bookings = {b["id"]: b for b in state["bookings"]}

    # Zero duplicate hires: every sandbox booking is one of ours, once; no task holds two live bookings.
    ours = Counter(h.booking_id for h in hires if h.booking_id)
    assert set(bookings) == set(ours), "a booking the pipeline does not know about was made (or one was lost)"
    assert max(ours.values()) == 1
    keys = Counter(h.idempotency_key for h in hires)
    assert max(keys.values()) == 1
    live = Counter(h.task_id for h in hires if bookings.get(h.booking_id or "", {}).get("status") != "cancelled")
    assert all(count <= 1 for task_id, count in live.items() if task_id in {h.task_id for h in hires if h.booking_id})

    # Zero lost tasks: each ends booked, done, with the host, or cancelled with a reason; no hire in limbo.
    assert tasks and {t.status for t in tasks} <= FINAL_TASK_STATES, Counter(t.status for t in tasks)
    assert all(t.status_reason for t in tasks if t.status is TaskStatus.CANCELLED)
    assert not [h for h in hires if h.status in (HireStatus.REQUESTED, HireStatus.PROPOSED)]
    by_task = {t.id: t for t in tasks}
    for hire in hires:
        if by_task[hire.task_id].status is TaskStatus.CANCELLED and hire.booking_id:
            assert bookings[hire.booking_id]["status"] == "cancelled", "a cancelled task kept its worker"

    # The run really met what it claims to survive.
    assert sum(t.status is TaskStatus.DONE for t in tasks) >= len(tasks) // 2
    assert any(h.no_show for h in hires), "no worker failed to show up"
    assert any("marketplace: cancelled" in [c.note for c in h.history] or h.status is HireStatus.CANCELLED
               for h in hires if not h.no_show)  # fmt: skip
    assert any(t.status is TaskStatus.CANCELLED for t in tasks)
    met = Counter(kind for entry in (await rig.sandbox("requests"))["requests"] for kind in entry["faults"])
    expected = {"error", "rate_limit", "timeout", "drop_after_commit", "error_after_commit"}
    assert expected <= set(met), met
    assert met["drop_after_commit"] == 3 and met["error_after_commit"] == 2 and met["timeout"] == 2
    done = [h for h in hires if h.status is HireStatus.COMPLETED]
    assert done and all(h.evidence and h.final_cost is not None and h.completed_on_time is not None for h in done)
    # Access details went privately to every worker seen confirmed or at work, and to nobody else.
    seen_at_work = {HireStatus.CONFIRMED, HireStatus.IN_PROGRESS}
    for hire in hires:
        at_work = any(change.status in seen_at_work for change in hire.history)
        assert (hire.access_sent_at is not None) == at_work, (hire.id, hire.history)
