from datetime import date

from domain.calendar import FeedSnapshot
from domain.feeds import FeedOptions, Platform
from domain.reservations import ReservationStatus
from domain.sync import reconcile
from tests.builders import a_feed, a_reservation, an_event

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
