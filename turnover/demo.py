"""`turnover demo`: the whole pipeline on the embedded default, with nothing to install or sign up for.

A fresh SQLite database in a temporary data directory; two properties in different cities and
timezones whose synthetic Airbnb, VRBO and Booking.com calendars are served over local HTTP (the
Lisbon loft splits its stays between Airbnb and VRBO, and Booking.com shows them all as closed
ranges: one stay, one clean); restocks and pre-arrival inspections planned by the property's rules;
the RentAHuman sandbox with seeded workers; console notifications. Every count comes from the real
pipeline.
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

import httpx

from channels.console.notifier import ConsoleNotifier
from channels.console.tables import approvals_table, hires_table, reservations_table, tasks_table
from domain.feeds import Platform
from domain.hires import HireStatus
from integrations.calendars.feed_server import FeedServer
from integrations.calendars.synthetic import BlockSpec, airbnb_calendar, booking_calendar, demo_stays, vrbo_calendar
from integrations.rentahuman.sandbox.server import SandboxServer
from scheduler.pipeline import PipelineReport, run_pipeline
from scheduler.runner import run_forever
from tools.context import AppDeps, ToolContext
from tools.feeds import add_feed
from tools.hosts import ensure_local_owner
from tools.properties import add_property
from turnover.bootstrap import bootstrap
from turnover.settings import Settings, load_settings

COUNTED_HIRES = frozenset({HireStatus.BOOKED, HireStatus.CONFIRMED, HireStatus.IN_PROGRESS, HireStatus.COMPLETED})


@dataclass(frozen=True, slots=True)
class DemoProperty:
    name: str
    city: str
    timezone: str
    cleaning_budget: Decimal
    auto_approve_limit: Decimal
    feeds: tuple[tuple[Platform, str], ...]
    restock_every_stays: int | None = None
    inspection_after_vacant_days: int | None = None
    address: str = ""  # synthetic; private: only ever sent to a confirmed worker
    access_notes: str = ""


DEMO_PROPERTIES = (
    DemoProperty("Alfama loft", "Lisbon", "Europe/Lisbon", Decimal("90"), Decimal("120"),
                 ((Platform.AIRBNB, "/alfama/airbnb.ics"), (Platform.VRBO, "/alfama/vrbo.ics"),
                  (Platform.BOOKING, "/alfama/booking.ics")), restock_every_stays=4,
                 address="Rua dos Remédios 1, Lisboa (demo)", access_notes="Key box by the door, code 0000 (demo)"),
    DemoProperty("East Austin bungalow", "Austin", "America/Chicago", Decimal("110"), Decimal("60"),
                 ((Platform.AIRBNB, "/austin/airbnb.ics"),), inspection_after_vacant_days=3,
                 address="1 Demo St, Austin TX (demo)", access_notes="Smart lock, code sent per stay (demo)"),
)  # fmt: skip


def publish_feeds(server: FeedServer, now: datetime) -> None:
    """Write the synthetic calendars: Alfama splits its stays between Airbnb and VRBO."""
    for index, prop in enumerate(DEMO_PROPERTIES):
        today = now.astimezone(ZoneInfo(prop.timezone)).date()
        stays = demo_stays(today, seed=index + 1, days=45)
        block = BlockSpec(uid=f"demo-block-{index}", start=stays[-1].check_out + timedelta(days=2),
                          end=stays[-1].check_out + timedelta(days=5))  # fmt: skip
        if len(prop.feeds) == 3:
            airbnb, vrbo = stays[0::2], stays[1::2]
            server.set(prop.feeds[0][1], airbnb_calendar(airbnb, [block], stamp=now, listing_seed=prop.name))
            server.set(prop.feeds[1][1], vrbo_calendar(vrbo, [], stamp=now))
            closed = [BlockSpec(s.uid, s.check_in, s.check_out) for s in stays]  # what the channel sync closed
            server.set(prop.feeds[2][1], booking_calendar(closed, stamp=now, listing_seed=prop.name))
        else:
            server.set(prop.feeds[0][1], airbnb_calendar(stays, [block], stamp=now, listing_seed=prop.name))


async def seed_properties(deps: AppDeps, feeds: FeedServer) -> ToolContext:
    actor = await ensure_local_owner(deps, name="Demo host", timezone="Europe/Lisbon")
    ctx = ToolContext(deps, actor)
    for demo in DEMO_PROPERTIES:
        prop = await add_property(
            ctx, name=demo.name, city=demo.city, timezone=demo.timezone,
            cleaning_budget=demo.cleaning_budget, auto_approve_limit=demo.auto_approve_limit,
            restock_every_stays=demo.restock_every_stays,
            inspection_after_vacant_days=demo.inspection_after_vacant_days,
            address=demo.address, access_notes=demo.access_notes,
        )  # fmt: skip
        for platform, path in demo.feeds:
            await add_feed(ctx, property_id=prop.id, url=feeds.url(path), platform=platform)
    return ctx


async def counts(deps: AppDeps, host_id: str, notifier: ConsoleNotifier) -> dict[str, int]:
    async with deps.uow() as uow:
        reservations = [r for r in await uow.reservations.list_for_host(host_id, limit=10_000) if r.is_active]
        tasks = await uow.tasks.list_for_host(host_id, limit=10_000)
        hires = [h for h in await uow.hires.list_for_host(host_id) if h.status in COUNTED_HIRES]
    return {"reservations": len(reservations), "tasks": len(tasks), "hires": len(hires),
            "notifications": len(notifier.sent)}  # fmt: skip


async def print_summary(deps: AppDeps, host_id: str, report: PipelineReport, out: TextIO) -> None:
    async with deps.uow() as uow:
        props = {p.id: p for p in await uow.properties.list_for_host(host_id, limit=200)}
        reservations = [r for r in await uow.reservations.list_for_host(host_id, limit=10_000) if r.is_active]
        tasks = await uow.tasks.list_for_host(host_id, limit=10_000)
        hires = await uow.hires.list_for_host(host_id)
        approvals = await uow.approvals.list_open(host_id)
    by_id = {t.id: t for t in tasks}
    booked = [h for h in hires if h.status in COUNTED_HIRES]
    sections = [
        (f"Reservations ({len(reservations)})", reservations_table(reservations, props)),
        (f"Tasks ({len(tasks)})", tasks_table(tasks, props)),
        (f"Hires booked ({len(booked)})", hires_table(booked, by_id, props)),
        (
            f"Approvals waiting for a person ({len(approvals)})",
            approvals_table(approvals, {h.id: h for h in hires}, by_id, props),
        ),
    ]
    for title, body in sections:
        print(f"\n== {title}\n{body}", file=out)
    problems = report.sync.errors + report.hire.errors + report.track.errors + report.notify.errors
    for problem in problems:
        print(f"! {problem}", file=out)


async def run_demo(*, once: bool, as_json: bool) -> int:
    base = load_settings()
    now = base.now or datetime.now(UTC)
    out = sys.stderr if as_json else sys.stdout
    notifier = ConsoleNotifier(None if as_json else out, timezone="Europe/Lisbon")
    with contextlib.ExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="turnover-demo-")))
        settings = Settings(**(base.model_dump() | {"data_dir": data_dir, "database_url": None, "now": base.now,
                                                    "rentahuman_api_key": None}))  # fmt: skip
        sandbox = stack.enter_context(SandboxServer(seed=7))
        feeds = stack.enter_context(FeedServer())
        publish_feeds(feeds, now)
        _set_sandbox_clock(sandbox.base_url, now)
        if not as_json:
            print(f"Turnover demo: data in {data_dir}, RentAHuman sandbox at {sandbox.base_url}", file=out)
            print("\nNotifications as they are sent:", file=out)
        async with bootstrap(settings, notifier=notifier, sandbox_url=sandbox.base_url) as app:
            ctx = await seed_properties(app.deps, feeds)
            report = await run_pipeline(app.deps, force_sync=True)
            if as_json:
                print(json.dumps(await counts(app.deps, ctx.actor.host_id, notifier)))
                return 0
            await print_summary(app.deps, ctx.actor.host_id, report, out)
            if once:
                return 0
            print(f"\nThe scheduler ticks every {settings.tick_seconds} s; Ctrl-C stops the demo.", file=out)
            clock = app.deps.clock

            async def follow_clock() -> None:  # the sandbox's workers move on the app's time
                async with httpx.AsyncClient(timeout=5) as http:
                    await http.post(f"{sandbox.base_url}/_sim/clock", json={"now": clock.now().isoformat()})

            await run_forever(app.deps, every_seconds=settings.tick_seconds, before_pass=follow_clock)
    return 0


def _set_sandbox_clock(base_url: str, now: datetime) -> None:
    httpx.post(f"{base_url}/_sim/clock", json={"now": now.isoformat()}, timeout=5).raise_for_status()
