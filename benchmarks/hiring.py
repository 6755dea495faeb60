"""Hiring throughput: the engine against the sandbox with injected latency, versus a naive integration.

Run: .venv/bin/python benchmarks/hiring.py [--tasks 500] [--latency-ms 100] [--concurrency 16]
                                           [--write-limit 50] [--read-limit 100] [--window-seconds 1]
                                           [--baseline-tasks 100] [--json]

The RentAHuman sandbox runs in its own process (`turnover sandbox`), with every `/api` request
delayed by `--latency-ms` (a `latency` fault) and its rate limits switched on: `--write-limit`
writes and `--read-limit` reads per `--window-seconds` window and API key (`X-RateLimit-*` on every
answer, 429 past the limit). One run measures, in this order:

  baseline  a naive integration, the way the earlier prototype did it: for each task, one request
            at a time, a new HTTP client per call: search the city's cleaners, pick the best rated,
            create the booking. Run on the first `--baseline-tasks` tasks (it is slow by design).
  engine    `scheduler.hire.hire_tasks` on all `--tasks` pending tasks in a fresh SQLite store:
            one shared client, `--concurrency` tasks at a time, searches shared within the run,
            the client pacing itself on the rate-limit headers. Its database work is timed too.

Reported: hires per second for each, their ratio (target at least 10x), the 429s each one met
(target zero: concurrency never runs past the limit), and a duplicate check: every booking the
sandbox holds belongs to exactly one of the engine's hires. The sandbox is reset between the two
parts. Setting up the properties and tasks is not timed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as day_time
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from domain.calendar import FeedSnapshot
from domain.events import Event
from domain.tasks import Task, TaskKind
from integrations.clock import FrozenClock, UuidIds
from integrations.rentahuman.client import RentAHumanClient
from scheduler.hire import hire_tasks
from storage.database import make_engine, prepare_database, sqlite_url
from storage.uow import SqlUnitOfWorkFactory
from tools.context import AppDeps, PipelineConfig, ToolContext
from tools.hosts import ensure_local_owner
from tools.properties import add_property

CITIES = (("Lisbon", "Europe/Lisbon"), ("Austin", "America/Chicago"), ("Las Vegas", "America/Los_Angeles"),
          ("Paris", "Europe/Paris"), ("Mexico City", "America/Mexico_City"), ("Berlin", "Europe/Berlin"))  # fmt: skip
PROPERTIES = 100
BUDGET = Decimal("120")
HOURS = 3
API_KEY = "rah_bench_0123456789"
TARGET_RATIO = 10.0


class NoFeeds:
    async def fetch(self, url: str, *, known_digest: str = "") -> FeedSnapshot:
        return FeedSnapshot(error="no feeds in this benchmark")


class QuietNotifier:
    async def send(self, event: Event) -> None:
        return None


@dataclass(frozen=True, slots=True)
class Spec:
    """One pending clean: where and when."""

    index: int
    city: str
    timezone: str
    start: datetime
    end: datetime


def task_specs(count: int, now: datetime) -> list[Spec]:
    specs = []
    for index in range(count):
        city, zone = CITIES[index % PROPERTIES % len(CITIES)]
        day = (now + timedelta(days=1 + index // PROPERTIES)).astimezone(ZoneInfo(zone)).date()
        start = datetime.combine(day, day_time(11), ZoneInfo(zone)).astimezone(UTC)
        specs.append(Spec(index, city, zone, start, start + timedelta(hours=5)))
    return specs


# --- the sandbox process -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def sandbox_process() -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "turnover.cli", "sandbox", "--port", str(port), "--seed", "7"]
    env = os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/_sim/clock", timeout=0.5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            raise RuntimeError("the sandbox did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


async def prepare_sandbox(sim: httpx.AsyncClient, args: argparse.Namespace) -> None:
    """Fresh state, the latency on every API request, and the rate limits on."""
    (await sim.post("/_sim/reset", json={"seed": 7})).raise_for_status()
    latency = {"match": {"path": "/api/*"}, "kind": "latency", "times": 10**9, "params": {"ms": args.latency_ms}}
    (await sim.post("/_sim/faults", json=latency)).raise_for_status()
    config = {
        "rateLimits": True,
        "limits": {"write": args.write_limit, "read": args.read_limit, "public": args.read_limit},
        "windowSeconds": args.window_seconds,
    }
    (await sim.post("/_sim/config", json=config)).raise_for_status()


async def sandbox_counts(sim: httpx.AsyncClient) -> dict[str, Any]:
    requests = (await sim.get("/_sim/requests")).json()["requests"]
    bookings = (await sim.get("/_sim/state")).json()["bookings"]
    return {
        "requests": len(requests),
        "rate_limited": sum(1 for e in requests if e.get("status") == 429),
        "bookings": [b["id"] for b in bookings],
    }


def duplicates(sandbox_bookings: list[str], hire_bookings: list[str]) -> int:
    """Bookings the sandbox holds beyond one per hire: made but unknown to us, or shared by two hires."""
    return (
        len(sandbox_bookings)
        - len(set(sandbox_bookings) & set(hire_bookings))
        + (len(hire_bookings) - len(set(hire_bookings)))
    )


# --- the baseline: one request at a time, a new client per call ----------------------------------


async def naive_hire(api: str, spec: Spec) -> bool:
    headers = {"X-API-Key": API_KEY}
    params = {"skill": "Cleaning", "city": spec.city, "maxRate": str(BUDGET / HOURS), "limit": "100"}
    async with httpx.AsyncClient(timeout=30.0) as client:
        found = (await client.get(f"{api}/humans", params=params, headers=headers)).json().get("humans", [])
    if not found:
        return False
    best = max(found, key=lambda h: (h["rating"], h["reviewCount"]))
    body = {
        "humanId": best["id"], "agentId": "naive", "agentType": "other", "taskTitle": f"Turnover clean in {spec.city}",
        "taskDescription": f"Clean #{spec.index}, 3 hours after checkout.", "estimatedHours": HOURS,
        "startTime": spec.start.strftime("%Y-%m-%dT%H:%M:%SZ"), "idempotencyKey": f"naive-{spec.index}",
    }  # fmt: skip
    async with httpx.AsyncClient(timeout=30.0) as client:
        answer = await client.post(f"{api}/bookings", json=body, headers=headers)
    return answer.status_code in (200, 201) and bool(answer.json().get("success"))


async def measure_baseline(base: str, specs: list[Spec]) -> dict[str, Any]:
    started = time.perf_counter()
    hired = 0
    for spec in specs:
        hired += await naive_hire(f"{base}/api", spec)
    seconds = time.perf_counter() - started
    return {"tasks": len(specs), "hired": hired, "seconds": round(seconds, 2), "hires_per_s": hired / seconds}


# --- the engine ----------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def engine_deps(base: str, args: argparse.Namespace, now: datetime) -> AsyncIterator[AppDeps]:
    with tempfile.TemporaryDirectory(prefix="turnover-bench-hiring-") as tmp:
        engine = make_engine(sqlite_url(Path(tmp) / "bench.db"))
        limits = httpx.Limits(max_connections=args.concurrency * 2, max_keepalive_connections=args.concurrency * 2)
        try:
            await prepare_database(engine)
            async with httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=5.0), limits=limits) as http:
                client = RentAHumanClient(
                    http, base_url=f"{base}/api", api_key=API_KEY, agent_id="turnover-bench", sandbox=True,
                    max_concurrency=args.concurrency,
                )  # fmt: skip
                yield AppDeps(
                    uow=SqlUnitOfWorkFactory(engine), clock=FrozenClock(now), ids=UuidIds(),
                    fetcher=NoFeeds(), marketplace=client, notifier=QuietNotifier(),
                    config=PipelineConfig(hire_concurrency=args.concurrency),
                )  # fmt: skip
        finally:
            await engine.dispose()


def clean_task(host_id: str, property_id: str, spec: Spec, now: datetime) -> Task:
    return Task(
        id=f"task_{spec.index:04d}", host_id=host_id, property_id=property_id, kind=TaskKind.CLEAN,
        natural_key=f"{property_id}:clean:{spec.start.date()}", window_start=spec.start, deadline=spec.end,
        budget=BUDGET, required_skills=("Cleaning",), created_at=now,
    )  # fmt: skip


async def seed_tasks(deps: AppDeps, specs: list[Spec], now: datetime) -> None:
    ctx = ToolContext(deps, await ensure_local_owner(deps, name="Bench host"))
    props = []
    for index in range(PROPERTIES):
        city, zone = CITIES[index % len(CITIES)]
        out = await add_property(
            ctx, name=f"Flat {index:03d}", city=city, timezone=zone, cleaning_budget=BUDGET,
            auto_approve_limit=Decimal("500"), cleaning_minutes=HOURS * 60,
        )  # fmt: skip
        props.append(out.id)
    tasks = [clean_task(ctx.actor.host_id, props[spec.index % PROPERTIES], spec, now) for spec in specs]
    async with deps.uow() as uow:
        await uow.tasks.add_many(tasks)
        await uow.commit()


async def measure_engine(base: str, specs: list[Spec], args: argparse.Namespace, now: datetime) -> dict[str, Any]:
    async with engine_deps(base, args, now) as deps:
        await seed_tasks(deps, specs, now)
        started = time.perf_counter()
        report = await hire_tasks(deps)
        seconds = time.perf_counter() - started
        async with deps.uow() as uow:
            hires = await uow.hires.list_for_host((await uow.hosts.list())[0].id)
    return {
        "hire_bookings": [h.booking_id for h in hires if h.booking_id],
        "tasks": len(specs), "hired": report.booked, "seconds": round(seconds, 2),
        "hires_per_s": report.booked / seconds, "errors": len(report.errors), "needs_host": report.needs_host,
        "first_errors": report.errors[:3],
    }  # fmt: skip


async def run(args: argparse.Namespace) -> dict[str, Any]:
    now = datetime.now(UTC).replace(microsecond=0)
    specs = task_specs(args.tasks, now)
    with sandbox_process() as base:
        async with httpx.AsyncClient(base_url=base, timeout=30.0) as sim:
            await prepare_sandbox(sim, args)
            progress(f"baseline: {args.baseline_tasks} tasks, one request at a time, a new client per call")
            baseline = await measure_baseline(base, specs[: args.baseline_tasks])
            baseline |= await sandbox_counts(sim)
            baseline["duplicate_bookings"] = None  # the naive loop keeps no record to check against
            await prepare_sandbox(sim, args)
            progress(f"engine: {args.tasks} tasks, {args.concurrency} at a time")
            engine = await measure_engine(base, specs, args, now)
            engine |= await sandbox_counts(sim)
            engine["duplicate_bookings"] = duplicates(engine.pop("bookings"), engine.pop("hire_bookings"))
            baseline["bookings"] = len(baseline["bookings"])
    ratio = engine["hires_per_s"] / baseline["hires_per_s"] if baseline["hires_per_s"] else float("inf")
    return {
        "settings": {
            "tasks": args.tasks, "latency_ms": args.latency_ms, "concurrency": args.concurrency,
            "write_limit": args.write_limit, "read_limit": args.read_limit, "window_seconds": args.window_seconds,
        },
        "baseline": baseline, "engine": engine, "ratio": round(ratio, 2), "target_ratio": TARGET_RATIO,
    }  # fmt: skip


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def print_table(result: dict[str, Any]) -> None:
    s = result["settings"]
    print(
        f"{s['tasks']} pending tasks, {s['latency_ms']} ms injected latency, rate limits on: {s['write_limit']} writes"
        f" and {s['read_limit']} reads per {s['window_seconds']} s window"
    )
    print(f"{'':10} {'tasks':>6} {'hired':>6} {'seconds':>8} {'hires/s':>8} {'429s':>5} {'dup. bookings':>14}")
    for name in ("baseline", "engine"):
        r = result[name]
        print(
            f"{name:10} {r['tasks']:>6} {r['hired']:>6} {r['seconds']:>8.2f} {r['hires_per_s']:>8.2f}"
            f" {r['rate_limited']:>5} {'n/a' if r['duplicate_bookings'] is None else r['duplicate_bookings']:>14}"
        )
    verdict = "meets" if result["ratio"] >= result["target_ratio"] else "MISSES"
    print(f"engine / baseline: {result['ratio']:.1f}x ({verdict} the {result['target_ratio']:.0f}x target)")
    if result["engine"]["first_errors"]:
        print("engine errors (first 3):", *result["engine"]["first_errors"], sep="\n  ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--write-limit", type=int, default=50, help="writes per window and key")
    parser.add_argument("--read-limit", type=int, default=100, help="reads per window and key")
    parser.add_argument("--window-seconds", type=int, default=1)
    parser.add_argument("--baseline-tasks", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(run(args))
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        print_table(result)


if __name__ == "__main__":
    main()
