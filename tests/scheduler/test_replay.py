"""Replay tests of the calendar sync engine (calendar-feeds.md §2 and §4): sequences of feed snapshots served
over real loopback HTTP, fetched by the real fetcher into a real SQLite store, with a frozen clock.

Every UID, code and phone digit here is invented. Property timezone Europe/Lisbon (UTC+0 in winter, so the
instants below read the same in local time).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from domain.calendar import CalendarEvent, events_hash
from domain.events import Event, EventKind
from domain.feeds import FeedFetch, FetchOutcome, Platform
from domain.reservations import Reservation, ReservationStatus
from domain.tasks import Task, TaskKind, TaskStatus
from integrations.calendars.synthetic import AIRBNB_PRODID, BlockSpec, Stay
from tests.scheduler.replay import Replay, calendar_from_records

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # 09:00 in Lisbon
TODAY = date(2026, 11, 25)
AIRBNB = "/calendar/ical/48213377.ics"
BOOKING = "/booking/ical/7731902.ics"
VRBO = "/vrbo/ical/9917.ics"

K = EventKind
BOOKING_CHANGES = {K.RESERVATION_NEW, K.RESERVATION_CHANGED, K.RESERVATION_CANCELLED}
TASK_CHANGES = {K.TASK_PLANNED, K.TASK_RESCHEDULED, K.TASK_CANCELLED}

Start = Callable[..., Awaitable[Replay]]


@pytest.fixture
async def start(tmp_path: Path) -> AsyncIterator[Start]:
    """`await start(start=..., ...)` opens a `Replay` (its own server, store and clock), closed after the test."""
    async with AsyncExitStack() as stack:
        count = 0

        async def open_one(**options: Any) -> Replay:
            nonlocal count
            count += 1
            options.setdefault("start", NOW)
            return await stack.enter_async_context(Replay.open(tmp_path / f"replay-{count}.sqlite", **options))

        yield open_one


def d(offset: int, base: date = TODAY) -> date:
    return base + timedelta(days=offset)


def kinds(notifications: list[Event]) -> list[EventKind]:
    return [n.kind for n in notifications]


def open_tasks(tasks: list[Task], kind: TaskKind | None = None) -> list[Task]:
    return [t for t in tasks if t.is_open and (kind is None or t.kind is kind)]


def task_state(replay: Replay, tasks: list[Task]) -> dict[str, tuple[TaskKind, TaskStatus, date]]:
    return {t.id: (t.kind, t.status, replay.local_date(t)) for t in tasks}


def stay_state(reservations: list[Reservation]) -> dict[str, tuple[date, date, ReservationStatus]]:
    return {r.id: (r.check_in, r.check_out, r.status) for r in reservations}


def by_code(reservations: list[Reservation], code: str) -> Reservation:
    [found] = [r for r in reservations if r.code == code]
    return found


def cleans_on(replay: Replay, tasks: list[Task], day: date) -> list[Task]:
    return [t for t in open_tasks(tasks, TaskKind.CLEAN) if replay.local_date(t) == day]


def nights(reservations: list[Reservation], since: date) -> Counter[date]:
    """How many active reservations cover each night from `since` on."""
    covered: Counter[date] = Counter()
    for r in reservations:
        if r.is_active:
            day = max(r.check_in, since)
            while day < r.check_out:
                covered[day] += 1
                day += timedelta(days=1)
    return covered


# --- 1. a transient empty calendar (rule 2) ------------------------------------------------------------

STAYS = [
    Stay("s1", date(2026, 11, 27), date(2026, 11, 30), code="HMQ7K2X9PD", phone_last4="4821"),
    Stay("s2", date(2026, 12, 2), date(2026, 12, 5), code="HMZ3W8N4TR"),
    Stay("s3", date(2026, 12, 5), date(2026, 12, 8), code="HMB6Y2C7LX", phone_last4="0193"),
    Stay("s4", date(2026, 12, 15), date(2026, 12, 20), code="HMV9D4J2QS"),
]


async def test_a_transient_empty_airbnb_calendar_changes_nothing(start: Start) -> None:
    replay = await start()
    await replay.add_feed(AIRBNB, Platform.AIRBNB)
    replay.publish(AIRBNB, replay.airbnb(STAYS))
    await replay.tick()
    baseline = await replay.tick(minutes=15)
    assert len(open_tasks(baseline.tasks, TaskKind.CLEAN)) == 4

    replay.publish(AIRBNB, replay.airbnb([]))  # a valid VCALENDAR with 0 events
    empties = [await replay.tick(minutes=15), await replay.tick(minutes=15)]
    replay.publish(AIRBNB, replay.airbnb(STAYS))
    back = await replay.tick(minutes=15)

    for tick in [*empties, back]:
        assert stay_state(tick.reservations) == stay_state(baseline.reservations)
        assert task_state(replay, tick.tasks) == task_state(replay, baseline.tasks)
    during = [n for tick in [*empties, back] for n in tick.notifications]
    assert set(kinds(during)) <= {K.FEED_DIFF_HELD}, "only a hold notice may be sent"
    assert [f.outcome for f in (await replay.fetches(AIRBNB))[-3:]] == [
        FetchOutcome.HELD,
        FetchOutcome.HELD,
        FetchOutcome.UNCHANGED,
    ]
    assert not (await replay.feed(AIRBNB)).health.holding


# --- 2. failed fetches (rules 1 and 17) -----------------------------------------------------------------

FAILURES = {
    "http-500-json": (500, None),
    "empty-body-200": (b"", None),
    "html-page-200": (
        b"<!DOCTYPE html><html><head><title>Log in</title></head><body>Sign in</body></html>",
        "text/html",
    ),
}


@pytest.mark.parametrize("failure", list(FAILURES))
async def test_a_failed_fetch_changes_nothing_and_three_in_a_row_raise_one_alert(start: Start, failure: str) -> None:
    replay = await start()
    await replay.add_feed(AIRBNB, Platform.AIRBNB)
    replay.publish(AIRBNB, replay.airbnb(STAYS))
    baseline = await replay.tick()

    body, content_type = FAILURES[failure]
    replay.publish(AIRBNB, body, content_type=content_type)
    alerts, during = [], []
    for attempt in range(1, 5):
        tick = await replay.tick(minutes=15)
        during += tick.notifications
        alerts.append(kinds(during).count(K.FEED_UNHEALTHY))
        assert (await replay.feed(AIRBNB)).health.consecutive_failures == attempt
        assert stay_state(tick.reservations) == stay_state(baseline.reservations)
        assert task_state(replay, tick.tasks) == task_state(replay, baseline.tasks)
    assert alerts == [0, 0, 1, 1], "one alert, at the third failure in a row"
    allowed = {K.FEED_UNHEALTHY, K.FEED_DIFF_HELD} if failure == "empty-body-200" else {K.FEED_UNHEALTHY}
    assert set(kinds(during)) <= allowed
    audit = (await replay.fetches(AIRBNB))[-4:]
    assert all(f.error for f in audit)
    assert all(f.outcome in (FetchOutcome.FAILED, FetchOutcome.HELD) for f in audit)
    if failure != "empty-body-200":
        assert {f.outcome for f in audit} == {FetchOutcome.FAILED}

    replay.publish(AIRBNB, replay.airbnb(STAYS))
    recovered = await replay.tick(minutes=15)
    health = (await replay.feed(AIRBNB)).health
    assert (health.consecutive_failures, health.last_error, health.holding) == (0, "", False)
    assert stay_state(recovered.reservations) == stay_state(baseline.reservations)
    assert task_state(replay, recovered.tasks) == task_state(replay, baseline.tasks)
    assert not set(kinds(recovered.notifications)) & (BOOKING_CHANGES | TASK_CHANGES)


# --- 3. dates changed under a stable UID (rule 9) --------------------------------------------------------


async def test_a_stay_moved_under_the_same_uid_keeps_its_id_and_its_clean_moves(start: Start) -> None:
    replay = await start()
    await replay.add_feed(AIRBNB, Platform.AIRBNB)
    other = Stay("s1", date(2026, 12, 1), date(2026, 12, 3), code="HMR4T7Y2UK")
    moving = Stay("s2", date(2026, 12, 10), date(2026, 12, 14), code="HMP8L3M6NB", phone_last4="7710")
    replay.publish(AIRBNB, replay.airbnb([other, moving]))
    before = await replay.tick()
    booking = by_code(before.reservations, "HMP8L3M6NB")
    [clean] = cleans_on(replay, before.tasks, date(2026, 12, 14))

    moved = Stay("s2", date(2027, 3, 3), date(2027, 3, 7), code="HMP8L3M6NB", phone_last4="7710")
    replay.publish(AIRBNB, replay.airbnb([other, moved]))
    after = await replay.tick(minutes=15)

    changed = [n for n in after.notifications if n.kind is K.RESERVATION_CHANGED]
    assert [n.subject_id for n in changed] == [booking.id], "one 'changed' notification, about that booking"
    assert not {K.RESERVATION_NEW, K.RESERVATION_CANCELLED} & set(after.kinds())
    assert len(after.reservations) == 2
    now = by_code(after.reservations, "HMP8L3M6NB")
    assert (now.id, now.check_in, now.check_out, now.status) == (
        booking.id,
        date(2027, 3, 3),
        date(2027, 3, 7),
        ReservationStatus.CONFIRMED,
    )
    assert cleans_on(replay, after.tasks, date(2026, 12, 14)) == []
    [moved_clean] = cleans_on(replay, after.tasks, date(2027, 3, 7))
    assert (moved_clean.id, moved_clean.status) == (clean.id, TaskStatus.PLANNED), "the same task, moved"
    assert not [t for t in after.tasks if t.status is TaskStatus.CANCELLED]


async def test_an_early_checkout_mid_stay_moves_the_clean_to_tomorrow(start: Start) -> None:
    replay = await start()
    await replay.add_feed(AIRBNB, Platform.AIRBNB)
    later = Stay("s9", d(8), d(11), code="HMG5H8J2KA")
    replay.publish(AIRBNB, replay.airbnb([Stay("s1", d(-1), d(4), code="HMC2V6B9NQ", phone_last4="3340"), later]))
    before = await replay.tick()
    booking = by_code(before.reservations, "HMC2V6B9NQ")
    [clean] = cleans_on(replay, before.tasks, d(4))

    replay.publish(AIRBNB, replay.airbnb([Stay("s1", d(-1), d(1), code="HMC2V6B9NQ", phone_last4="3340"), later]))
    after = await replay.tick(hours=2)

    assert len(after.reservations) == 2
    now = by_code(after.reservations, "HMC2V6B9NQ")
    assert (now.id, now.check_in, now.check_out, now.status) == (booking.id, d(-1), d(1), ReservationStatus.CONFIRMED)
    assert after.kinds().count(K.RESERVATION_CHANGED) == 1
    assert not {K.RESERVATION_NEW, K.RESERVATION_CANCELLED} & set(after.kinds())
    assert cleans_on(replay, after.tasks, d(4)) == []
    [moved] = cleans_on(replay, after.tasks, d(1))
    assert moved.id == clean.id


# --- 4. vanished is not cancelled; a returning UID is the same booking (rules 11 and 13) -------------------

NEAR = [
    Stay("n1", date(2026, 12, 1), date(2026, 12, 3), code="HMW2E5R8TY"),
    Stay("n2", date(2026, 12, 5), date(2026, 12, 8), code="HMU4I7O2PA"),
    Stay("n3", date(2026, 12, 20), date(2026, 12, 23), code="HMS6D9F3GH"),
]


async def test_a_stay_beyond_the_horizon_that_vanishes_is_out_of_window_and_returns_as_itself(start: Start) -> None:
    replay = await start()
    await replay.add_feed(AIRBNB, Platform.AIRBNB)
    far = Stay("far", d(360), d(363), code="HMJ8K2L5ZX")  # 2027-11-20 -> 11-23
    replay.publish(AIRBNB, replay.airbnb([*NEAR, far]))
    first = await replay.tick()
    booking = by_code(first.reservations, "HMJ8K2L5ZX")
    assert cleans_on(replay, first.tasks, d(363))

    # The host moves it to 2027-12-01 (beyond fetch + 365): Airbnb stops listing it for 8 days.
    replay.publish(AIRBNB, replay.airbnb(NEAR))
    during: list[Event] = []
    for _ in range(8):
        tick = await replay.tick(days=1)
        during += tick.notifications
        gone = by_code(tick.reservations, "HMJ8K2L5ZX")
        assert gone.status is ReservationStatus.OUT_OF_WINDOW, f"{replay.today}: {gone.status}"
    assert K.RESERVATION_CANCELLED not in kinds(during), "no cancellation notice for a stay out of the window"
    assert K.TASK_CANCELLED not in kinds(during), "no 'cancelled (reservation cancelled)' notice for its clean"

    returned = Stay("far", date(2027, 12, 1), date(2027, 12, 4), code="HMJ8K2L5ZX")  # now within fetch + 365
    replay.publish(AIRBNB, replay.airbnb([*NEAR, returned]))
    back = await replay.tick(days=1)
    again = by_code(back.reservations, "HMJ8K2L5ZX")
    assert (again.id, again.status, again.check_in, again.check_out) == (
        booking.id,
        ReservationStatus.CONFIRMED,
        date(2027, 12, 1),
        date(2027, 12, 4),
    )
    assert len(back.reservations) == 4
    [clean] = cleans_on(replay, back.tasks, date(2027, 12, 4))
    assert clean.status is TaskStatus.PLANNED
    assert not {K.RESERVATION_NEW, K.RESERVATION_CANCELLED} & set(back.kinds())


async def test_a_cancelled_stay_inside_the_horizon_is_resurrected_with_its_tasks(start: Start) -> None:
    replay = await start()
    await replay.add_feed(AIRBNB, Platform.AIRBNB)
    doomed = Stay("k", date(2026, 12, 10), date(2026, 12, 13), code="HMT3Y6U9IO", phone_last4="5562")
    replay.publish(AIRBNB, replay.airbnb([*NEAR, doomed]))
    first = await replay.tick()
    booking = by_code(first.reservations, "HMT3Y6U9IO")
    its_tasks = {t.id for t in first.tasks if t.reservation_id == booking.id}
    assert its_tasks

    replay.publish(AIRBNB, replay.airbnb(NEAR))
    absent = [await replay.tick(minutes=15), await replay.tick(days=1), await replay.tick(days=1)]
    cancels = [n for tick in absent for n in tick.notifications if n.kind is K.RESERVATION_CANCELLED]
    assert [n.subject_id for n in cancels] == [booking.id], "exactly one cancellation notice"
    assert by_code(absent[0].reservations, "HMT3Y6U9IO").status is ReservationStatus.CANCELLED
    assert {t.status for t in absent[0].tasks if t.id in its_tasks} == {TaskStatus.CANCELLED}

    replay.publish(AIRBNB, replay.airbnb([*NEAR, doomed]))
    back = await replay.tick(days=1)
    again = by_code(back.reservations, "HMT3Y6U9IO")
    assert (again.id, again.status) == (booking.id, ReservationStatus.CONFIRMED)
    assert len(back.reservations) == 4
    assert {t.id: t.status for t in back.tasks if t.id in its_tasks} == dict.fromkeys(its_tasks, TaskStatus.PLANNED)
    assert {t.id for t in back.tasks if t.reservation_id == booking.id} == its_tasks, "no new tasks for it"
    assert K.RESERVATION_NEW not in back.kinds()


# --- 5. past stays are history (rule 12) ------------------------------------------------------------------


async def test_a_past_stay_dropped_from_the_feed_stays_confirmed_history(start: Start) -> None:
    replay = await start(start=datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    await replay.add_feed(AIRBNB, Platform.AIRBNB)
    past = Stay("p", date(2026, 11, 20), date(2026, 11, 23), code="HMX5C8V2BN", phone_last4="8807")
    future = Stay("f", date(2026, 12, 1), date(2026, 12, 4), code="HMM9N3B6VC")
    replay.publish(AIRBNB, replay.airbnb([past, future]))
    await replay.tick()
    for _ in range(3):  # 11-22, 11-23, 11-24: still listed (≈48 h after DTEND)
        kept = await replay.tick(days=1)
    booking = by_code(kept.reservations, "HMX5C8V2BN")
    its_tasks = {t.id: (t.status, t.window_start, t.deadline) for t in kept.tasks if t.reservation_id == booking.id}
    assert its_tasks

    replay.publish(AIRBNB, replay.airbnb([future]))  # 11-25: gone, two days after checkout
    dropped = await replay.tick(days=1)
    assert replay.today == TODAY
    now = by_code(dropped.reservations, "HMX5C8V2BN")
    assert (now.id, now.status, now.check_in, now.check_out) == (
        booking.id,
        ReservationStatus.CONFIRMED,
        date(2026, 11, 20),
        date(2026, 11, 23),
    )
    assert dropped.notifications == []
    assert {t.id: (t.status, t.window_start, t.deadline) for t in dropped.tasks if t.id in its_tasks} == its_tasks


# --- 6. cancel and rebook on the same dates (rule 9) --------------------------------------------------------


async def test_a_cancel_and_rebook_on_the_same_dates_keeps_the_clean_task(start: Start) -> None:
    replay = await start()
    await replay.add_feed(AIRBNB, Platform.AIRBNB)
    first = Stay("a", date(2026, 12, 21), date(2026, 12, 23), code="HMAAAA1111", phone_last4="1204")
    replay.publish(AIRBNB, replay.airbnb([*NEAR[:2], first]))
    before = await replay.tick()
    old = by_code(before.reservations, "HMAAAA1111")
    [clean] = cleans_on(replay, before.tasks, date(2026, 12, 23))

    rebooked = Stay("b", date(2026, 12, 21), date(2026, 12, 23), code="HMBBBB2222", phone_last4="6631")
    replay.publish(AIRBNB, replay.airbnb([*NEAR[:2], rebooked]))
    after = await replay.tick(minutes=15)

    assert after.kinds().count(K.RESERVATION_CANCELLED) == 1
    assert after.kinds().count(K.RESERVATION_NEW) == 1
    assert by_code(after.reservations, "HMAAAA1111").status is ReservationStatus.CANCELLED
    new = by_code(after.reservations, "HMBBBB2222")
    assert (new.status, new.check_in, new.check_out) == (ReservationStatus.CONFIRMED, old.check_in, old.check_out)
    [surviving] = cleans_on(replay, after.tasks, date(2026, 12, 23))
    assert surviving.id == clean.id, "tasks are per property and date: the clean of 12-23 survives"


# --- 7. Booking.com midnight UID churn, default options (rules 2, 4, 14, 15) ---------------------------------


async def test_booking_com_midnight_churn_and_a_transient_empty_calendar_make_nothing(start: Start) -> None:
    replay = await start(start=datetime(2026, 11, 25, 21, 0, tzinfo=UTC))
    await replay.add_feed(BOOKING, Platform.BOOKING)

    def ranges(day: date, in_progress_uid: str) -> list[BlockSpec]:
        return [
            BlockSpec(in_progress_uid, day, date(2026, 11, 28)),  # in progress, clipped to today
            BlockSpec("r2", date(2026, 12, 5), date(2026, 12, 8)),
            BlockSpec("window", date(2027, 9, 1), d(548, day)),  # the trailing block, +1 a day
        ]

    replay.publish(BOOKING, replay.booking(ranges(date(2026, 11, 25), "r1-day1")))
    ticks = [await replay.tick(), await replay.tick(minutes=15)]
    replay.publish(BOOKING, replay.booking(ranges(date(2026, 11, 26), "r1-day2")))  # after local midnight
    ticks.append(await replay.tick(at=datetime(2026, 11, 26, 0, 20, tzinfo=UTC)))
    replay.publish(BOOKING, replay.booking([]))  # valid, empty, just after the rollover
    ticks.append(await replay.tick(minutes=20))
    replay.publish(BOOKING, replay.booking(ranges(date(2026, 11, 26), "r1-day2")))
    ticks += [await replay.tick(minutes=20), await replay.tick(minutes=15)]

    for tick in ticks:
        assert (tick.reservations, tick.tasks) == ([], [])
    assert set(ticks[0].kinds()) <= {K.FEED_IMPORTED}
    later = [n for tick in ticks[1:] for n in tick.notifications]
    assert set(kinds(later)) <= {K.FEED_DIFF_HELD}, "at most a hold notice after the import"


# --- 8. Booking.com with "blocks are bookings" (rules 14, 15, 19) -------------------------------------------


async def test_booking_com_uid_churn_at_midnight_is_the_same_stay(start: Start) -> None:
    replay = await start(start=datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    await replay.add_feed(BOOKING, Platform.BOOKING, blocks_are_bookings=True)
    replay.publish(BOOKING, replay.booking([BlockSpec("u1", date(2026, 12, 1), date(2026, 12, 6))]))
    first = await replay.tick()
    [stay] = first.reservations
    [clean] = cleans_on(replay, first.tasks, date(2026, 12, 6))
    await replay.tick(at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC))

    replay.publish(BOOKING, replay.booking([BlockSpec("u2", date(2026, 12, 2), date(2026, 12, 6))]))  # new UID
    churn = [
        await replay.tick(at=datetime(2026, 12, 2, 0, 25, tzinfo=UTC)),
        await replay.tick(at=datetime(2026, 12, 2, 9, 0, tzinfo=UTC)),
    ]
    for tick in churn:
        active = [r for r in tick.reservations if r.is_active]
        assert [(r.id, r.check_in, r.check_out) for r in active] == [(stay.id, date(2026, 12, 1), date(2026, 12, 6))]
        assert [(t.id, t.status) for t in open_tasks(tick.tasks, TaskKind.CLEAN)] == [(clean.id, TaskStatus.PLANNED)]
    notified = kinds([n for tick in churn for n in tick.notifications])
    assert not {K.RESERVATION_CANCELLED, K.RESERVATION_NEW} & set(notified)


async def test_booking_com_ranges_merged_under_a_new_uid_continue_the_first_stay(start: Start) -> None:
    day = date(2026, 12, 10)
    replay = await start(start=datetime(2026, 12, 10, 9, 0, tzinfo=UTC))
    await replay.add_feed(BOOKING, Platform.BOOKING, blocks_are_bookings=True)
    a, b, c = (
        BlockSpec("a", d(-3, day), d(2, day)),
        BlockSpec("b", d(2, day), d(5, day)),
        BlockSpec("c", d(7, day), d(9, day)),
    )
    replay.publish(BOOKING, replay.booking([a, b, c]))
    first = await replay.tick()
    [stay_a] = [r for r in first.reservations if r.check_in == a.start]

    replay.publish(BOOKING, replay.booking([BlockSpec("merged", day, d(10, day))]))
    merged = await replay.tick(minutes=15)

    assert K.RESERVATION_CANCELLED not in merged.kinds()
    assert K.RESERVATION_NEW not in merged.kinds(), "a range starting today is the stay in progress, not an arrival"
    now_a = next(r for r in merged.reservations if r.id == stay_a.id)
    assert (now_a.is_active, now_a.check_in, now_a.check_out) == (True, a.start, d(10, day))
    assert nights(merged.reservations, day) == Counter({d(n, day): 1 for n in range(10)}), "nights D..D+9, once"
    assert [replay.local_date(t) for t in open_tasks(merged.tasks, TaskKind.CLEAN)] == [d(10, day)]


async def test_booking_com_trailing_window_block_is_never_a_stay(start: Start) -> None:
    replay = await start()
    await replay.add_feed(BOOKING, Platform.BOOKING, blocks_are_bookings=True)

    def ranges() -> list[BlockSpec]:
        return [BlockSpec("r", d(5), d(8)), BlockSpec("window", d(400), d(548, replay.today))]

    replay.publish(BOOKING, replay.booking(ranges()))
    ticks = [await replay.tick()]
    for _ in range(3):
        replay.clock.advance(timedelta(days=1))
        replay.publish(BOOKING, replay.booking(ranges()))  # DTEND +1 a day, same UID
        ticks.append(await replay.tick())

    for tick in ticks:
        assert [(r.check_in, r.check_out) for r in tick.reservations] == [(d(5), d(8))]
        assert [(t.kind, replay.local_date(t)) for t in tick.tasks] == [(TaskKind.CLEAN, d(8))]
    later = kinds([n for tick in ticks[1:] for n in tick.notifications])
    assert later == [], "the window block's daily growth notifies nobody"


async def test_booking_com_range_starting_today_on_first_import_gets_no_check_in(start: Start) -> None:
    replay = await start(check_in_tasks=True, check_out_tasks=True)
    await replay.add_feed(BOOKING, Platform.BOOKING, blocks_are_bookings=True)
    replay.publish(BOOKING, replay.booking([BlockSpec("clipped", d(0), d(3)), BlockSpec("later", d(6), d(8))]))
    first = await replay.tick()

    planned = Counter((replay.local_date(t), t.kind) for t in open_tasks(first.tasks))
    expected = [(d(3), TaskKind.CLEAN), (d(3), TaskKind.CHECK_OUT)]  # the range starting today is clipped
    expected += [(d(6), TaskKind.CHECK_IN), (d(8), TaskKind.CLEAN), (d(8), TaskKind.CHECK_OUT)]
    assert planned == Counter(expected), "no check-in for the range that starts today on the first import"


# --- 9. the same stay on three platforms (rule 20) ---------------------------------------------------------


@pytest.mark.parametrize("booking_blocks_are_bookings", [False, True], ids=["booking-default", "booking-as-bookings"])
async def test_a_stay_reflected_on_three_feeds_is_one_booking_with_one_set_of_tasks(
    start: Start, booking_blocks_are_bookings: bool
) -> None:
    replay = await start(check_in_tasks=True, check_out_tasks=True)
    await replay.add_feed(AIRBNB, Platform.AIRBNB)
    await replay.add_feed(BOOKING, Platform.BOOKING, blocks_are_bookings=booking_blocks_are_bookings)
    await replay.add_feed(VRBO, Platform.VRBO)
    replay.publish(AIRBNB, replay.airbnb([]))
    replay.publish(BOOKING, replay.booking([]))
    replay.publish(VRBO, replay.vrbo([]))
    connected = await replay.tick()
    assert connected.notifications == []

    check_in, check_out = date(2026, 12, 22), date(2026, 12, 24)
    replay.publish(AIRBNB, replay.airbnb([Stay("x", check_in, check_out, code="HMF4G7H2JK", phone_last4="9031")]))
    replay.publish(BOOKING, replay.booking([BlockSpec("x", check_in, check_out)]))
    replay.publish(VRBO, replay.vrbo([], [BlockSpec("x", check_in, check_out)]))
    booked = await replay.tick(minutes=15)
    await replay.tick(minutes=15)
    settled = await replay.tick(minutes=15)

    assert kinds(replay.sent).count(K.RESERVATION_NEW) == 1, "one 'new booking' notification"
    if not booking_blocks_are_bookings:
        [stay] = [r for r in settled.reservations if r.is_active]
        assert stay.code == "HMF4G7H2JK"
        assert {t.reservation_id for t in open_tasks(settled.tasks)} == {stay.id}
    for tick in (booked, settled):
        assert Counter((t.kind, replay.local_date(t)) for t in open_tasks(tick.tasks)) == Counter(
            {(TaskKind.CLEAN, check_out): 1, (TaskKind.CHECK_IN, check_in): 1, (TaskKind.CHECK_OUT, check_out): 1}
        )


# --- 10. replaying the fetch audit (rule 21) -----------------------------------------------------------------


def _decision(fetch: FeedFetch) -> tuple[Any, ...]:
    return (
        fetch.outcome,
        fetch.event_count,
        fetch.events_hash,
        fetch.new,
        fetch.changed,
        fetch.cancelled,
        fetch.held_reason,
    )


def _events(records: tuple[dict[str, Any], ...]) -> list[CalendarEvent]:
    return [
        CalendarEvent(
            r["uid"], date.fromisoformat(r["start"]), date.fromisoformat(r["end"]), r["summary"], r["description"]
        )
        for r in records
    ]


async def test_replaying_the_stored_fetch_audit_into_a_fresh_store_gives_the_same_decisions(start: Start) -> None:
    original = await start()
    await original.add_feed(AIRBNB, Platform.AIRBNB)
    moved = [*STAYS[:3], Stay("s4", date(2026, 12, 16), date(2026, 12, 20), code="HMV9D4J2QS")]
    sequence = [STAYS, STAYS, [], [], STAYS, moved[1:]]  # good, same, empty, empty, good, one moved + one gone
    for step, stays in enumerate(sequence):
        original.publish(AIRBNB, original.airbnb(stays))
        await original.tick(minutes=15 if step else 0)
    recorded = await original.fetches(AIRBNB)
    assert [f.outcome.value for f in recorded] == ["applied", "unchanged", "held", "held", "unchanged", "applied"]

    # Rebuild each fetch's events: stored when they differ from the last trusted fetch, else that one's.
    bodies: list[bytes] = []
    trusted: tuple[dict[str, Any], ...] = ()
    for fetch in recorded:
        events = fetch.events if fetch.events is not None else trusted
        assert events_hash(_events(events)) == fetch.events_hash, "the audit is enough to rebuild this fetch"
        if fetch.outcome in (FetchOutcome.APPLIED, FetchOutcome.UNCHANGED, FetchOutcome.CONFIRMED):
            trusted = events
        bodies.append(calendar_from_records(events, prodid=AIRBNB_PRODID))

    copy = await start(start=recorded[0].at)
    await copy.add_feed(AIRBNB, Platform.AIRBNB)
    for fetch, body in zip(recorded, bodies, strict=True):
        copy.publish(AIRBNB, body)
        await copy.tick(at=fetch.at)

    replayed = await copy.fetches(AIRBNB)
    assert [_decision(f) for f in replayed] == [_decision(f) for f in recorded]
    assert [f.at for f in replayed] == [f.at for f in recorded]

    def outcome(reservations: list[Reservation], tasks: list[Task], replay: Replay) -> tuple[Any, ...]:
        stays = sorted((r.uid, r.check_in, r.check_out, r.status) for r in reservations)
        return stays, sorted((t.kind, t.status, replay.local_date(t)) for t in tasks)

    assert outcome(await copy.reservations(), await copy.tasks(), copy) == outcome(
        await original.reservations(), await original.tasks(), original
    )
    assert kinds(copy.sent) == kinds(original.sent)
