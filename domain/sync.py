"""Reconciling one feed's fetch with what we know (the rules of `calendar-feeds.md` §4).

A failed fetch changes nothing (the caller never gets here). An empty calendar after a non-empty
one, or a fetch that would cancel more than half (and at least 2) of the future stays, is held.
Airbnb and VRBO stays are identified by (feed, UID), with the Airbnb HM code as a secondary key:
dates changed under a known UID are updates. Absence cancels only a future stay inside the
horizon; past stays are frozen; a returning UID restores the same reservation.

Booking.com gives occupied ranges, not bookings (rule 14): its UIDs churn at local midnight, a
running range is re-emitted starting today, adjacent closures merge. Such a feed is compared by
the nights from today on: a range that overlaps a known one continues it (a start moved to today
is a clipped start, not an arrival), a known range whose remaining nights are all still closed was
merged, not cancelled. Blocks are availability, never reservations, unless the feed is set to count
them as bookings; rolling availability-window blocks never are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo

from domain.calendar import CalendarEvent, Classified, EventClass, FeedSnapshot, classify
from domain.feeds import Feed, Platform
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
    guest: str = ""
    code: str | None = None
    phone_last4: str | None = None
    guests: int | None = None
    check_in_at: datetime | None = None
    check_out_at: datetime | None = None
    start_clipped: bool = False
    from_block: bool = False


@dataclass(slots=True)
class FeedDiff:
    new: list[StaySpec] = field(default_factory=list)
    changed: list[tuple[Reservation, StaySpec]] = field(default_factory=list)
    cancelled: list[Reservation] = field(default_factory=list)
    out_of_window: list[Reservation] = field(default_factory=list)
    merged: list[Reservation] = field(default_factory=list)  # Booking.com ranges absorbed by another range
    blocks: list[Classified] = field(default_factory=list)
    removed_blocks: list[Block] = field(default_factory=list)
    unclassified: list[Classified] = field(default_factory=list)
    nights_closed: list[date] = field(default_factory=list)  # range-keyed feeds: nights from today newly occupied
    nights_freed: list[date] = field(default_factory=list)  # ... and no longer occupied
    held: str = ""  # non-empty: the reason nothing in this diff may be applied yet
    held_quietly: bool = False  # only availability is at stake: hold without telling the host

    @property
    def is_empty(self) -> bool:
        return not (self.new or self.changed or self.cancelled or self.out_of_window or self.merged)


def event_dates(event: CalendarEvent, zone: tzinfo) -> tuple[date, date]:
    """Calendar dates of an event in the property's zone: dates as they are (never through UTC);
    aware date-times converted to the zone first; floating date-times read as local."""
    return _local_date(event.start, zone), _local_date(event.end, zone)


def _local_date(value: date | datetime, zone: tzinfo) -> date:
    if not isinstance(value, datetime):
        return value
    return (value.astimezone(zone) if value.tzinfo is not None else value).date()


def _local_instant(value: date | datetime, zone: tzinfo) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value.astimezone(zone) if value.tzinfo is not None else value.replace(tzinfo=zone)


def stay_spec(item: Classified, feed: Feed, zone: tzinfo = UTC) -> StaySpec:
    event = item.event
    check_in, check_out = event_dates(event, zone)
    check_in_at = check_out_at = None
    if feed.options.honour_event_times:
        check_in_at, check_out_at = _local_instant(event.start, zone), _local_instant(event.end, zone)
    if feed.options.dtend_is_last_night:
        check_out += timedelta(days=1)
        check_out_at = None if check_out_at is None else check_out_at + timedelta(days=1)
    if check_out <= check_in:  # a same-day timed event: still one night's booking on the calendar
        check_out = check_in + timedelta(days=1)
    status = ReservationStatus.TENTATIVE if item.kind is EventClass.TENTATIVE else ReservationStatus.CONFIRMED
    return StaySpec(
        event.uid, check_in, check_out, status, item.guest, item.code, item.phone_last4, item.guests,
        check_in_at, check_out_at, from_block=item.from_block,
    )  # fmt: skip


def _fields(r: Reservation | StaySpec) -> tuple[object, ...]:
    return (
        r.uid, r.check_in, r.check_out, r.status, r.guest, r.code, r.phone_last4, r.guests, r.check_in_at,
        r.check_out_at, r.start_clipped, r.from_block,
    )  # fmt: skip


def is_window_block(block: Classified, today: date) -> bool:
    """A block reaching the feed's horizon (Airbnb ≈ fetch+365, Booking.com ≈ fetch+548): rule 15."""
    return block.event.end_date >= today + timedelta(days=WINDOW_BLOCK_DAYS)


