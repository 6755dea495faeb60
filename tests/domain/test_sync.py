from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.calendar import CalendarEvent, FeedSnapshot
from domain.feeds import FeedOptions, Platform
from domain.reservations import ReservationStatus
from domain.sync import reconcile
from tests.builders import a_block, a_feed, a_reservation, an_event

TODAY = date(2026, 11, 25)
AIRBNB = a_feed()


def _snapshot(*events) -> FeedSnapshot:
    return FeedSnapshot(events=tuple(events))


def test_a_new_uid_is_a_new_stay_and_a_known_one_with_new_dates_is_a_change() -> None:
    known = a_reservation(date(2026, 12, 1), 2, uid="u1")
    snap = _snapshot(
        an_event("u1", date(2026, 12, 1), date(2026, 12, 2)), an_event("u2", date(2026, 12, 5), date(2026, 12, 7))
    )
    diff = reconcile(AIRBNB, snap, [known], [], TODAY)
    assert [s.uid for s in diff.new] == ["u2"]
    assert [(r.uid, s.check_out) for r, s in diff.changed] == [("u1", date(2026, 12, 2))]
    assert not diff.held


def test_an_absent_future_stay_is_cancelled_but_a_past_one_is_frozen() -> None:
    past = a_reservation(date(2026, 11, 20), 2, uid="past")
    future = a_reservation(date(2026, 12, 1), 2, uid="gone")
    stays = [a_reservation(date(2026, 12, 10 + i), 1, uid=f"keep{i}") for i in range(3)]
    snap = _snapshot(*(an_event(r.uid, r.check_in, r.check_out) for r in stays))
    diff = reconcile(AIRBNB, snap, [past, future, *stays], [], TODAY)
    assert [r.uid for r in diff.cancelled] == ["gone"]


def test_an_absent_stay_beyond_the_horizon_is_out_of_window_not_cancelled() -> None:
    far = a_reservation(date(2027, 11, 20), 2, uid="far")
    keep = [a_reservation(date(2026, 12, 10 + i), 1, uid=f"k{i}") for i in range(2)]
    diff = reconcile(
        AIRBNB, _snapshot(*(an_event(r.uid, r.check_in, r.check_out) for r in keep)), [far, *keep], [], TODAY
    )
    assert ([r.uid for r in diff.out_of_window], diff.cancelled) == (["far"], [])


def test_an_empty_calendar_after_known_stays_is_held() -> None:
    known = [a_reservation(date(2026, 12, 1), 2, uid="u1")]
    diff = reconcile(AIRBNB, _snapshot(), known, [], TODAY)
    assert diff.held and diff.cancelled == [known[0]]


def test_a_fetch_that_would_cancel_most_upcoming_stays_is_held() -> None:
    known = [a_reservation(date(2026, 12, 1 + 3 * i), 2, uid=f"u{i}") for i in range(4)]
    diff = reconcile(AIRBNB, _snapshot(an_event("u0", date(2026, 12, 1), date(2026, 12, 3))), known, [], TODAY)
    assert "would cancel 3 of 4" in diff.held


def test_a_returning_uid_restores_the_same_reservation() -> None:
    gone = a_reservation(date(2026, 12, 1), 2, uid="u1", status=ReservationStatus.CANCELLED)
    diff = reconcile(AIRBNB, _snapshot(an_event("u1", date(2026, 12, 1), date(2026, 12, 3))), [gone], [], TODAY)
    assert diff.new == [] and [r.id for r, _ in diff.changed] == [gone.id]


def test_blocks_are_availability_not_stays() -> None:
    snap = _snapshot(an_event("b1", date(2026, 12, 1), date(2026, 12, 2), summary="Airbnb (Not available)"))
    diff = reconcile(AIRBNB, snap, [], [], TODAY)
    assert (diff.new, len(diff.blocks)) == ([], 1)


def test_booking_com_closures_are_stays_only_when_the_feed_says_so() -> None:
    snap = _snapshot(an_event("c1", date(2026, 12, 1), date(2026, 12, 4), summary="CLOSED - Not available"))
    assert reconcile(a_feed(Platform.BOOKING), snap, [], [], TODAY).new == []
    feed = a_feed(Platform.BOOKING, options=FeedOptions(blocks_are_bookings=True))
    assert [s.check_out for s in reconcile(feed, snap, [], [], TODAY).new] == [date(2026, 12, 4)]


