"""Calendar sync at scale: a cold sync, an unchanged tick, and the floor of fetching and parsing alone.

Run: .venv/bin/python benchmarks/sync.py [--properties 1000] [--seed 1] [--database URL] [--json]
                                         [--profile FILE] [--profile-tick FILE]

N properties, each with one Airbnb and one VRBO feed, are served over loopback HTTP by a separate
process. The data is synthetic and deterministic from the seed: a year of stays per property (1-5
nights, about a third back-to-back) split between the two platforms; each feed shows its own stays as
reservations and the other platform's as blocks, and Airbnb adds its availability-window block. One run
reports, each part in a fresh process:

  floor  the same fetches with one shared httpx client at the sync's concurrency
         (`scheduler.sync.FETCH_CONCURRENCY`), plus `icalendar.Calendar.from_ical` on each body
  cold   `sync_feeds(force=True)` then `plan_tasks(due_only=True)` (as the pipeline runs them) on an empty store
  tick   20 minutes later (every feed due again), the same events with a new DTSTAMP:
         `sync_feeds` then `plan_tasks(due_only=True)`
  RSS    the peak RSS of the process that ran cold and tick (the floor's own peak for reference)

Targets (at 1,000 properties, 2,000 feeds): cold within 2x the floor, the tick at most 25% of cold, peak
RSS under 300 MB. Setting up the host, properties and feeds through the tools is not timed.

The store is a fresh SQLite file in a temporary directory. `--database sqlite+aiosqlite:///new.db` uses
that (new) file; `--database postgresql+asyncpg://user@host:5432/db` creates a scratch database
`<db>_bench_sync` on that server (dropping a leftover one), runs there and drops it at the end.
`--profile FILE` / `--profile-tick FILE` write a cProfile of the cold sync / the tick, with the profiler's
overhead in that part's times. It sees the main thread only: aiosqlite runs SQLite in its own thread,
which shows up as waiting in epoll; and a coroutine whose SQLAlchemy greenlet is waiting is charged with
whatever other tasks (parsing) ran meanwhile, so trust self times over cumulative ones there.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gc
import json
import multiprocessing
import random
import resource
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from icalendar import Calendar
from sqlalchemy import event, make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from domain.calendar import FeedSnapshot
from domain.events import Event
from domain.feeds import Platform
from domain.hires import BookingRequest, Worker
from domain.ports import BookingState
from integrations.calendars.fetch import HttpFeedFetcher, make_http_client
from integrations.calendars.synthetic import BlockSpec, Stay, airbnb_calendar, demo_stays, vrbo_calendar
from integrations.clock import FrozenClock, UuidIds
from scheduler.plan import plan_tasks
from scheduler.sync import FETCH_CONCURRENCY, sync_feeds
from storage.database import make_engine, prepare_database, sqlite_url
from storage.uow import SqlUnitOfWorkFactory
from tools.context import AppDeps, ToolContext
from tools.feeds import add_feed
from tools.hosts import ensure_local_owner
from tools.properties import add_property

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # the local date is TODAY in every zone below
TICK_AFTER = timedelta(minutes=20)  # past the 15 min interval + 10% jitter: every feed is due again
STAY_DAYS = 360  # stays start within this many days; the window block covers the rest of the year
ZONES = (("Lisbon", "Europe/Lisbon"), ("Berlin", "Europe/Berlin"), ("Austin", "America/Chicago"),
         ("New York", "America/New_York"))  # fmt: skip
TABLES = ("reservations", "blocks", "tasks", "events", "feed_fetches")
TARGET_COLD_OVER_FLOOR = 2.0
TARGET_TICK_OVER_COLD = 0.25
TARGET_RSS_MB = 300.0


# --- the synthetic feeds -----------------------------------------------------------------------


def feed_paths(index: int) -> tuple[str, str]:
    return f"/p{index:05d}/airbnb.ics", f"/p{index:05d}/vrbo.ics"


def feed_urls(base_url: str, properties: int) -> list[str]:
    return [f"{base_url}{path}?s=bench{index}" for index in range(properties) for path in feed_paths(index)]


def split_stays(index: int, seed: int) -> tuple[list[Stay], list[Stay]]:
    """A year of one property's stays, each taken on Airbnb or VRBO at random."""
    stays = demo_stays(TODAY, seed=seed * 100_000 + index, days=STAY_DAYS)
    rng = random.Random(f"bench-sync-{seed}-{index}")
    airbnb: list[Stay] = []
    vrbo: list[Stay] = []
    for stay in stays:
        (airbnb if rng.random() < 0.5 else vrbo).append(stay)
    return airbnb, vrbo


