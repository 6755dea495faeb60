from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.calendar import EventClass
from domain.feeds import FeedOptions, Platform
from integrations.calendars.parse import content_hash, parse_calendar
from integrations.calendars.synthetic import vrbo_block_uid
from tests.integrations.calendars.support import classified, fixture_bytes, kind_counts, of_kind


def _calendar(*event_lines: str) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Turnover tests//EN", *event_lines, "END:VCALENDAR"]
    return ("\r\n".join(lines) + "\r\n").encode()


def _event(uid: str, *lines: str) -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", *lines, "END:VEVENT"]


# --- the committed synthetic fixtures, one per platform format ----------------------------------


def test_an_airbnb_1_0_feed_gives_four_stays_and_two_blocks_with_codes_and_phones() -> None:
    snapshot = parse_calendar(fixture_bytes("airbnb_hosting-1.0.ics"))
    items = classified(snapshot, Platform.AIRBNB)

    assert snapshot.ok and snapshot.rejected == ()
    assert kind_counts(items) == {
        EventClass.RESERVATION: 4,
        EventClass.TENTATIVE: 0,
        EventClass.BLOCK: 2,
        EventClass.UNCLASSIFIED: 0,
    }
    stays = of_kind(items, EventClass.RESERVATION)
    assert [(s.event.start, s.event.end, s.code, s.phone_last4) for s in stays] == [
        (date(2026, 3, 8), date(2026, 3, 11), "HMK4T7QW2Z", "3071"),
        (date(2026, 3, 11), date(2026, 3, 13), "HM9XR2DPLC", "5528"),
        (date(2026, 3, 14), date(2026, 3, 18), "HMZB6NQ4VA", "0942"),
        (date(2026, 3, 20), date(2026, 3, 21), "HMC3JW8YKE", "1186"),
    ]
    assert all(s.guest == "" for s in stays)


def test_an_airbnb_1_0_feed_has_a_same_day_turnover_a_gap_night_and_a_window_block() -> None:
    items = classified(parse_calendar(fixture_bytes("airbnb_hosting-1.0.ics")), Platform.AIRBNB)
    stays = of_kind(items, EventClass.RESERVATION)
    blocks = sorted((b.event.start, b.event.end) for b in of_kind(items, EventClass.BLOCK))

    checkouts = {s.event.end for s in stays}
    assert [s.event.start for s in stays if s.event.start in checkouts] == [date(2026, 3, 11)]
    gap_night, window = blocks
    assert gap_night == (date(2026, 3, 13), date(2026, 3, 14))  # between the stays ending 03-13 and starting 03-14
    assert window[1] == date(2026, 3, 10) + timedelta(days=366)  # DTSTAMP date + 366: the availability window


def test_all_day_dates_come_back_as_dates_and_the_description_unfolded_and_unescaped() -> None:
    first = parse_calendar(fixture_bytes("airbnb_hosting-1.0.ics")).events[0]

    assert type(first.start) is date and type(first.end) is date
    assert first.description == (
        "Reservation URL: https://www.airbnb.com/hosting/reservations/details/HMK4T7QW2Z\n"
        "Phone Number (Last 4 Digits): 3071"
    )


def test_an_airbnb_0_8_8_feed_without_dtstamp_parses_and_a_redacted_code_is_null() -> None:
    snapshot = parse_calendar(fixture_bytes("airbnb_hosting-0.8.8.ics"))
    items = classified(snapshot, Platform.AIRBNB)

    assert snapshot.ok
    assert kind_counts(items)[EventClass.RESERVATION] == 2 and kind_counts(items)[EventClass.BLOCK] == 1
    full, redacted = of_kind(items, EventClass.RESERVATION)
    assert (full.event.start, full.event.end, full.code, full.phone_last4) == (
        date(2021, 7, 4),
        date(2021, 7, 9),
        "HMP2W8KX5D",
        "6620",
    )
    assert (redacted.code, redacted.phone_last4) == (None, "8054")


def test_a_vrbo_english_feed_gives_named_and_bare_reservations_a_tentative_hold_and_a_block() -> None:
    items = classified(parse_calendar(fixture_bytes("vrbo_english.ics")), Platform.VRBO)

    assert kind_counts(items) == {
        EventClass.RESERVATION: 3,
        EventClass.TENTATIVE: 1,
        EventClass.BLOCK: 1,
        EventClass.UNCLASSIFIED: 0,
    }
    assert [r.guest for r in of_kind(items, EventClass.RESERVATION)] == ["Maren & Tobias", "O'Neill, Patrick", ""]
    assert [t.guest for t in of_kind(items, EventClass.TENTATIVE)] == ["Ilse"]
    (block,) = of_kind(items, EventClass.BLOCK)
    assert block.event.uid == vrbo_block_uid(block.event.start_date, block.event.end_date)


