from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.calendar import EventClass
from domain.feeds import Platform
from integrations.calendars.parse import parse_calendar
from integrations.calendars.synthetic import (
    BlockSpec,
    Stay,
    airbnb_calendar,
    airbnb_uid,
    block_after,
    demo_stays,
    vrbo_block_uid,
    vrbo_calendar,
    window_block,
)
from tests.integrations.calendars.support import classified, kind_counts, of_kind

TODAY = date(2026, 3, 10)
STAMP = datetime(2026, 3, 10, 8, 15, 12, tzinfo=UTC)
AIRBNB_UID = re.compile(r"^[0-9a-f]{12}-[0-9a-f]{32}@airbnb\.com$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _lines(body: bytes, newline: bytes) -> list[bytes]:
    assert body.endswith(newline)
    return body[: -len(newline)].split(newline)


def test_demo_stays_are_ordered_non_overlapping_stays_of_one_to_five_nights_covering_the_window() -> None:
    stays = demo_stays(TODAY, seed=3, days=60)

    assert all(1 <= (s.check_out - s.check_in).days <= 5 for s in stays)
    assert all(a.check_out <= b.check_in for a, b in itertools.pairwise(stays))
    assert stays[0].check_in <= TODAY + timedelta(days=1) < stays[0].check_out + timedelta(days=1)
    assert stays[-1].check_out >= TODAY + timedelta(days=60)
    assert len({s.uid for s in stays}) == len({s.code for s in stays}) == len(stays)
    assert any(b.check_in > a.check_out for a, b in itertools.pairwise(stays))  # some gaps


@pytest.mark.parametrize("seed", range(1, 21))
def test_demo_stays_always_include_a_same_day_turnover_within_two_weeks(seed: int) -> None:
    stays = demo_stays(TODAY, seed=seed)
    checkouts = {s.check_out for s in stays}

    assert any(TODAY <= s.check_in < TODAY + timedelta(days=14) and s.check_in in checkouts for s in stays)


def test_demo_stays_are_deterministic_per_seed() -> None:
    assert demo_stays(TODAY, seed=5) == demo_stays(TODAY, seed=5)
    assert demo_stays(TODAY, seed=5) != demo_stays(TODAY, seed=6)


def test_an_airbnb_feed_round_trips_stays_as_reservations_with_their_dates_codes_and_phones() -> None:
    stays = demo_stays(TODAY, seed=1)
    blocks = [block_after(stays), window_block(TODAY)]
    body = airbnb_calendar(stays, blocks, stamp=STAMP, listing_seed="Alfama loft")

    items = classified(parse_calendar(body), Platform.AIRBNB)

    assert kind_counts(items)[EventClass.RESERVATION] == len(stays)
    assert kind_counts(items)[EventClass.BLOCK] == 2 and kind_counts(items)[EventClass.UNCLASSIFIED] == 0
    got = {(r.event.uid, r.event.start, r.event.end, r.code, r.phone_last4) for r in items if r.code}
    assert got == {(airbnb_uid("Alfama loft", s.uid), s.check_in, s.check_out, s.code, s.phone_last4) for s in stays}


def test_an_airbnb_feed_has_the_hosting_1_0_shape() -> None:
    stay = Stay("s1", date(2026, 3, 11), date(2026, 3, 13), code="HMQ2X7KD4P", phone_last4="4821")
    block = BlockSpec("b1", date(2026, 3, 13), date(2026, 3, 14))
    body = airbnb_calendar([stay], [block], stamp=STAMP, listing_seed="x")
    lines = _lines(body, b"\r\n")

    assert b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    assert lines[:4] == [b"BEGIN:VCALENDAR", b"PRODID:-//Airbnb Inc//Hosting Calendar 1.0//EN", b"CALSCALE:GREGORIAN",
                         b"VERSION:2.0"]  # fmt: skip
    names = [line.split(b":")[0].split(b";")[0] for line in lines[5:11]]
    assert names == [b"DTSTAMP", b"DTSTART", b"DTEND", b"SUMMARY", b"UID", b"DESCRIPTION"]
    assert lines[5] == b"DTSTAMP:20260310T081512Z"
    assert lines[10:12] == [
        b"DESCRIPTION:Reservation URL: https://www.airbnb.com/hosting/reservations/de",
        b" tails/HMQ2X7KD4P\\nPhone Number (Last 4 Digits): 4821",
    ]
    assert all(AIRBNB_UID.match(e.uid) for e in parse_calendar(body).events)


def test_airbnb_uids_are_derived_from_the_listing_seed_with_one_prefix_per_kind() -> None:
    reservation, other_listing = airbnb_uid("a", "s1"), airbnb_uid("b", "s1")
    block = airbnb_uid("a", "s1", block=True)

    assert reservation != other_listing and reservation[:12] == other_listing[:12]
    assert block[:12] != reservation[:12]
    assert all(AIRBNB_UID.match(uid) for uid in (reservation, other_listing, block))


def test_the_same_inputs_give_the_same_bytes() -> None:
    stays = demo_stays(TODAY, seed=2)

    first, again = (airbnb_calendar(stays, [], stamp=STAMP, listing_seed="x") for _ in range(2))

    assert first == again
    assert vrbo_calendar(stays, [], stamp=STAMP) == vrbo_calendar(stays, [], stamp=STAMP)


def test_a_vrbo_feed_round_trips_named_bare_and_tentative_stays_and_a_date_encoded_block() -> None:
    named = Stay("s1", date(2026, 4, 2), date(2026, 4, 6), guest="Smith, Jo; Kai")
    bare = Stay("s2", date(2026, 4, 6), date(2026, 4, 9))
    hold = Stay("s3", date(2026, 4, 20), date(2026, 4, 22), guest="Ilse")
    block = BlockSpec("ignored", date(2026, 4, 12), date(2026, 4, 15))
    body = vrbo_calendar([named, bare], [block], stamp=STAMP, tentative=[hold])

    items = classified(parse_calendar(body), Platform.VRBO)

    assert b"\r" not in body and body.splitlines()[3] == b"PRODID:-//HomeAway.com, Inc.//EN"
    assert [(r.guest, r.event.start, r.event.end) for r in of_kind(items, EventClass.RESERVATION)] == [
        ("Smith, Jo; Kai", date(2026, 4, 2), date(2026, 4, 6)),
        ("", date(2026, 4, 6), date(2026, 4, 9)),
    ]
    assert [t.guest for t in of_kind(items, EventClass.TENTATIVE)] == ["Ilse"]
    (blocked,) = of_kind(items, EventClass.BLOCK)
    assert blocked.event.uid == vrbo_block_uid(block.start, block.end) == "04122026-0412-2026-0415-202604152026"
    assert all(UUID.match(r.event.uid) for r in items if r.kind is not EventClass.BLOCK)


def test_folding_never_splits_a_multibyte_character() -> None:
    guest = "Zoë & Éléonore Åström-Øvergård " * 4
    body = vrbo_calendar([Stay("s1", date(2026, 4, 2), date(2026, 4, 6), guest=guest.strip())], [], stamp=STAMP)

    lines = _lines(body, b"\n")
    assert all(len(line) <= 75 for line in lines)
    assert all(line.decode() for line in lines)  # each physical line is valid UTF-8 on its own
    (item,) = classified(parse_calendar(body), Platform.VRBO)
    assert item.guest == guest.strip()


def test_a_naive_stamp_is_refused() -> None:
    with pytest.raises(ValueError):
        airbnb_calendar([], [], stamp=datetime(2026, 3, 10, 8, 0), listing_seed="x")


def test_block_helpers_place_an_owner_block_after_the_stays_and_the_window_to_a_year_ahead() -> None:
    stays = demo_stays(TODAY, seed=1, days=20)

    assert block_after(stays, gap_days=2, nights=3).start == stays[-1].check_out + timedelta(days=2)
    assert window_block(TODAY).end == TODAY + timedelta(days=366)