def reflections(stays: Sequence[Stay]) -> list[BlockSpec]:
    """How the other platform shows these stays: as blocked dates."""
    return [BlockSpec(f"sync-{s.uid}", s.check_in, s.check_out) for s in stays]


def feed_bodies(index: int, seed: int, stamp: datetime) -> tuple[bytes, bytes]:
    """The Airbnb and the VRBO body of one property."""
    airbnb, vrbo = split_stays(index, seed)
    listing = f"bench-{seed}-{index}"
    last_out = max(s.check_out for s in airbnb + vrbo)
    window = BlockSpec("window", max(last_out, TODAY + timedelta(days=STAY_DAYS)), TODAY + timedelta(days=366))
    return (
        airbnb_calendar(airbnb, [*reflections(vrbo), window], stamp=stamp, listing_seed=listing),
        vrbo_calendar(vrbo, reflections(airbnb), stamp=stamp, listing_seed=listing),
    )


def dtstamp_line(stamp: datetime) -> bytes:
    return f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}".encode()


# --- the feed server (its own process) ---------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops SYNs when 16 clients connect at once


def serve_feeds(properties: int, seed: int, conn: Connection) -> None:
    """Child process: render every body twice (DTSTAMP at NOW, then NOW + 20 min) and serve them.

    `GET /_bench/version/2` switches every feed to its second body. Sends (port, stats) when ready.
    """
    start = time.perf_counter()
    old, new = dtstamp_line(NOW), dtstamp_line(NOW + TICK_AFTER)
    bodies: dict[str, tuple[bytes, bytes]] = {}
    for index in range(properties):
        for path, body in zip(feed_paths(index), feed_bodies(index, seed, NOW), strict=True):
            bodies[path] = (body, body.replace(old, new))
    version = [0]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a platform's servers do
        disable_nagle_algorithm = True  # headers and body go out in separate writes
        timeout = 60.0

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path.startswith("/_bench/version/"):
                version[0] = int(path.rsplit("/", 1)[1]) - 1
                status, body = 200, b"ok"
            elif path in bodies:
                status, body = 200, bodies[path][version[0]]
            else:
                status, body = 404, b"not found"
            self.send_response(status)
            self.send_header("Content-Type", "text/calendar; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = _Server(("127.0.0.1", 0), Handler)
    first = [pair[0] for pair in bodies.values()]
    stats = {
        "render_s": time.perf_counter() - start,
        "body_mb": sum(map(len, first)) / 2**20,
        "events_per_feed": sum(body.count(b"BEGIN:VEVENT") for body in first) / max(1, len(first)),
        "restamped": all(a != b and len(a) == len(b) for a, b in bodies.values()),
    }
    conn.send((server.server_address[1], stats))
    server.serve_forever()


# --- stand-ins for the ports that sync and plan never call --------------------------------------


class IdleMarketplace:
    @property
    def is_sandbox(self) -> bool:
        return True

    async def search_workers(
        self, *, skill: str, city: str | None = None, max_rate: Decimal | None = None, limit: int = 50
    ) -> list[Worker]:
        return []

    async def create_booking(self, request: BookingRequest) -> BookingState:
        raise AssertionError("the sync benchmark never hires")

    async def get_booking(self, booking_id: str) -> BookingState:
        raise AssertionError("the sync benchmark never hires")

    async def cancel_booking(self, booking_id: str) -> BookingState:
        raise AssertionError("the sync benchmark never hires")


class SilentNotifier:
    async def send(self, event: Event) -> None:
        """Nothing is sent: sync and plan only write the outbox."""


class TimedFetcher:
    """Wraps the real fetcher to see when the last fetch of a round finished and how many were not parsed."""

    def __init__(self, inner: HttpFeedFetcher) -> None:
        self._inner = inner
        self.last_done = 0.0
        self.unparsed = 0

    async def fetch(self, url: str, *, known_digest: str = "") -> FeedSnapshot:
        snapshot = await self._inner.fetch(url, known_digest=known_digest)
        self.last_done = time.perf_counter()
        self.unparsed += snapshot.same_as_before
        return snapshot


class GcTimer:
    """Time spent in the garbage collector (every generation), and how many full collections ran."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.full = 0
        self._started = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.full += info["generation"] == 2

    def take(self) -> dict[str, float]:
        """What was timed since the last `take`."""
        taken = {"gc_s": self.seconds, "full_collections": self.full}
        self.seconds, self.full = 0.0, 0
        return taken

    def close(self) -> None:
        gc.callbacks.remove(self._callback)


class StatementCounter:
    """SQL statements by verb (SELECT, INSERT, SAVEPOINT, ...) and the time spent executing them."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.counts: Counter[str] = Counter()
        self.seconds = 0.0
        self._started = 0.0
        event.listen(engine.sync_engine, "before_cursor_execute", self._before)
        event.listen(engine.sync_engine, "after_cursor_execute", self._after)
        event.listen(engine.sync_engine, "commit", self._commit)

    def _before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.counts[statement.lstrip().split(None, 1)[0].upper()] += 1
        self._started = time.perf_counter()

    def _after(self, *args: Any) -> None:
        self.seconds += time.perf_counter() - self._started

    def _commit(self, conn: Any) -> None:
        self.counts["COMMIT"] += 1

    def take(self) -> dict[str, Any]:
        """What was counted since the last `take`."""
        counts = dict(self.counts.most_common())
        taken = {"total": sum(counts.values()), "by_verb": counts, "execute_s": self.seconds}
        self.counts.clear()
        self.seconds = 0.0
        return taken


# --- the measured process ----------------------------------------------------------------------


@contextlib.asynccontextmanager
async def open_store(database: str | None) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty store: a temporary SQLite file, a new SQLite file, or a PostgreSQL scratch database."""
    if database is None:
        with tempfile.TemporaryDirectory(prefix="turnover-bench-sync-") as tmp:
            async with _engine(sqlite_url(Path(tmp) / "bench.db")) as engine:
                yield engine
        return
    url = make_url(database)
    if url.get_backend_name() == "sqlite":
        async with _engine(database) as engine:
            yield engine
        return
    admin = create_async_engine(url.set(drivername="postgresql+asyncpg"), isolation_level="AUTOCOMMIT")
    scratch = f"{url.database}_bench_sync"
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}"'))
            await conn.execute(text(f'CREATE DATABASE "{scratch}"'))
        try:
            async with _engine(url.set(database=scratch).render_as_string(hide_password=False)) as engine:
                yield engine
        finally:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}"'))
    finally:
        await admin.dispose()


@contextlib.asynccontextmanager
async def _engine(url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(url)
    try:
        await prepare_database(engine)
        yield engine
    finally:
        await engine.dispose()


async def add_properties(deps: AppDeps, urls: Sequence[str]) -> None:
    """Setup through the tools, as a host would do it (not timed)."""
    ctx = ToolContext(deps, await ensure_local_owner(deps, name="Bench host", timezone="Europe/Lisbon"))
    for index in range(len(urls) // 2):
        city, zone = ZONES[index % len(ZONES)]
        prop = await add_property(ctx, name=f"Property {index:05d}", city=city, timezone=zone)
        await add_feed(ctx, property_id=prop.id, url=urls[2 * index], platform=Platform.AIRBNB)
        await add_feed(ctx, property_id=prop.id, url=urls[2 * index + 1], platform=Platform.VRBO)


async def row_counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        counts = {table: (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one() for table in TABLES}
        bodies = text("SELECT count(DISTINCT body_sha256) FROM feed_fetches")
        counts["distinct_bodies"] = (await conn.execute(bodies)).scalar_one()
    return counts


async def timed_round(
    deps: AppDeps, fetcher: TimedFetcher, counter: StatementCounter, *, force: bool, profile: str | None
) -> dict[str, Any]:
    """One sync + plan, timed together and apart, with SQL statements and GC time for each."""
    gc.collect()
    counter.take()
    fetcher.unparsed = 0
    collector = GcTimer()
    profiler = cProfile.Profile() if profile else None
    start, cpu_start = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    synced = await sync_feeds(deps, force=force)
    sync_end, sync_cpu = time.perf_counter(), time.process_time()
    sync_sql, sync_gc = counter.take(), collector.take()
    planned = await plan_tasks(deps, due_only=True)
    end, cpu_end = time.perf_counter(), time.process_time()
    collector.close()
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    return {
        "total_s": end - start,
        "sync_s": sync_end - start,
        "last_fetch_s": fetcher.last_done - start,  # when the last feed was fetched (and parsed)
        "after_last_fetch_s": sync_end - fetcher.last_done,  # applying what was still queued
        "unparsed_feeds": fetcher.unparsed,  # bodies equal to the last trusted one but for DTSTAMP
        "plan_s": end - sync_end,
        "sync_cpu_s": sync_cpu - cpu_start,  # this process, every thread (aiosqlite's too)
        "plan_cpu_s": cpu_end - sync_cpu,
        "sync_sql": sync_sql,
        "plan_sql": counter.take(),
        "sync_gc": sync_gc,
        "plan_gc": collector.take(),
        "sync_report": asdict(synced),
        "plan_report": asdict(planned),
        "profiled": profile is not None,
    }


async def measure_sync(args: argparse.Namespace, base_url: str) -> dict[str, Any]:
    urls = feed_urls(base_url, args.properties)
    clock = FrozenClock(NOW)
    async with open_store(args.database) as engine, make_http_client() as http:
        fetcher = TimedFetcher(HttpFeedFetcher(http))
        deps = AppDeps(uow=SqlUnitOfWorkFactory(engine), clock=clock, ids=UuidIds(), fetcher=fetcher,
                       marketplace=IdleMarketplace(), notifier=SilentNotifier())  # fmt: skip
        setup_start = time.perf_counter()
        await add_properties(deps, urls)
        setup_s = time.perf_counter() - setup_start
        progress(f"setup {setup_s:.1f} s; cold sync + plan ...")
        counter = StatementCounter(engine)
        rss = {"after_setup": peak_rss_mb()}
        cold = await timed_round(deps, fetcher, counter, force=True, profile=args.profile)
        cold["rows"] = await row_counts(engine)
        rss["after_cold"] = peak_rss_mb()
        progress(f"cold {cold['total_s']:.1f} s (sync {cold['sync_s']:.1f}, plan {cold['plan_s']:.1f}); tick ...")
        clock.advance(TICK_AFTER)
        (await http.get(f"{base_url}/_bench/version/2")).raise_for_status()
        tick = await timed_round(deps, fetcher, counter, force=False, profile=args.profile_tick)
        tick["rows"] = await row_counts(engine)
        rss["after_tick"] = peak_rss_mb()
        progress(f"tick {tick['total_s']:.1f} s (sync {tick['sync_s']:.1f}, plan {tick['plan_s']:.1f})")
    return {"database": engine.dialect.name, "setup_s": setup_s, "cold": cold, "tick": tick, "rss_mb": rss}


# --- the floor (its own process) ---------------------------------------------------------------


async def measure_floor(args: argparse.Namespace, base_url: str) -> dict[str, Any]:
    """The same fetches, one shared client, the sync's concurrency; then only `Calendar.from_ical`."""
    urls = feed_urls(base_url, args.properties)

    async def run(parse: bool) -> tuple[float, float, int]:
        limit = asyncio.Semaphore(FETCH_CONCURRENCY)
        async with make_http_client() as client:

            async def one(url: str) -> int:
                async with limit:
                    response = await client.get(url)
                    response.raise_for_status()
                    return len(Calendar.from_ical(response.content).subcomponents) if parse else 0

            gc.collect()
            start, cpu_start = time.perf_counter(), time.process_time()
            parsed = await asyncio.gather(*map(one, urls))
            return time.perf_counter() - start, time.process_time() - cpu_start, sum(parsed)

    floor_s, floor_cpu_s, components = await run(parse=True)
    progress(f"floor {floor_s:.1f} s")
    fetch_s, _, _ = await run(parse=False)
    return {"floor_s": floor_s, "floor_cpu_s": floor_cpu_s, "fetch_only_s": fetch_s, "components": components,
            "rss_mb": peak_rss_mb()}  # fmt: skip


def progress(message: str) -> None:
    """A line on stderr, so that a long run shows where it is (stdout stays the table or the JSON)."""
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    """This process's peak RSS (ru_maxrss, KiB on Linux) in MB.

    On Linux a spawned child's ru_maxrss starts at its launcher's peak; the launcher here only imports
    what the children import and holds nothing large, so it stays below each child's own peak (the
    JSON reports it as `launcher_rss_mb`).
    """
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker(measure: Callable[..., Any], args: argparse.Namespace, base_url: str, conn: Connection) -> None:
    try:
        conn.send(("ok", asyncio.run(measure(args, base_url))))
    except BaseException:
        conn.send(("error", traceback.format_exc()))


def in_fresh_process(ctx: Any, measure: Callable[..., Any], args: argparse.Namespace, base_url: str) -> Any:
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_worker, args=(measure, args, base_url, sender))
    process.start()
    sender.close()
    try:
        status, payload = receiver.recv()
    finally:
        process.join()
    if status != "ok":
        raise SystemExit(f"{measure.__name__} failed:\n{payload}")
    return payload


