"""The health of calendar feeds: is each one read on time, failing, stale, or holding a change back?"""

from __future__ import annotations

import enum
from datetime import datetime

from pydantic import BaseModel

from domain.errors import ConfigurationError, Conflict, InvalidInput, NotFound
from domain.events import EventKind
from domain.feeds import HOLD_CONFIRMATIONS, HOLD_SPAN, Feed, FeedFetch, FeedOptions, FetchOutcome, Platform
from domain.hosts import Role
from domain.ports import UnitOfWork
from domain.properties import Property
from domain.reservations import ReservationStatus
from tools.context import ToolContext, audit, record_event
from tools.feed_preview import FeedPreview, preview_snapshot
from tools.registry import tool
from tools.scope import READERS, host_properties, owned_feed, owned_property

RECENT_FETCHES = 5
HELD_LOOKBACK = 100  # fetches searched for the reason of a hold when failures came after it


class FeedStatus(enum.StrEnum):
    """One word per feed. The first that applies wins, so the word names what to look at first:

    - never_fetched: no fetch was tried yet.
    - failing: fetches failed since the last good one (`consecutive_failures` > 0; see `last_error`).
    - stale: no good fetch for 6 h or more although none failed (the pipeline is not running, or a hold drags on).
    - held: a change (an empty calendar, a mass drop) waits until enough identical fetches confirm it.
    - ok: the last fetch was good.
    """

    NEVER_FETCHED = "never_fetched"
    FAILING = "failing"
    STALE = "stale"
    HELD = "held"
    OK = "ok"


class FeedOut(BaseModel):
    id: str
    property_id: str
    platform: Platform
    url: str  # redacted: the path and query of a feed URL are its access token

    @classmethod
    def of(cls, feed: Feed) -> FeedOut:
        return cls(id=feed.id, property_id=feed.property_id, platform=feed.platform, url=feed.redacted_url)


def feed_status(feed: Feed, now: datetime) -> FeedStatus:
    health = feed.health
    if health.last_attempt_at is None:
        return FeedStatus.NEVER_FETCHED
    if health.consecutive_failures:
        return FeedStatus.FAILING
    if health.is_stale(now):
        return FeedStatus.STALE
    if health.holding:
        return FeedStatus.HELD
    return FeedStatus.OK


class FetchOut(BaseModel):
    at: datetime
    outcome: FetchOutcome  # applied, unchanged, held, confirmed or failed
    event_count: int
    new: int
    changed: int
    cancelled: int
    error: str
    held_reason: str

    @classmethod
    def of(cls, fetch: FeedFetch) -> FetchOut:
        return cls(
            at=fetch.at, outcome=fetch.outcome, event_count=fetch.event_count, new=fetch.new, changed=fetch.changed,
            cancelled=fetch.cancelled, error=fetch.error, held_reason=fetch.held_reason,
        )  # fmt: skip


class HoldOut(BaseModel):
    """A change on hold: applied once `fetches_needed` identical fetches span `min_span_minutes`."""

    since: datetime
    fetches_seen: int
    fetches_needed: int
    min_span_minutes: int
    reason: str  # why it is held, from the latest held fetch ("" when that fetch is too far back)


class FeedHealthOut(BaseModel):
    feed_id: str
    property_id: str
    property_name: str
    platform: Platform
    url: str  # redacted: the path and query of a feed URL are its access token
    status: FeedStatus
    last_success_at: datetime | None
    last_attempt_at: datetime | None
    next_fetch_at: datetime | None
    consecutive_failures: int
    last_error: str
    stale: bool
    hold: HoldOut | None
    recent_fetches: list[FetchOut]  # newest first

    @classmethod
    def of(
        cls, feed: Feed, prop: Property, now: datetime, hold: HoldOut | None, fetches: list[FeedFetch]
    ) -> FeedHealthOut:
        health = feed.health
        return cls(
            feed_id=feed.id, property_id=prop.id, property_name=prop.name, platform=feed.platform,
            url=feed.redacted_url, status=feed_status(feed, now), last_success_at=health.last_success_at,
            last_attempt_at=health.last_attempt_at, next_fetch_at=health.next_fetch_at,
            consecutive_failures=health.consecutive_failures, last_error=health.last_error,
            stale=health.is_stale(now), hold=hold, recent_fetches=[FetchOut.of(f) for f in fetches],
        )  # fmt: skip