def test_unknown_summaries_are_reported_not_guessed() -> None:
    snap = _snapshot(an_event("x", date(2026, 12, 1), date(2026, 12, 2), summary="Gesperrt"))
    diff = reconcile(AIRBNB, snap, [], [], TODAY)
    assert (diff.new, diff.blocks, [c.event.uid for c in diff.unclassified]) == ([], [], ["x"])


def test_a_last_night_feed_checks_out_the_day_after_dtend() -> None:
    feed = a_feed(Platform.GENERIC, options=FeedOptions(dtend_is_last_night=True))
    snap = _snapshot(an_event("g1", date(2026, 12, 1), date(2026, 12, 3), summary="Booked"))
    assert reconcile(feed, snap, [], [], TODAY).new[0].check_out == date(2026, 12, 4)


def test_a_new_uid_with_the_same_airbnb_code_is_the_same_stay() -> None:
    known = a_reservation(date(2026, 12, 1), 2, uid="u1", code="HMAAAA1111")
    event = an_event("u9", date(2026, 12, 1), date(2026, 12, 3), description="details/HMAAAA1111")
    diff = reconcile(AIRBNB, _snapshot(event), [known], [], TODAY)
    assert (diff.new, diff.cancelled) == ([], [])
    assert [(r.id, s.uid) for r, s in diff.changed] == [(known.id, "u9")]


def test_cancel_and_rebook_with_a_new_code_is_a_cancellation_and_a_new_stay() -> None:
    known = [a_reservation(date(2026, 12, 21), 2, uid="old", code="HMAAAA1111"),
             *(a_reservation(date(2027, 1, 5 + 3 * i), 2, uid=f"k{i}") for i in range(3))]  # fmt: skip
    events = [an_event("new", date(2026, 12, 21), date(2026, 12, 23), description="details/HMBBBB2222")]
    events += [an_event(r.uid, r.check_in, r.check_out) for r in known[1:]]
    diff = reconcile(AIRBNB, _snapshot(*events), known, [], TODAY)
    assert ([s.uid for s in diff.new], [r.uid for r in diff.cancelled]) == (["new"], ["old"])


def test_a_guest_count_in_a_pms_description_is_kept() -> None:
    feed = a_feed(Platform.GENERIC)
    event = an_event("g1", date(2026, 12, 1), date(2026, 12, 3), summary="Booked", description="Guests: 3\nPaid")
    assert reconcile(feed, _snapshot(event), [], [], TODAY).new[0].guests == 3


def test_event_times_are_kept_only_where_the_feed_is_set_to_honour_them() -> None:
    paris = ZoneInfo("Europe/Paris")
    event = an_event("g1", datetime(2026, 12, 1, 15, 0, tzinfo=UTC), datetime(2026, 12, 3, 9, 30), summary="Booked")
    plain = reconcile(a_feed(Platform.GENERIC), _snapshot(event), [], [], TODAY, paris).new[0]
    assert (plain.check_in, plain.check_out, plain.check_in_at) == (date(2026, 12, 1), date(2026, 12, 3), None)
    feed = a_feed(Platform.GENERIC, options=FeedOptions(honour_event_times=True))
    timed = reconcile(feed, _snapshot(event), [], [], TODAY, paris).new[0]
    assert timed.check_in_at == datetime(2026, 12, 1, 16, 0, tzinfo=paris)  # aware: converted
    assert timed.check_out_at == datetime(2026, 12, 3, 9, 30, tzinfo=paris)  # floating: local time


def test_an_aware_late_evening_start_is_dated_in_the_property_zone() -> None:
    # 23:30 UTC on 11-30 is already 12-01 in Kiritimati (UTC+14): never date a stay through UTC
    event = an_event("g1", datetime(2026, 11, 30, 23, 30, tzinfo=UTC), datetime(2026, 12, 2, 9, tzinfo=UTC), "Booked")
    spec = reconcile(a_feed(Platform.GENERIC), _snapshot(event), [], [], TODAY, ZoneInfo("Pacific/Kiritimati")).new[0]
    assert (spec.check_in, spec.check_out) == (date(2026, 12, 1), date(2026, 12, 2))


# Booking.com: occupied ranges, not bookings (rule 14)