def test_a_booking_com_feed_is_all_closed_ranges_unless_blocks_are_bookings() -> None:
    snapshot = parse_calendar(fixture_bytes("bookingcom.ics"))

    assert snapshot.ok and len(snapshot.events) == 4
    assert kind_counts(classified(snapshot, Platform.BOOKING))[EventClass.BLOCK] == 4
    as_bookings = classified(snapshot, Platform.BOOKING, FeedOptions(blocks_are_bookings=True))
    assert kind_counts(as_bookings)[EventClass.RESERVATION] == 4
    assert snapshot.events[-1].end == date(2028, 3, 16)  # the trailing window block, DTSTAMP date + 548


def test_a_generic_feed_keeps_gesperrt_unclassified_reads_duration_and_keeps_timed_events_aware() -> None:
    snapshot = parse_calendar(fixture_bytes("generic_gesperrt.ics"))
    gesperrt, booked, timed = classified(snapshot, Platform.GENERIC)

    assert gesperrt.kind is EventClass.UNCLASSIFIED
    assert (booked.kind, booked.guest, booked.event.end) == (EventClass.RESERVATION, "Familie Brandt", date(2026, 6, 8))
    assert timed.kind is EventClass.BLOCK
    assert timed.event.start == datetime(2026, 6, 10, 16, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert (timed.event.start_date, timed.event.end_date) == (date(2026, 6, 10), date(2026, 6, 13))


def test_bad_events_are_skipped_and_noted_while_the_rest_of_the_feed_counts() -> None:
    snapshot = parse_calendar(fixture_bytes("malformed.ics"))

    assert snapshot.ok
    assert [(e.start, e.end) for e in snapshot.events] == [
        (date(2025, 3, 1), date(2025, 3, 3)),
        (date(2025, 9, 3), date(2025, 9, 5)),  # a broken DTSTAMP alone does not reject the event
    ]
    # DTEND before DTSTART, no UID, unreadable DTSTART, zero length, duplicate UID
    assert len(snapshot.rejected) == 5


# --- bodies that are not calendars -----------------------------------------------------------------

NOT_CALENDARS = {
    "empty": b"",
    "blank": b"\r\n  \n",
    "html": b"<!DOCTYPE html><html><body><h1>Guest Jane Doe</h1></body></html>",
    "json error": b'{"code":500,"message":"There was an error processing your request."}',
    "truncated": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n",
    "garbage inside": b"BEGIN:VCALENDAR\r\n{oops this is no content line}\r\nEND:VCALENDAR\r\n",
    "two calendars": b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
}


@pytest.mark.parametrize("body", NOT_CALENDARS.values(), ids=NOT_CALENDARS.keys())
def test_a_body_that_is_not_a_calendar_is_a_failed_fetch_that_never_quotes_the_body(body: bytes) -> None:
    snapshot = parse_calendar(body)

    assert not snapshot.ok and snapshot.events == ()
    assert snapshot.error.startswith("not a calendar: ")
    assert snapshot.body_sha256 == hashlib.sha256(body).hexdigest()
    for quoted in ("Jane", "There was an error", "oops", "UID:x"):
        assert quoted not in snapshot.error


@pytest.mark.parametrize("body", [b"", b"\r\n  \n", b"\x00\x00"])
def test_an_empty_body_is_a_failed_fetch_marked_empty(body: bytes) -> None:
    snapshot = parse_calendar(body)
    assert (snapshot.ok, snapshot.empty_body) == (False, True)


def test_a_non_empty_bad_body_is_not_marked_empty() -> None:
    assert parse_calendar(NOT_CALENDARS["html"]).empty_body is False


def test_a_valid_calendar_with_no_events_is_a_success_with_no_events() -> None:
    snapshot = parse_calendar(_calendar())

    assert snapshot.ok and snapshot.events == () and snapshot.rejected == ()


def test_nul_padding_a_bom_and_leading_blank_lines_are_tolerated() -> None:
    clean = fixture_bytes("bookingcom.ics")
    padded = b"\xef\xbb\xbf\r\n\r\n" + clean + b"\x00\x00\x00"

    snapshot = parse_calendar(padded)

    assert snapshot.events == parse_calendar(clean).events
    assert snapshot.body_sha256 == hashlib.sha256(padded).hexdigest()  # of the raw body, as fetched


def test_duration_gives_the_end_and_a_missing_end_means_one_day() -> None:
    body = _calendar(
        *_event("a", "DTSTART;VALUE=DATE:20260105", "DURATION:P4D", "SUMMARY:Reserved"),
        *_event("b", "DTSTART;VALUE=DATE:20260110", "SUMMARY:Reserved"),
    )

    assert [(e.start, e.end) for e in parse_calendar(body).events] == [
        (date(2026, 1, 5), date(2026, 1, 9)),
        (date(2026, 1, 10), date(2026, 1, 11)),
    ]


def test_a_cancelled_event_is_skipped_so_the_stay_reads_as_absent() -> None:
    body = _calendar(
        *_event("a", "DTSTART;VALUE=DATE:20260105", "DTEND;VALUE=DATE:20260107", "STATUS:CANCELLED"),
        *_event("b", "DTSTART;VALUE=DATE:20260110", "DTEND;VALUE=DATE:20260112", "STATUS:CONFIRMED"),
    )
    snapshot = parse_calendar(body)

    assert [e.uid for e in snapshot.events] == ["b"] and len(snapshot.rejected) == 1


def test_mixing_a_date_start_with_a_date_time_end_rejects_the_event() -> None:
    body = _calendar(*_event("a", "DTSTART;VALUE=DATE:20260105", "DTEND:20260107T100000Z"))
    snapshot = parse_calendar(body)

    assert snapshot.ok and snapshot.events == () and len(snapshot.rejected) == 1


# --- change detection ------------------------------------------------------------------------------


def test_the_content_hash_ignores_dtstamp_line_endings_and_blank_lines() -> None:
    raw = fixture_bytes("airbnb_hosting-1.0.ics")
    refetched = b"\n" + raw.replace(b"DTSTAMP:20260310T081512Z", b"DTSTAMP:20260310T104407Z").replace(b"\r\n", b"\n")
    first, second = parse_calendar(raw), parse_calendar(refetched)

    assert first.body_sha256 != second.body_sha256
    assert content_hash(first.events) == content_hash(second.events)
    assert content_hash(reversed(first.events)) == content_hash(first.events)


def test_the_content_hash_changes_when_a_stay_moves() -> None:
    raw = fixture_bytes("airbnb_hosting-1.0.ics")
    moved = raw.replace(b"DTEND;VALUE=DATE:20260321", b"DTEND;VALUE=DATE:20260322")

    assert content_hash(parse_calendar(raw).events) != content_hash(parse_calendar(moved).events)


def test_calendar_dates_do_not_depend_on_the_process_timezone(process_timezone: str) -> None:
    events = parse_calendar(fixture_bytes("airbnb_hosting-1.0.ics")).events

    assert (events[1].start, events[1].end) == (date(2026, 3, 11), date(2026, 3, 13))
    assert (events[1].end_date - events[1].start_date).days == 2


# --- the body digest that spares parsing an unchanged feed -----------------------------------------


def _stamped(stamp: str, newline: str = "\r\n", dtend: str = "20261203") -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Turnover tests//EN", "BEGIN:VEVENT", f"DTSTAMP:{stamp}",
             "UID:u1@example.test", "DTSTART;VALUE=DATE:20261201", f"DTEND;VALUE=DATE:{dtend}", "SUMMARY:Reserved",
             "END:VEVENT", "END:VCALENDAR"]  # fmt: skip
    return (newline.join(lines) + newline).encode()


def test_a_restamped_body_has_the_same_digest_and_is_not_parsed_again() -> None:
    first = parse_calendar(_stamped("20261125T090000Z"))
    again = parse_calendar(_stamped("20261125T091500Z", newline="\n"), known_digest=first.body_digest)
    assert first.ok and len(first.events) == 1 and first.body_digest
    assert again.same_as_before and again.events == () and again.body_digest == first.body_digest
    assert again.body_sha256 != first.body_sha256


def test_a_changed_event_changes_the_digest_and_is_parsed() -> None:
    first = parse_calendar(_stamped("20261125T090000Z"))
    moved = parse_calendar(_stamped("20261125T091500Z", dtend="20261204"), known_digest=first.body_digest)
    assert not moved.same_as_before and moved.body_digest != first.body_digest
    assert [e.end for e in moved.events] == [date(2026, 12, 4)]


def test_a_broken_body_is_a_failure_whatever_digest_is_known() -> None:
    snapshot = parse_calendar(b"<html>oops</html>", known_digest=parse_calendar(_stamped("x")).body_digest)
    assert not snapshot.ok and not snapshot.same_as_before
