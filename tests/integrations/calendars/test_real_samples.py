"""Conformance against the real sample feeds of `calendar-feeds.md` §5, read where they are stored.

They hold personal data, so they are never copied into this repository and no value from them
(codes, phone digits, names) is written here: the tests check counts and shapes only.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from domain.calendar import EventClass
from domain.feeds import Platform
from integrations.calendars.parse import content_hash, parse_calendar
from tests.integrations.calendars.support import classified, kind_counts, of_kind

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "ical-samples"

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"real sample feeds not found at {SAMPLES}")


def _sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def test_chilllove_raw_gives_25_reservations_with_codes_and_phones_and_3_blocks() -> None:
    snapshot = parse_calendar(_sample("airbnb_chilllove_2025-10-22T2254Z_raw.ics"))
    items = classified(snapshot, Platform.AIRBNB)

    assert snapshot.ok and snapshot.rejected == ()
    assert kind_counts(items) == {
        EventClass.RESERVATION: 25,
        EventClass.TENTATIVE: 0,
        EventClass.BLOCK: 3,
        EventClass.UNCLASSIFIED: 0,
    }
    stays = of_kind(items, EventClass.RESERVATION)
    assert len({s.code for s in stays if s.code}) == 25
    assert all(s.phone_last4 and re.fullmatch(r"\d{4}", s.phone_last4) for s in stays)
    windows = [b.event for b in of_kind(items, EventClass.BLOCK) if b.event.end == date(2026, 10, 23)]
    assert [w.start for w in windows] == [date(2026, 4, 1)]


def test_chilllove_stay_dates_are_calendar_dates_in_any_process_timezone(process_timezone: str) -> None:
    events = parse_calendar(_sample("airbnb_chilllove_2025-10-22T2254Z_raw.ics")).events

    assert any((e.start, e.end) == (date(2025, 10, 22), date(2025, 10, 24)) for e in events)
    assert all(type(e.start) is date and type(e.end) is date for e in events)


def test_chilllove_pasted_and_raw_are_the_same_28_events() -> None:
    raw = parse_calendar(_sample("airbnb_chilllove_2025-10-22T2254Z_raw.ics"))
    pasted = parse_calendar(_sample("airbnb_chilllove_2025-10-22T2020Z_pasted.ics"))

    assert len(pasted.events) == 28 and set(pasted.events) == set(raw.events)
    assert content_hash(pasted.events) == content_hash(raw.events)
    assert pasted.body_sha256 != raw.body_sha256


def test_abritel_gives_five_reservations_four_named_one_tentative_and_one_block() -> None:
    items = classified(parse_calendar(_sample("vrbo-abritel_tiloc-test_2020-07-03.ics")), Platform.VRBO)

    assert kind_counts(items) == {
        EventClass.RESERVATION: 5,
        EventClass.TENTATIVE: 1,
        EventClass.BLOCK: 1,
        EventClass.UNCLASSIFIED: 0,
    }
    assert sum(1 for r in of_kind(items, EventClass.RESERVATION) if r.guest) == 4


def test_tiloc_2020_gives_one_reservation_with_a_null_code_but_a_phone_and_one_block() -> None:
    items = classified(parse_calendar(_sample("airbnb-0.8.8_tiloc-test_2020.ics")), Platform.AIRBNB)

    (stay,) = of_kind(items, EventClass.RESERVATION)
    assert len(of_kind(items, EventClass.BLOCK)) == 1
    assert stay.code is None and stay.phone_last4 is not None and re.fullmatch(r"\d{4}", stay.phone_last4)
    assert (stay.event.end_date - stay.event.start_date).days == 10


def test_icaltest_2025_keeps_two_blocks_and_rejects_the_one_ending_before_it_starts() -> None:
    snapshot = parse_calendar(_sample("airbnb-0.8.8_icaltest_2025_blocks.ics"))

    assert snapshot.ok and len(snapshot.rejected) == 1
    assert kind_counts(classified(snapshot, Platform.AIRBNB))[EventClass.BLOCK] == 2


def test_the_merged_file_with_an_http_500_body_is_a_failed_fetch() -> None:
    snapshot = parse_calendar(_sample("airbnb_merged6_viewvillas_2026-08-21_http500-body.ics"))

    assert not snapshot.ok and snapshot.events == ()
    assert snapshot.error.startswith("not a calendar: ") and "error processing" not in snapshot.error


def test_the_merged_file_parses_whole_but_its_prefixed_summaries_are_unclassified() -> None:
    snapshot = parse_calendar(_sample("airbnb_merged6_viewvillas_2026-08-22.ics"))

    assert snapshot.ok and len(snapshot.events) == 176
    assert kind_counts(classified(snapshot, Platform.AIRBNB))[EventClass.UNCLASSIFIED] == 176


def test_the_empty_vita_calendar_is_a_success_with_no_events() -> None:
    snapshot = parse_calendar(_sample("bookingcom_vita_2026-04-14T2237Z_empty.ics"))

    assert snapshot.ok and snapshot.events == ()


def test_vita_with_nul_bytes_appended_still_gives_its_one_event() -> None:
    snapshot = parse_calendar(_sample("bookingcom_vita_2026-04-14T2142Z.ics") + b"\x00\x00")

    assert snapshot.ok and len(snapshot.events) == 1


@pytest.mark.parametrize(
    ("name", "closed"),
    [("bookingcom_berta_2026-08-22.ics", 5), ("bookingcom_berta_2026-07-07_before-ORGANIZER.ics", 6)],
)
def test_berta_is_all_closed_blocks_with_or_without_organizer(name: str, closed: int) -> None:
    items = classified(parse_calendar(_sample(name)), Platform.BOOKING)

    assert len(items) == closed
    assert all(item.kind is EventClass.BLOCK for item in items)