@tool(secret_args=("url",))
async def add_feed(
    ctx: ToolContext,
    *,
    property_id: str,
    url: str,
    platform: Platform = Platform.AIRBNB,
    blocks_are_bookings: bool = False,
    honour_event_times: bool = False,
    dtend_is_last_night: bool = False,
) -> FeedOut:
    """Connect a calendar feed (iCal export URL) to a property.

    Args:
        property_id: the property the calendar belongs to.
        url: the iCal export URL; a secret, never shown back in full.
        platform: airbnb, vrbo, booking or generic.
        blocks_are_bookings: treat closed dates as stays (Booking.com, some PMS exports); a closed range
            that mirrors a reservation of another feed of the property still makes no second set of tasks.
        honour_event_times: use the check-in/out times the feed's events carry (Guesty, Hospitable, Hostaway).
        dtend_is_last_night: the feed's end date is the last night, not the checkout day (some PMS exports).
    """
    ctx.actor.require(Role.OWNER)
    if not url.startswith(("http://", "https://")):
        raise InvalidInput("A feed URL must start with http:// or https://.")
    async with ctx.deps.uow() as uow:
        prop = await owned_property(uow, ctx, property_id)
        feed = Feed(
            id=ctx.deps.ids.new_id("feed"),
            property_id=prop.id,
            platform=platform,
            url=url,
            created_at=ctx.deps.clock.now(),
            options=FeedOptions(
                blocks_are_bookings=blocks_are_bookings,
                honour_event_times=honour_event_times,
                dtend_is_last_night=dtend_is_last_night,
            ),
        )
        await uow.feeds.add(feed)
        await audit(uow, ctx, "add_feed", {"property_id": prop.id, "platform": platform.value}, feed.id)
        await uow.commit()
    return FeedOut.of(feed)


@tool(read_only=True)
async def feed_health(ctx: ToolContext, *, property_id: str | None = None) -> list[FeedHealthOut]:
    """Show how each calendar feed of the host is doing: its status, last good fetch, failures,
    any change held back for confirmation, and its last 5 fetches. Feed URLs are shown redacted.

    The status is the first that applies: never_fetched, failing (fetches failed since the last good
    one), stale (no good fetch for 6 h), held (a change waits for confirming fetches), ok.

    Args:
        property_id: only this property's feeds; leave it out for every feed of the host.
    """
    ctx.actor.require(*READERS)
    now = ctx.deps.clock.now()
    found: list[FeedHealthOut] = []
    async with ctx.deps.uow() as uow:
        for prop in await host_properties(uow, ctx, property_id):
            for feed in await uow.feeds.list_for_property(prop.id):
                fetches = await uow.fetches.list_for_feed(feed.id, limit=RECENT_FETCHES)
                hold = await _hold(uow, feed, fetches)
                found.append(FeedHealthOut.of(feed, prop, now, hold, fetches))
    return found