# --- the report --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    value: float
    limit: float
    unit: str

    @property
    def met(self) -> bool:
        return self.value <= self.limit if self.unit == "x" else self.value < self.limit


def summarise(args: argparse.Namespace, served: dict[str, Any], floor: dict[str, Any], run: dict[str, Any]) -> dict:
    cold, tick = run["cold"], run["tick"]
    peak = max(run["rss_mb"].values())
    targets = [
        Target("cold / floor", cold["total_s"] / floor["floor_s"], TARGET_COLD_OVER_FLOOR, "x"),
        Target("tick / cold", tick["total_s"] / cold["total_s"], TARGET_TICK_OVER_COLD, "x"),
        Target("peak RSS", peak, TARGET_RSS_MB, "MB"),
    ]
    checks = {
        "every body restamped for the tick": served["restamped"],
        "cold fetched every feed": cold["sync_report"]["feeds"] == 2 * args.properties
        and cold["sync_report"]["failed"] == 0,
        "tick fetched every feed": tick["sync_report"]["feeds"] == 2 * args.properties
        and tick["sync_report"]["failed"] == 0,
        "tick saw new bodies, changed nothing": tick["rows"]["distinct_bodies"] == 4 * args.properties
        and not any(tick["sync_report"][k] for k in ("new", "changed", "cancelled", "held"))
        and not any(tick["plan_report"].values()),
    }
    return {
        "properties": args.properties,
        "feeds": 2 * args.properties,
        "seed": args.seed,
        "database": run["database"],
        "fetch_concurrency": FETCH_CONCURRENCY,
        "served": served,
        "setup_s": run["setup_s"],
        "floor_s": floor["floor_s"],
        "floor_cpu_s": floor["floor_cpu_s"],
        "floor_fetch_only_s": floor["fetch_only_s"],
        "cold": cold,
        "tick": tick,
        "ratios": {"cold_over_floor": targets[0].value, "tick_over_cold": targets[1].value},
        "peak_rss_mb": peak,
        "rss_mb": run["rss_mb"],
        "floor_peak_rss_mb": floor["rss_mb"],
        "targets": {t.name: {"value": t.value, "limit": t.limit, "met": t.met} for t in targets},
        "checks": checks,
    }