CLOSED = "CLOSED - Not available"
RANGES = a_feed(Platform.BOOKING, options=FeedOptions(blocks_are_bookings=True))


def _closed(uid: str, start: date, end: date) -> CalendarEvent:
    return an_event(uid, start, end, summary=CLOSED)


def test_a_range_re_emitted_at_midnight_under_a_new_uid_is_the_same_stay_with_its_start() -> None:
    known = a_reservation(date(2026, 11, 23), 5, uid="b-old", feed_id=RANGES.id, from_block=True)
    diff = reconcile(RANGES, _snapshot(_closed("b-new", TODAY, date(2026, 11, 28))), [known], [], TODAY)
    assert (diff.new, diff.cancelled, diff.held) == ([], [], "")
    [(reservation, spec)] = diff.changed
    assert (reservation.id, spec.uid, spec.check_in, spec.check_out) == (
        known.id, "b-new", date(2026, 11, 23), date(2026, 11, 28)
    )  # fmt: skip
    assert (diff.nights_closed, diff.nights_freed) == ([], [])


def test_merged_ranges_free_no_night_and_cancel_nothing() -> None:
    a = a_reservation(date(2026, 11, 22), 5, uid="a", feed_id=RANGES.id, from_block=True)  # → 11-27
    b = a_reservation(date(2026, 11, 27), 3, uid="b", feed_id=RANGES.id, from_block=True)  # → 11-30
    c = a_reservation(date(2026, 12, 2), 2, uid="c", feed_id=RANGES.id, from_block=True)  # → 12-04
    diff = reconcile(RANGES, _snapshot(_closed("m", TODAY, date(2026, 12, 5))), [a, b, c], [], TODAY)
    assert (diff.new, diff.cancelled, diff.held) == ([], [], "")
    assert [(r.id, s.check_in, s.check_out) for r, s in diff.changed] == [(a.id, date(2026, 11, 22), date(2026, 12, 5))]
    assert sorted(r.id for r in diff.merged) == [b.id, c.id]
    assert diff.nights_freed == []
    assert diff.nights_closed == [date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 4)]


def test_a_range_whose_nights_reopen_is_cancelled() -> None:
    known = [a_reservation(date(2026, 12, 1 + 4 * i), 2, uid=f"r{i}", feed_id=RANGES.id, from_block=True)
             for i in range(3)]  # fmt: skip
    events = [_closed(f"n{i}", r.check_in, r.check_out) for i, r in enumerate(known[1:])]
    diff = reconcile(RANGES, _snapshot(*events), known, [], TODAY)
    assert [r.uid for r in diff.cancelled] == ["r0"]
    assert diff.nights_freed == [date(2026, 12, 1), date(2026, 12, 2)]


def test_the_first_import_of_a_range_starting_today_marks_its_start_clipped() -> None:
    snap = _snapshot(_closed("x", TODAY, date(2026, 12, 1)), _closed("y", date(2026, 12, 3), date(2026, 12, 5)))
    assert [(s.uid, s.start_clipped) for s in reconcile(RANGES, snap, [], [], TODAY).new] == [
        ("x", True), ("y", False)
    ]  # fmt: skip
    seen = a_feed(Platform.BOOKING, options=FeedOptions(blocks_are_bookings=True))
    seen.health.record_success(datetime(2026, 11, 24, tzinfo=UTC), "h")
    assert not reconcile(seen, snap, [], [], TODAY).new[0].start_clipped  # a late booking arriving today


def test_the_trailing_window_range_is_never_a_booking() -> None:
    snap = _snapshot(_closed("w", date(2027, 6, 1), TODAY + timedelta(days=548)))
    diff = reconcile(RANGES, snap, [], [], TODAY)
    assert (diff.new, [b.event.uid for b in diff.blocks]) == ([], ["w"])


def test_booking_closures_as_blocks_count_nights_too() -> None:
    known = [a_block("b1", date(2026, 12, 1), date(2026, 12, 3), feed_id=RANGES.id)]
    diff = reconcile(a_feed(Platform.BOOKING), _snapshot(_closed("b2", date(2026, 12, 2), date(2026, 12, 4))),
                     [], known, TODAY)  # fmt: skip
    assert (diff.nights_closed, diff.nights_freed) == ([date(2026, 12, 3)], [date(2026, 12, 1)])