async def _hold(uow: UnitOfWork, feed: Feed, recent: list[FeedFetch]) -> HoldOut | None:
    since = feed.health.held_since
    if since is None:
        return None

    def latest_held(fetches: list[FeedFetch]) -> FeedFetch | None:
        return next((f for f in fetches if f.outcome is FetchOutcome.HELD and f.at >= since), None)

    held = latest_held(recent)
    if held is None and len(recent) == RECENT_FETCHES:
        held = latest_held(await uow.fetches.list_for_feed(feed.id, limit=HELD_LOOKBACK))
    return HoldOut(
        since=since,
        fetches_seen=feed.health.held_count,
        fetches_needed=HOLD_CONFIRMATIONS,
        min_span_minutes=int(HOLD_SPAN.total_seconds() // 60),
        reason=held.held_reason if held else "",
    )


class SyncNowOut(BaseModel):
    feeds: int  # feeds read
    counts: dict[str, int]  # failed, held, new, changed, cancelled, tasks_created, tasks_rescheduled ...
    health: list[FeedHealthOut]  # each feed read, after the sync


@tool(idempotent=True, open_world=True)
async def sync_now(ctx: ToolContext, *, property_id: str | None = None, feed_id: str | None = None) -> SyncNowOut:
    """Read calendar feeds now instead of waiting for the next scheduled sync, then plan the tasks.
    The usual safety rules apply: a broken or suddenly empty feed changes nothing until confirmed.

    Args:
        property_id: only this property's feeds.
        feed_id: only this feed.
    """
    ctx.actor.require(Role.OWNER, Role.APPROVER)
    if ctx.deps.refresh is None:
        raise ConfigurationError("Syncing on demand is not available in this process.")
    async with ctx.deps.uow() as uow:
        feeds = [
            f for p in await host_properties(uow, ctx, property_id) for f in await uow.feeds.list_for_property(p.id)
        ]
    if feed_id is not None:
        feeds = [f for f in feeds if f.id == feed_id]
        if not feeds:
            raise NotFound("feed", feed_id)
    counts = await ctx.deps.refresh(ctx.deps, [f.id for f in feeds]) if feeds else {}
    async with ctx.deps.uow() as uow:
        await audit(uow, ctx, "sync_now", {"property_id": property_id, "feed_id": feed_id}, str(counts))
        await uow.commit()
    read = {f.id for f in feeds}
    health = [h for h in await feed_health(ctx, property_id=property_id) if h.feed_id in read]
    return SyncNowOut(feeds=len(feeds), counts=counts, health=health)


@tool(read_only=True, open_world=True, secret_args=("url",))
async def preview_feed(
    ctx: ToolContext, *, url: str | None = None, feed_id: str | None = None, platform: Platform | None = None
) -> FeedPreview:
    """Preview a calendar feed without storing anything: the stays, blocks and unrecognised events the
    sync would see, with any problems. Use it before add_feed, or to check a connected feed.

    Args:
        url: an iCal export URL to try (a secret: never shown back in full).
        feed_id: a connected feed to read instead of a URL.
        platform: airbnb, vrbo, booking or generic (default: the feed's own, or airbnb for a URL).
    """
    ctx.actor.require(Role.OWNER)
    if (url is None) == (feed_id is None):
        raise InvalidInput("Give either a feed URL or a feed_id.")
    options = None
    if feed_id is not None:
        async with ctx.deps.uow() as uow:
            feed, _ = await owned_feed(uow, ctx, feed_id)
        url, platform, options = feed.url, platform or feed.platform, feed.options
    assert url is not None
    if not url.startswith(("http://", "https://")):
        raise InvalidInput("A feed URL must start with http:// or https://.")
    snapshot = await ctx.deps.fetcher.fetch(url)
    return preview_snapshot(snapshot, platform or Platform.AIRBNB, options)


@tool(destructive=True)
async def remove_feed(ctx: ToolContext, *, feed_id: str, force: bool = False) -> FeedHealthOut:
    """Disconnect a calendar feed. The stays it brought in go with it, and on the next pass their open
    tasks (and any bookings for them) are cancelled; so a feed with upcoming stays is only removed with
    force. Replacing a feed's URL? Add the new feed first, then remove the old one.

    Args:
        feed_id: the feed to remove.
        force: remove it even though it still has upcoming stays.
    """
    ctx.actor.require(Role.OWNER)
    now = ctx.deps.clock.now()
    async with ctx.deps.uow() as uow:
        feed, prop = await owned_feed(uow, ctx, feed_id)
        today = now.astimezone(prop.zone).date()
        upcoming = [
            r for r in await uow.reservations.list_for_feed(feed.id)
            if r.check_out >= today and r.status in (ReservationStatus.CONFIRMED, ReservationStatus.TENTATIVE)
        ]  # fmt: skip
        if upcoming and not force:
            first = min(upcoming, key=lambda r: r.check_in)
            raise Conflict(
                f"This feed still brings {len(upcoming)} upcoming stay(s), the first from {first.check_in}; "
                "removing it cancels their tasks. Pass force to remove it anyway."
            )
        out = FeedHealthOut.of(feed, prop, now, None, [])
        await uow.feeds.delete(feed.id)
        await uow.properties.set_planned_on(prop.id, None)  # plan again without its stays
        text = f"Feed {feed.platform.value} ({feed.redacted_url}) removed from {prop.name}"
        await record_event(
            ctx.deps, uow, EventKind.FEED_REMOVED, prop, feed.id, f"{text}: {len(upcoming)} upcoming stay(s)."
        )
        await audit(uow, ctx, "remove_feed", {"feed_id": feed_id, "force": force}, text)
        await uow.commit()
    return out