def _sql(sql: dict[str, Any]) -> str:
    verbs = ", ".join(f"{verb} {n:,}" for verb, n in sql["by_verb"].items())
    return f"{sql['total']:,} ({verbs}); {sql['execute_s']:.2f} s executing"


def print_table(result: dict[str, Any]) -> None:
    served, cold, tick = result["served"], result["cold"], result["tick"]
    print(
        f"Calendar sync: {result['properties']:,} properties, {result['feeds']:,} feeds "
        f"({served['events_per_feed']:.1f} events a feed, {served['body_mb']:.1f} MB of bodies), "
        f"{result['database']}, {result['fetch_concurrency']} fetches at a time"
    )
    if cold["profiled"] or tick["profiled"]:
        print("  (profiled: the profiled part's times include cProfile's overhead)")
    print(f"\n{'':38}{'seconds':>9}")
    floor = f"{'floor: fetch + Calendar.from_ical':38}{result['floor_s']:9.2f}"
    print(f"{floor}   fetch alone {result['floor_fetch_only_s']:.2f}; cpu {result['floor_cpu_s']:.2f}")
    for name, part in (("cold: sync(force) + plan", cold), ("unchanged tick: sync + plan", tick)):
        print(
            f"{name:38}{part['total_s']:9.2f}   sync {part['sync_s']:.2f} (last fetch done at "
            f"{part['last_fetch_s']:.2f}, {part['unparsed_feeds']:,} not parsed), plan {part['plan_s']:.2f}; "
            f"cpu {part['sync_cpu_s']:.2f} + {part['plan_cpu_s']:.2f}"
        )
    print("\nSQL statements (wall time inside cursor.execute: with aiosqlite, the hop to its thread and back); GC")
    for name, part in (("cold", cold), ("tick", tick)):
        for step in ("sync", "plan"):
            collected = part[f"{step}_gc"]
            print(f"  {name} {step}  {_sql(part[f'{step}_sql'])}")
            print(f"  {'':10}gc {collected['gc_s']:.2f} s, {collected['full_collections']} full collections")
    rows = ", ".join(f"{table} {n:,}" for table, n in cold["rows"].items() if table in TABLES)
    print(f"  rows after cold: {rows}")
    rss = result["rss_mb"]
    print(
        f"\npeak RSS of the sync process {result['peak_rss_mb']:.0f} MB (after setup {rss['after_setup']:.0f}, "
        f"after cold {rss['after_cold']:.0f}, after tick {rss['after_tick']:.0f}); "
        f"floor process {result['floor_peak_rss_mb']:.0f} MB"
    )
    print(f"\n{'target':16}{'value':>10}  {'limit':10}")
    for name, target in result["targets"].items():
        if name == "peak RSS":
            value, limit = f"{target['value']:.0f} MB", f"< {target['limit']:g} MB"
        else:
            value, limit = f"{target['value']:.2f}x", f"≤ {target['limit']:g}x"
        print(f"{name:16}{value:>10}  {limit:10}{'met' if target['met'] else 'NOT MET'}")
    if result["properties"] != 1000:
        print("(the targets are set at 1,000 properties)")
    for name, ok in result["checks"].items():
        if not ok:
            print(f"! check failed: {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--properties", type=int, default=1000, help="properties, 2 feeds each (default 1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", help="a new SQLite file or a PostgreSQL server (default: temporary SQLite)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the cold sync + plan to FILE")
    parser.add_argument("--profile-tick", metavar="FILE", help="write a cProfile of the unchanged tick to FILE")
    args = parser.parse_args()
    if args.database and make_url(args.database).get_backend_name() == "sqlite":
        path = make_url(args.database).database
        if path and Path(path).exists():
            parser.error(f"--database: {path} exists; give the path of a new SQLite file")
    ctx = multiprocessing.get_context("spawn")  # fresh interpreters: each peak RSS is that part's own
    launcher_rss = peak_rss_mb()
    receiver, sender = ctx.Pipe(duplex=False)
    server = ctx.Process(target=serve_feeds, args=(args.properties, args.seed, sender), daemon=True)
    server.start()
    sender.close()
    try:
        progress(f"rendering {2 * args.properties:,} feeds ...")
        port, served = receiver.recv()
        progress(f"rendered in {served['render_s']:.1f} s; floor ...")
        base_url = f"http://127.0.0.1:{port}"
        floor = in_fresh_process(ctx, measure_floor, args, base_url)
        run = in_fresh_process(ctx, measure_sync, args, base_url)
    finally:
        server.terminate()
        server.join()
    result = summarise(args, served, floor, run) | {"launcher_rss_mb": launcher_rss}
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
    else:
        print_table(result)


if __name__ == "__main__":
    main()