def reconcile(
    feed: Feed,
    snapshot: FeedSnapshot,
    known: Sequence[Reservation],
    blocks: Sequence[Block],
    today: date,
    zone: tzinfo = UTC,
) -> FeedDiff:
    """What this trusted-or-held fetch changes for one feed. Pure: the caller applies it."""
    diff = FeedDiff()
    specs: list[StaySpec] = []
    for event in snapshot.events:
        item = classify(event, feed.platform, feed.options)
        if item.from_block and is_window_block(item, today):
            item = Classified(event, EventClass.BLOCK)  # the rolling window is never a booking
        if item.kind in (EventClass.RESERVATION, EventClass.TENTATIVE):
            specs.append(stay_spec(item, feed, zone))
        elif item.kind is EventClass.BLOCK:
            diff.blocks.append(item)
        else:
            diff.unclassified.append(item)
    ranged = feed.platform is Platform.BOOKING
    first_import = feed.health.last_success_at is None
    matches, unmatched = _match(specs, known, today, ranged=ranged)
    for spec in unmatched:
        clipped = ranged and first_import and spec.check_in <= today
        diff.new.append(replace(spec, start_clipped=clipped))
    for existing, spec in matches:
        if _fields(existing) != _fields(spec) or not existing.is_active:
            diff.changed.append((existing, spec))
    matched_ids = {r.id for r, _ in matches}
    still_closed = _closed_nights(specs, diff.blocks, today, zone) if ranged else set()
    horizon = today + timedelta(days=CANCEL_HORIZON_DAYS)
    for reservation in known:
        if reservation.id in matched_ids or not reservation.is_active or reservation.check_out < today:
            continue  # present, already inactive, or past: frozen history
        remaining = reservation.nights_from(today)
        if ranged and remaining and remaining <= still_closed:
            diff.merged.append(reservation)
        elif reservation.check_in > horizon:
            diff.out_of_window.append(reservation)
        else:
            diff.cancelled.append(reservation)
    block_uids = {b.event.uid for b in diff.blocks}
    diff.removed_blocks = [b for b in blocks if b.uid not in block_uids]
    if ranged:
        before = _known_nights(known, blocks, today)
        diff.nights_closed = sorted(still_closed - before)
        diff.nights_freed = sorted(before - still_closed)
    diff.held = _hold_reason(snapshot, known, diff, today)
    if not diff.held and not snapshot.events and blocks:  # rule 2 protects availability too, silently
        diff.held = f"the feed came back empty while {len(blocks)} blocked ranges were known; waiting for confirmation"
        diff.held_quietly = True
    return diff


def _match(
    specs: Sequence[StaySpec], known: Sequence[Reservation], today: date, *, ranged: bool
) -> tuple[list[tuple[Reservation, StaySpec]], list[StaySpec]]:
    """Pair each spec with the reservation it describes: by UID, then by Airbnb code, then (range-keyed
    feeds) by overlapping nights from today on. Returns the pairs and the specs that are new."""
    by_uid = {r.uid: r for r in known}
    pairs: list[tuple[Reservation, StaySpec]] = []
    taken: set[str] = set()
    rest: list[StaySpec] = []
    for spec in specs:
        existing = by_uid.get(spec.uid)
        if existing is not None:
            pairs.append((existing, spec))
            taken.add(existing.id)
        else:
            rest.append(spec)
    by_code = {r.code: r for r in known if r.code and r.id not in taken}
    unmatched: list[StaySpec] = []
    for spec in rest:
        existing = by_code.pop(spec.code, None) if spec.code else None
        if existing is not None and existing.id not in taken:
            pairs.append((existing, spec))
            taken.add(existing.id)
        else:
            unmatched.append(spec)
    if not ranged:
        return pairs, unmatched
    pairs = [(r, _continued(r, spec, today)) for r, spec in pairs]
    new: list[StaySpec] = []
    for spec in sorted(unmatched, key=lambda s: (s.check_in, s.uid)):
        candidates = [
            r
            for r in known
            if r.id not in taken and r.is_active and r.check_out > today and r.overlaps(spec.check_in, spec.check_out)
        ]
        if not candidates:
            new.append(spec)
            continue
        existing = min(candidates, key=lambda r: (r.check_in, r.id))
        taken.add(existing.id)
        pairs.append((existing, _continued(existing, spec, today)))
    return pairs, new


def _continued(existing: Reservation, spec: StaySpec, today: date) -> StaySpec:
    """A re-emitted range keeps the stay's own start when the feed only clipped it to today."""
    if spec.check_in == today and existing.check_in < today:
        return replace(spec, check_in=existing.check_in, check_in_at=existing.check_in_at,
                       start_clipped=existing.start_clipped)  # fmt: skip
    return replace(spec, start_clipped=existing.start_clipped and spec.check_in == existing.check_in)


def _closed_nights(specs: Sequence[StaySpec], blocks: Sequence[Classified], today: date, zone: tzinfo) -> set[date]:
    """Nights from today on that the fetch shows occupied, by bookings or by blocks, window excluded."""
    nights: set[date] = set()
    for spec in specs:
        nights |= _nights(spec.check_in, spec.check_out, today)
    for item in blocks:
        if not is_window_block(item, today):
            nights |= _nights(*event_dates(item.event, zone), today)
    return nights


def _known_nights(known: Sequence[Reservation], blocks: Sequence[Block], today: date) -> set[date]:
    nights: set[date] = set()
    for r in known:
        if r.is_active:
            nights |= r.nights_from(today)
    for b in blocks:
        if not b.window:
            nights |= _nights(b.start, b.end, today)
    return nights


def _nights(start: date, end: date, today: date) -> set[date]:
    first = max(start, today)
    return {first + timedelta(days=n) for n in range((end - first).days)}


def _hold_reason(snapshot: FeedSnapshot, known: Sequence[Reservation], diff: FeedDiff, today: date) -> str:
    future = [r for r in known if r.is_active and r.check_out >= today]
    if not snapshot.events and future:
        return f"the feed came back empty while {len(future)} upcoming stays were known; waiting for confirmation"
    if len(diff.cancelled) >= 2 and len(diff.cancelled) > MASS_DROP_SHARE * len(future):
        return f"the fetch would cancel {len(diff.cancelled)} of {len(future)} upcoming stays; waiting for confirmation"
    return ""
