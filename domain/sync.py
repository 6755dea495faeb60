"""Reconciling one feed's fetch with what we know, by (feed, UID).

First version of the rules of `calendar-feeds.md` (the sync issue completes them):
a failed fetch changes nothing (the caller never gets here); an empty calendar after a non-empty
one, or a fetch that would cancel more than half (and at least 2) of the future stays, is held;
dates changed under a known UID are updates; absence cancels only a future stay inside the
horizon; past stays are frozen; a returning UID restores the same reservation; blocks are kept
as availability, never as reservations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from domain.calendar import Classified, EventClass, FeedSnapshot, classify
from domain.feeds import Feed
from domain.reservations import Block, Reservation, ReservationStatus

CANCEL_HORIZON_DAYS = 350  # absent beyond this is "out of window", not cancelled
WINDOW_BLOCK_DAYS = 360  # a block reaching this far is the feed's rolling availability window
MASS_DROP_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class StaySpec:
    """A reservation as the feed now describes it."""

    uid: str
    check_in: date
    check_out: date
    status: ReservationStatus
    guest: str
    code: str | None
    phone_last4: str | None


@dataclass(slots=True)
class FeedDiff:
    new: list[StaySpec] = field(default_factory=list)
    changed: list[tuple[Reservation, StaySpec]] = field(default_factory=list)
    cancelled: list[Reservation] = field(default_factory=list)
    out_of_window: list[Reservation] = field(default_factory=list)
    blocks: list[Classified] = field(default_factory=list)
    removed_blocks: list[Block] = field(default_factory=list)
    unclassified: list[Classified] = field(default_factory=list)
    held: str = ""  # non-empty: the reason nothing in this diff may be applied yet

    @property
    def is_empty(self) -> bool:
        return not (self.new or self.changed or self.cancelled or self.out_of_window)


def stay_spec(item: Classified, feed: Feed) -> StaySpec:
    check_out = item.event.end_date
    if feed.options.dtend_is_last_night:
        check_out += timedelta(days=1)
    status = ReservationStatus.TENTATIVE if item.kind is EventClass.TENTATIVE else ReservationStatus.CONFIRMED
    return StaySpec(item.event.uid, item.event.start_date, check_out, status, item.guest, item.code, item.phone_last4)


def _differs(reservation: Reservation, spec: StaySpec) -> bool:
    current = (reservation.check_in, reservation.check_out, reservation.status, reservation.guest, reservation.code)
    return current != (spec.check_in, spec.check_out, spec.status, spec.guest, spec.code) or (
        reservation.phone_last4 != spec.phone_last4
    )


def reconcile(
    feed: Feed, snapshot: FeedSnapshot, known: Sequence[Reservation], blocks: Sequence[Block], today: date
) -> FeedDiff:
    """What this trusted-or-held fetch changes for one feed. Pure: the caller applies it."""
    diff = FeedDiff()
    seen: dict[str, StaySpec] = {}
    for event in snapshot.events:
        item = classify(event, feed.platform, feed.options)
        if item.kind in (EventClass.RESERVATION, EventClass.TENTATIVE):
            seen[event.uid] = stay_spec(item, feed)
        elif item.kind is EventClass.BLOCK:
            diff.blocks.append(item)
        else:
            diff.unclassified.append(item)
    by_uid = {r.uid: r for r in known}
    for uid, spec in seen.items():
        existing = by_uid.get(uid)
        if existing is None:
            diff.new.append(spec)
        elif _differs(existing, spec) or not existing.is_active:
            diff.changed.append((existing, spec))
    horizon = today + timedelta(days=CANCEL_HORIZON_DAYS)
    for reservation in known:
        if reservation.uid in seen or not reservation.is_active or reservation.check_out < today:
            continue  # present, already inactive, or past: frozen history
        (diff.out_of_window if reservation.check_in > horizon else diff.cancelled).append(reservation)
    block_uids = {b.event.uid for b in diff.blocks}
    diff.removed_blocks = [b for b in blocks if b.uid not in block_uids]
    diff.held = _hold_reason(snapshot, known, diff, today)
    return diff


def _hold_reason(snapshot: FeedSnapshot, known: Sequence[Reservation], diff: FeedDiff, today: date) -> str:
    future = [r for r in known if r.is_active and r.check_out >= today]
    if not snapshot.events and future:
        return f"the feed came back empty while {len(future)} upcoming stays were known; waiting for confirmation"
    if len(diff.cancelled) >= 2 and len(diff.cancelled) > MASS_DROP_SHARE * len(future):
        return f"the fetch would cancel {len(diff.cancelled)} of {len(future)} upcoming stays; waiting for confirmation"
    return ""


def is_window_block(block: Classified, today: date) -> bool:
    return block.event.end_date >= today + timedelta(days=WINDOW_BLOCK_DAYS)
