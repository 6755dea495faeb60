"""Pipeline step 1: fetch every due feed and reconcile it (rules in `domain.sync`)."""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Collection, Coroutine
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain.calendar import CalendarEvent, FeedSnapshot, events_hash
from domain.errors import Conflict, NotFound
from domain.events import EventKind
from domain.feeds import STALE_AFTER, Feed, FeedFetch, FetchOutcome
from domain.ports import UnitOfWork
from domain.properties import Property
from domain.reservations import Block, Reservation, ReservationStatus
from domain.sync import FeedDiff, StaySpec, event_dates, is_window_block, reconcile
from tools.context import AppDeps, record_event

ALERT_AFTER_FAILURES = 3
FETCH_CONCURRENCY = 16
UNCHANGED_BATCH = 64  # unchanged fetches recorded per commit


@dataclass(slots=True)
class SyncReport:
    feeds: int = 0
    failed: int = 0
    held: int = 0
    new: int = 0
    changed: int = 0
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)  # "<property>: <reason>", never a URL


def _next_fetch(deps: AppDeps, feed: Feed, now: datetime) -> datetime:
    """The normal interval with a stable per-feed jitter of ±10% (so feeds spread out), or after a
    failure an exponential backoff (1, 2, 4 ... minutes) capped at the normal interval."""
    interval = timedelta(minutes=deps.config.sync_interval_minutes)
    failures = feed.health.consecutive_failures
    if failures == 0:
        jitter = (zlib.crc32(feed.id.encode()) % 2001 - 1000) / 10_000
        return now + interval * (1 + jitter)
    return now + min(interval, timedelta(minutes=2 ** min(failures - 1, 16)))


async def sync_feeds(deps: AppDeps, *, force: bool = False, feed_ids: Collection[str] | None = None) -> SyncReport:
    """Fetch the feeds that are due (all of them with `force`; only `feed_ids` when given) and reconcile
    each in its own commit.

    Fetches run FETCH_CONCURRENCY at a time while the results are applied one by one as they come
    in; a fetch holds its slot until its result is taken, so memory stays bounded by the concurrency
    however many feeds there are. Feeds that count blocks as bookings go second, so a stay they
    only reflect is already known from its real reservation (rule 20).
    """
    now = deps.clock.now()
    async with deps.uow() as uow:
        feeds = [
            f
            for f in await uow.feeds.list_all()
            if (feed_ids is None or f.id in feed_ids)
            and (force or f.health.next_fetch_at is None or f.health.next_fetch_at <= now)
        ]
        zones = {p.id: p.zone for p in await uow.properties.list_all()}
    report = SyncReport(feeds=len(feeds))
    for batch in (
        [f for f in feeds if not f.options.blocks_are_bookings],
        [f for f in feeds if f.options.blocks_are_bookings],
    ):
        await _fetch_and_apply(deps, batch, zones, now, report)
    return report


async def _fetch_and_apply(
    deps: AppDeps, feeds: list[Feed], zones: dict[str, ZoneInfo], now: datetime, report: SyncReport
) -> None:
    limit = asyncio.Semaphore(FETCH_CONCURRENCY)
    results: asyncio.Queue[tuple[Feed, FeedSnapshot]] = asyncio.Queue(maxsize=FETCH_CONCURRENCY)

    async def fetch(feed: Feed) -> None:
        async with limit:
            known = _known_digest(feed, now, zones.get(feed.property_id))
            await results.put((feed, await deps.fetcher.fetch(feed.url, known_digest=known)))

    unchanged: list[tuple[Feed, FeedSnapshot]] = []
    async with asyncio.TaskGroup() as group:
        for feed in feeds:
            group.create_task(fetch(feed))
        for _ in feeds:
            feed, snapshot = await results.get()
            if snapshot.same_as_before:
                unchanged.append((feed, snapshot))
                if len(unchanged) >= UNCHANGED_BATCH:
                    await _apply_unchanged(deps, unchanged)
                    unchanged = []
            else:
                await _apply_concurrently_safe(_apply_fetch(deps, feed.id, snapshot, report), report)
    await _apply_concurrently_safe(_apply_unchanged(deps, unchanged), report)


async def _apply_concurrently_safe(step: Coroutine[Any, Any, None], report: SyncReport) -> None:
    """Apply, unless a concurrent run (PostgreSQL) wrote the same rows first: then nothing of this step
    was saved, the feed stays due, and the next pass reads it again against what that run stored."""
    try:
        await step
    except Conflict:
        report.errors.append("a feed was being applied by another run at the same time; read again next pass")


