"""The health of calendar feeds: is each one read on time, failing, stale, or holding a change back?"""

from __future__ import annotations

import enum
from datetime import datetime

from pydantic import BaseModel

from domain.errors import NotFound
from domain.feeds import HOLD_CONFIRMATIONS, HOLD_SPAN, Feed, FeedFetch, FetchOutcome, Platform
from domain.hosts import Role
from domain.ports import UnitOfWork
from domain.properties import Property
from tools.context import ToolContext
from tools.registry import tool

READERS = (Role.OWNER, Role.APPROVER, Role.VIEWER)
RECENT_FETCHES = 5
HELD_LOOKBACK = 100  # fetches searched for the reason of a hold when failures came after it
PAGE = 200


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
        for prop in await _properties(uow, ctx, property_id):
            for feed in await uow.feeds.list_for_property(prop.id):
                fetches = await uow.fetches.list_for_feed(feed.id, limit=RECENT_FETCHES)
                hold = await _hold(uow, feed, fetches)
                found.append(FeedHealthOut.of(feed, prop, now, hold, fetches))
    return found


async def _properties(uow: UnitOfWork, ctx: ToolContext, property_id: str | None) -> list[Property]:
    if property_id is not None:
        prop = await uow.properties.get(property_id)
        if prop is None or prop.host_id != ctx.actor.host_id:
            raise NotFound("property", property_id)
        return [prop]
    props: list[Property] = []
    while True:
        page = await uow.properties.list_for_host(ctx.actor.host_id, limit=PAGE, offset=len(props))
        props += page
        if len(page) < PAGE:
            return props


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