def _known_digest(feed: Feed, now: datetime, zone: ZoneInfo | None) -> str:
    """The digest an unchanged body may be skipped against: only for a feed trusted today, not holding.

    Once a day in the property's zone every feed is parsed and reconciled in full, since what a
    calendar means (window blocks, the horizon) moves with the date even when its text does not.
    """
    health = feed.health
    if zone is None or health.holding or health.last_success_at is None or not health.last_body_digest:
        return ""
    if health.last_success_at.astimezone(zone).date() != now.astimezone(zone).date():
        return ""
    return health.last_body_digest


async def _apply_fetch(deps: AppDeps, feed_id: str, snapshot: FeedSnapshot, report: SyncReport) -> None:
    now = deps.clock.now()
    async with deps.uow() as uow:
        feed = await uow.feeds.get(feed_id)
        prop = await uow.properties.get(feed.property_id) if feed else None
        if feed is None or prop is None:
            return  # removed while we were fetching
        if snapshot.ok:
            fetch = await _reconcile(deps, uow, feed, prop, snapshot, now, report)
        else:
            await _record_failure(deps, uow, feed, prop, snapshot.error, now)
            report.failed += 1
            report.errors.append(f"{prop.name}: {snapshot.error}")
            fetch = FeedFetch(deps.ids.new_id("fx"), feed.id, now, FetchOutcome.FAILED, error=snapshot.error)
            # rule 2: an empty body counts toward confirming an empty calendar
            counted = None
            if snapshot.empty_body:
                counted = await _reconcile(deps, uow, feed, prop, FeedSnapshot(), now, report, only_if_held=True)
            fetch = replace(counted, error=snapshot.error) if counted is not None else fetch
        if fetch is not None:
            await uow.fetches.add(replace(fetch, body_sha256=snapshot.body_sha256))
        if feed.health.is_stale(now) and not feed.health.stale_alerted:
            feed.health.stale_alerted = True
            hours = int(STALE_AFTER.total_seconds() // 3600)
            message = f"The {feed.platform.value} calendar of {prop.name} has not been read for {hours} h or more."
            await record_event(deps, uow, EventKind.FEED_UNHEALTHY, prop, feed.id, message)
        feed.health.next_fetch_at = _next_fetch(deps, feed, now)
        await uow.feeds.update(feed)
        await uow.commit()


async def _apply_unchanged(deps: AppDeps, items: list[tuple[Feed, FeedSnapshot]]) -> None:
    """Record fetches whose body equals the last trusted one (DTSTAMP aside): good fetches that change
    nothing, so only the feeds' health and the audit are written, many per commit."""
    if not items:
        return
    now = deps.clock.now()
    fetches: list[FeedFetch] = []
    async with deps.uow() as uow:
        for feed, snapshot in items:
            health = feed.health
            if health.holding or snapshot.body_digest != health.last_body_digest:
                continue  # changed since it was listed (another run): it stays due and is read in full
            health.record_success(now, health.last_content_hash, snapshot.body_digest, health.last_event_count)
            health.next_fetch_at = _next_fetch(deps, feed, now)
            try:
                await uow.feeds.update_health(feed)
            except NotFound:
                continue  # removed while we were fetching
            fetch = FeedFetch(deps.ids.new_id("fx"), feed.id, now, FetchOutcome.UNCHANGED, snapshot.body_sha256,
                              health.last_content_hash, health.last_event_count)  # fmt: skip
            fetches.append(fetch)
        await uow.fetches.add_many(fetches)
        await uow.commit()


async def _reconcile(
    deps: AppDeps,
    uow: UnitOfWork,
    feed: Feed,
    prop: Property,
    snapshot: FeedSnapshot,
    now: datetime,
    report: SyncReport,
    *,
    only_if_held: bool = False,
) -> FeedFetch | None:
    """Apply a trusted fetch; hold an untrusted one until the same result is seen often enough.

    Returns the audit record of the decision (None when a failed fetch confirmed nothing).
    """
    today = now.astimezone(prop.zone).date()
    known = await uow.reservations.list_for_feed(feed.id)
    blocks = await uow.blocks.list_for_feed(feed.id)
    diff = reconcile(feed, snapshot, known, blocks, today, prop.zone)
    content = events_hash(snapshot.events)
    if only_if_held and not diff.held:
        return None  # a failed fetch changes nothing unless it confirms a hold
    fetch = FeedFetch(
        deps.ids.new_id("fx"), feed.id, now, FetchOutcome.APPLIED, events_hash=content,
        event_count=len(snapshot.events), held_reason=diff.held, new=len(diff.new), changed=len(diff.changed),
        cancelled=len(diff.cancelled),
        events=None if content == feed.health.last_content_hash else tuple(map(_event_record, snapshot.events)),
    )  # fmt: skip
    confirmed = bool(diff.held) and feed.health.observe_hold(content, now)
    if diff.held and not confirmed:
        if feed.health.held_count == 1 and not diff.held_quietly:
            message = f"Changes to the {feed.platform.value} calendar of {prop.name} are on hold: {diff.held}."
            await record_event(deps, uow, EventKind.FEED_DIFF_HELD, prop, feed.id, message)
        report.held += 1
        return replace(fetch, outcome=FetchOutcome.HELD)
    if confirmed:
        count, span = feed.health.held_count, now - (feed.health.held_since or now)
        message = (
            f"The {feed.platform.value} calendar of {prop.name} said the same {count} times over "
            f"{span.total_seconds() / 3600:.1f} h, so its held changes are now applied."
        )
        await record_event(deps, uow, EventKind.FEED_DIFF_HELD, prop, feed.id, message)
    quiet = feed.health.last_success_at is None and not confirmed
    await _apply_diff(deps, uow, feed, prop, diff, blocks, now, quiet=quiet)
    if diff.unclassified and content != feed.health.last_content_hash:  # reported once per new content
        await record_event(deps, uow, EventKind.FEED_UNCLASSIFIED, prop, feed.id, _unclassified(feed, prop, diff))
    if not diff.is_empty and prop.planned_on is not None:
        prop.planned_on = None  # its stays changed: plan it again (same commit, so a crash cannot lose it)
        await uow.properties.set_planned_on(prop.id, None)
    report.new += len(diff.new)
    report.changed += len(diff.changed)
    report.cancelled += len(diff.cancelled)
    if only_if_held:
        feed.health.clear_hold()
    else:
        feed.health.record_success(now, content, snapshot.body_digest, len(snapshot.events))
    if confirmed:
        return replace(fetch, outcome=FetchOutcome.CONFIRMED)
    return fetch if fetch.events is not None or not diff.is_empty else replace(fetch, outcome=FetchOutcome.UNCHANGED)


def _event_record(event: CalendarEvent) -> dict[str, str]:
    return {
        "uid": event.uid, "start": event.start.isoformat(), "end": event.end.isoformat(),
        "summary": event.summary, "description": event.description,
    }  # fmt: skip


async def _record_failure(
    deps: AppDeps, uow: UnitOfWork, feed: Feed, prop: Property, error: str, now: datetime
) -> None:
    feed.health.record_failure(now, error)
    if feed.health.consecutive_failures == ALERT_AFTER_FAILURES:
        message = f"The {feed.platform.value} calendar of {prop.name} failed {ALERT_AFTER_FAILURES} times: {error}"
        await record_event(deps, uow, EventKind.FEED_UNHEALTHY, prop, feed.id, message)


def _describe(prop: Property, spec: StaySpec | Reservation) -> str:
    return f"{prop.name}: {spec.check_in:%a %d %b} → {spec.check_out:%a %d %b}"


async def _apply_diff(
    deps: AppDeps,
    uow: UnitOfWork,
    feed: Feed,
    prop: Property,
    diff: FeedDiff,
    blocks: list[Block],
    now: datetime,
    *,
    quiet: bool,
) -> None:
    async def emit(kind: EventKind, subject: str, message: str) -> None:
        if not quiet:
            await record_event(deps, uow, kind, prop, subject, message)

    mirrored, reflected = await _cross_feed(uow, feed, prop, diff) if diff.new else (set(), {})
    added: list[Reservation] = []
    for spec in diff.new:
        reservation = Reservation(
            id=deps.ids.new_id("res"), host_id=prop.host_id, property_id=prop.id, feed_id=feed.id, uid=spec.uid,
            check_in=spec.check_in, check_out=spec.check_out, status=spec.status, first_seen_at=now,
            updated_at=now,
        )  # fmt: skip
        _adopt(reservation, spec, now)
        added.append(reservation)
    await uow.reservations.add_many(added)
    for reservation, spec in zip(added, diff.new, strict=True):
        if quiet or spec.uid in mirrored:  # a first import is one line; a mirror was announced elsewhere
            continue
        first = reflected.get(spec.uid)  # its dates were first seen closed on another platform
        suffix = f", the stay {first} had already closed" if first else ""
        await emit(EventKind.RESERVATION_NEW, reservation.id, f"New booking at {_describe(prop, spec)}{suffix}")
    for reservation, spec in diff.changed:
        # a new UID, phone digits or guest label alone is a silent update (rules 14 and 16)
        visible = (reservation.check_in, reservation.check_out, reservation.status) != (spec.check_in,
                   spec.check_out, spec.status)  # fmt: skip
        before = _describe(prop, reservation) if visible else ""
        _adopt(reservation, spec, now)
        await uow.reservations.update(reservation)
        if visible:
            message = f"Booking changed: {before} is now {_describe(prop, spec)}"
            await emit(EventKind.RESERVATION_CHANGED, reservation.id, message)
    for reservation in diff.out_of_window:
        reservation.status, reservation.updated_at = ReservationStatus.OUT_OF_WINDOW, now
        await uow.reservations.update(reservation)
    for reservation in diff.merged:  # Booking.com merged it into a neighbouring range: not a cancellation
        reservation.status, reservation.updated_at = ReservationStatus.MERGED, now
        await uow.reservations.update(reservation)
    for reservation in diff.cancelled:
        reservation.status, reservation.updated_at = ReservationStatus.CANCELLED, now
        await uow.reservations.update(reservation)
        await emit(
            EventKind.RESERVATION_CANCELLED, reservation.id, f"Booking cancelled: {_describe(prop, reservation)}"
        )
    await _apply_blocks(deps, uow, feed, prop, diff, blocks, now)
    if quiet and (diff.new or diff.blocks):
        counts = f"{_plural(len(diff.new), 'booking')}, {_plural(len(diff.blocks), 'block')}"
        message = f"Imported the {feed.platform.value} calendar of {prop.name}: {counts}."
        await record_event(deps, uow, EventKind.FEED_IMPORTED, prop, feed.id, message)


def _adopt(reservation: Reservation, spec: StaySpec, now: datetime) -> None:
    """Take what the feed now says (dates, status, labels, times) onto the stored reservation."""
    reservation.uid, reservation.check_in, reservation.check_out = spec.uid, spec.check_in, spec.check_out
    reservation.status, reservation.guest, reservation.code = spec.status, spec.guest, spec.code
    reservation.phone_last4, reservation.guests = spec.phone_last4, spec.guests
    reservation.check_in_at, reservation.check_out_at = spec.check_in_at, spec.check_out_at
    reservation.start_clipped, reservation.from_block = spec.start_clipped, spec.from_block
    reservation.updated_at = now


async def _cross_feed(uow: UnitOfWork, feed: Feed, prop: Property, diff: FeedDiff) -> tuple[set[str], dict[str, str]]:
    """How new stays relate to the other feeds of the property (rule 20): the UIDs of blocks counted
    as bookings that overlap a real reservation (mirrors, not news), and for real reservations that
    overlap such a block already announced, the platform that showed it first."""
    feeds = await uow.feeds.list_for_property(prop.id)
    mirrored: set[str] = set()
    reflected: dict[str, str] = {}
    weak_elsewhere = any(f.options.blocks_are_bookings for f in feeds if f.id != feed.id)
    if not weak_elsewhere and not any(spec.from_block for spec in diff.new):
        return mirrored, reflected  # nothing on either side can mirror anything
    platforms = {f.id: f.platform.value for f in feeds}
    others = [r for r in await uow.reservations.list_for_property(prop.id) if r.feed_id != feed.id and r.is_active]
    for spec in diff.new:
        overlapping = [r for r in others if r.overlaps(spec.check_in, spec.check_out)]
        if spec.from_block and any(not r.from_block for r in overlapping):
            mirrored.add(spec.uid)
        elif not spec.from_block and (first := next((r for r in overlapping if r.from_block), None)):
            reflected[spec.uid] = f"on {platforms.get(first.feed_id, 'another platform')}"
    return mirrored, reflected


def _unclassified(feed: Feed, prop: Property, diff: FeedDiff) -> str:
    summaries = sorted({item.event.summary.strip()[:40] or "(empty)" for item in diff.unclassified})
    shown = ", ".join(repr(s) for s in summaries[:3]) + (" …" if len(summaries) > 3 else "")
    return (
        f"{_plural(len(diff.unclassified), 'event')} of the {feed.platform.value} calendar of {prop.name} "
        f"could not be classified and {'was' if len(diff.unclassified) == 1 else 'were'} left out: {shown}. "
        "Check the feed's platform setting."
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


async def _apply_blocks(
    deps: AppDeps, uow: UnitOfWork, feed: Feed, prop: Property, diff: FeedDiff, known: list[Block], now: datetime
) -> None:
    existing = {b.uid: b for b in known}
    today = now.astimezone(prop.zone).date()
    for gone in diff.removed_blocks:
        await uow.blocks.delete(gone.id)
    added: list[Block] = []
    for item in diff.blocks:
        start, end = event_dates(item.event, prop.zone)
        summary, window = item.event.summary, is_window_block(item, today)
        block = existing.get(item.event.uid)
        if block is None:
            block_id = deps.ids.new_id("blk")
            added.append(Block(block_id, prop.id, feed.id, item.event.uid, start, end, summary, now, window))
        elif (block.start, block.end, block.summary, block.window) != (start, end, summary, window):
            block.start, block.end, block.summary, block.window, block.updated_at = start, end, summary, window, now
            await uow.blocks.update(block)
    await uow.blocks.add_many(added)
