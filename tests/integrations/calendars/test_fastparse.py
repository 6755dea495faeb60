"""The fast path gives exactly what the icalendar path gives, and is taken for the OTA formats.

Every check parses the same body twice, `_parse_calendar(body)` and `_parse_calendar(body,
fast_path=False)`, and compares the snapshots with `==` and with `repr` (which also tells a `date`
from a `datetime` and one tzinfo from another).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from domain.calendar import FeedSnapshot
from integrations.calendars.fastparse import parse_events
from integrations.calendars.parse import _clean, _parse_calendar
from integrations.calendars.synthetic import (
    BlockSpec,
    Stay,
    airbnb_calendar,
    block_after,
    booking_calendar,
    demo_stays,
    vrbo_calendar,
    window_block,
)
from tests.integrations.calendars.support import FIXTURES

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "ical-samples"
_STAMP = datetime(2026, 3, 10, 8, 15, 12, tzinfo=UTC)


def _fast_path_taken(body: bytes) -> bool:
    return parse_events(_clean(body)) is not None


def _same(body: bytes) -> FeedSnapshot:
    """Assert both paths agree on `body`; return the snapshot."""
    fast, reference = _parse_calendar(body), _parse_calendar(body, fast_path=False)
    assert fast == reference
    assert repr(fast) == repr(reference)
    return fast


def _calendar(*lines: str, newline: str = "\r\n") -> bytes:
    header = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Turnover tests//EN"]
    return newline.join([*header, *lines, "END:VCALENDAR"]).encode()


def _event(*lines: str) -> list[str]:
    return ["BEGIN:VEVENT", *lines, "END:VEVENT"]


# --- committed fixtures, real samples, synthetic writers ---------------------------------------

_FIXTURES = sorted(path.name for path in FIXTURES.glob("*.ics"))
_OTA_FIXTURES = {"airbnb_hosting-1.0.ics", "airbnb_hosting-0.8.8.ics", "vrbo_english.ics", "bookingcom.ics"}


def test_the_fixture_list_holds_the_ota_formats() -> None:
    assert set(_FIXTURES) >= _OTA_FIXTURES


@pytest.mark.parametrize("name", _FIXTURES)
def test_every_committed_fixture_parses_the_same_on_both_paths(name: str) -> None:
    body = (FIXTURES / name).read_bytes()
    _same(body)
    # NUL padding, a BOM, leading blank lines and LF endings change nothing either
    _same(b"\xef\xbb\xbf\r\n\r\n" + body.replace(b"\r\n", b"\n") + b"\x00\x00")
    assert _fast_path_taken(body) is (name in _OTA_FIXTURES)


_SAMPLE_NAMES = sorted(path.name for path in SAMPLES.glob("*.ics")) if SAMPLES.is_dir() else []
_NOT_FAST = {"airbnb_merged6_viewvillas_2026-08-21_http500-body.ics"}  # a JSON line inside: icalendar decides


@pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"real sample feeds not found at {SAMPLES}")
@pytest.mark.parametrize("name", _SAMPLE_NAMES)
def test_every_real_sample_parses_the_same_on_both_paths(name: str) -> None:
    body = (SAMPLES / name).read_bytes()
    _same(body)
    assert _fast_path_taken(body) is (name not in _NOT_FAST)


def _odd_stays(rng: random.Random, start: date, count: int) -> list[Stay]:
    names = ["Chloé & Inès", "O'Neill, Patrick", "Smith; Jones", "Back\\slash", "Zoë 😀 Łukasz", "山田 太郎", "Anne"]
    stays: list[Stay] = []
    check_in = start
    for index in range(count):
        nights = rng.randint(1, 6)
        guest = rng.choice([*names, ""])
        stays.append(
            Stay(
                uid=f"odd-{index}",
                check_in=check_in,
                check_out=check_in + timedelta(days=nights),
                guest=guest * rng.randint(1, 4),  # long names fold, sometimes inside a multi-byte character
                code="HM" + rng.choice(["K4T7QW2Z", "Ünïcødé,;:\\x" * rng.randint(1, 8)]),  # long folded DESCRIPTIONs
                phone_last4=rng.choice(["", f"{rng.randint(0, 9999):04d}"]),
            )
        )
        check_in += timedelta(days=nights + rng.choice([0, 0, 1, 3]))
    return stays


def _synthetic_bodies() -> dict[str, bytes]:
    today = date(2026, 3, 10)
    bodies: dict[str, bytes] = {}
    for seed in range(4):
        stays = demo_stays(today, seed=seed, days=120)
        blocks = [block_after(stays, uid=f"b{seed}"), window_block(today, uid=f"w{seed}")]
        bodies[f"airbnb-{seed}"] = airbnb_calendar(stays, blocks, stamp=_STAMP, listing_seed=f"l{seed}")
        bodies[f"vrbo-{seed}"] = vrbo_calendar(stays[1:], blocks, stamp=_STAMP, tentative=stays[:1])
        bodies[f"booking-{seed}"] = booking_calendar(
            [BlockSpec(s.uid, s.check_in, s.check_out) for s in stays], stamp=_STAMP, listing_seed=f"l{seed}"
        )
    rng = random.Random(20260310)
    for seed in range(4):
        stays = _odd_stays(rng, today, 25)
        blocks = [BlockSpec("gap", today - timedelta(days=3), today - timedelta(days=1))]
        bodies[f"airbnb-odd-{seed}"] = airbnb_calendar(stays, blocks, stamp=_STAMP, listing_seed=f"odd{seed}")
        bodies[f"vrbo-odd-{seed}"] = vrbo_calendar(stays, blocks, stamp=_STAMP, tentative=stays[:2])
    bodies["airbnb-empty"] = airbnb_calendar([], [], stamp=_STAMP, listing_seed="empty")
    bodies["booking-empty"] = booking_calendar([], stamp=_STAMP)
    # the same stay twice: a duplicate UID on every platform
    twice = demo_stays(today, seed=9)[:3] * 2
    bodies["airbnb-duplicates"] = airbnb_calendar(twice, [], stamp=_STAMP, listing_seed="dup")
    bodies["vrbo-duplicates"] = vrbo_calendar(twice, [], stamp=_STAMP)
    return bodies


_SYNTHETIC = _synthetic_bodies()


@pytest.mark.parametrize("name", _SYNTHETIC)
def test_synthetic_ota_feeds_take_the_fast_path_with_the_same_result(name: str) -> None:
    body = _SYNTHETIC[name]
    snapshot = _same(body)
    assert snapshot.ok and _fast_path_taken(body)
    if "duplicates" in name:
        assert len(snapshot.rejected) == 3 and all("duplicate UID" in note for note in snapshot.rejected)


def test_the_odd_synthetic_names_really_fold_inside_non_ascii_text() -> None:
    body = _SYNTHETIC["vrbo-odd-0"]
    snapshot = _same(body)
    assert b"\n " in body and any("😀" in e.summary or "山田" in e.summary for e in snapshot.events)
    assert any("\\" in e.description and ";" in e.description for e in _same(_SYNTHETIC["airbnb-odd-0"]).events)


# --- hand-written edge cases -------------------------------------------------------------------

_DATES = ("DTSTART;VALUE=DATE:20260105", "DTEND;VALUE=DATE:20260108")

EDGE_CASES_FAST: dict[str, bytes] = {
    "escapes": _calendar(
        *_event(
            "UID:esc\\,aped\\;uid\\\\x\\:y\\tz",
            *_DATES,
            "SUMMARY:a\\,b\\;c\\\\d\\ne\\Nf\\:g\\th\\qi\\\\,j \\",
            "DESCRIPTION:line 1\\nline 2\\N\\\\n literal backslash-n\\\\\\, and \\x",
        )
    ),
    "folding at odd places": (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//T//EN\r\nBEGIN:VEV\r\n ENT\r\nU\r\n ID:fo\r\n\tld\r\n"
        b"DTST\r\n ART;VAL\r\n UE=DA\r\n TE:2026\r\n 0105\r\nDTEND;VALUE=DATE:\r\n 20260107\r\n"
        b"SUMMARY:escape split \\\r\n n here, r\xc3\r\n \xa9serv\xc3\xa9e \xf0\x9f\r\n \x98\x80\r\n"
        b"DESCRIPTION:blank lines\r\n\r\n\r\n then folded\r\n  (two spaces)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ),
    "fold inside a multi-byte character only": _calendar(*_event("UID:mb", *_DATES, "SUMMARY:Réservée")).replace(
        b"R\xc3\xa9", b"R\xc3\r\n\t\xa9"
    ),
    "lowercase names": _calendar(
        "begin:vevent",
        "uid:lower",
        "dtstart;value=date:20260105",
        "dtend;Value=Date:20260107",
        "summary:x",
        "status:cancelled",
        "end:vevent",
        "Begin:VEvent",
        "Uid:lower-2",
        "DtStart:20260105T100000Z",
        "dtend;value=date-time:20260105T120000Z",
        "End:Vevent",
    ),
    "no DTEND": _calendar(
        *_event("UID:d", "DTSTART;VALUE=DATE:20260105"),
        *_event("UID:dt", "DTSTART:20260105T100000Z"),
        *_event("UID:floating", "DTSTART:20260105T100000"),
        *_event("UID:bare date", "DTSTART:20260106"),
    ),
    "end before start, end equal to start": _calendar(
        *_event("UID:back", "DTSTART;VALUE=DATE:20260601", "DTEND;VALUE=DATE:20260210"),
        *_event("UID:zero", "DTSTART;VALUE=DATE:20260601", "DTEND;VALUE=DATE:20260601"),
        *_event("UID:timed", "DTSTART:20260601T100000Z", "DTEND:20260601T090000Z"),
    ),
    "duplicate UID": _calendar(
        *_event("UID:dup", *_DATES),
        *_event("UID:dup", "DTSTART;VALUE=DATE:20260110", "DTEND;VALUE=DATE:20260112"),
        *_event("UID: dup ", "DTSTART;VALUE=DATE:20260120", "DTEND;VALUE=DATE:20260122"),  # stripped: same UID
        *_event("UID:dup-cancelled", *_DATES, "STATUS:CANCELLED"),
        *_event("UID:dup-cancelled", *_DATES),  # the cancelled one was never "seen"
    ),
    "cancelled": _calendar(
        *_event("UID:c1", *_DATES, "STATUS:CANCELLED"),
        *_event("UID:c2", *_DATES, "STATUS:Cancelled"),
        *_event("UID:c3", *_DATES, "STATUS:CONFIRMED"),
        *_event("UID:c4", *_DATES, "STATUS:CANCELLED "),  # not exactly CANCELLED: kept
        *_event("UID:c5", *_DATES, "STATUS:TENTATIVE"),
    ),
    "no UID, empty UID, no DTSTART": _calendar(
        *_event(*_DATES, "SUMMARY:no uid"),
        *_event("UID:", *_DATES),
        *_event("UID:   ", *_DATES),
        *_event("UID:nostart", "DTEND;VALUE=DATE:20260108", "SUMMARY:x"),
        *_event("DTEND;VALUE=DATE:20260108"),
    ),
    "date-times with Z and floating": _calendar(
        *_event("UID:z", "DTSTART:20260105T160000Z", "DTEND:20260108T100000Z"),
        *_event("UID:f", "DTSTART:20260105T160000", "DTEND:20260108T100000"),
        *_event("UID:mixed aware", "DTSTART:20260105T160000Z", "DTEND:20260108T100000"),
        *_event("UID:mixed types", "DTSTART;VALUE=DATE:20260105", "DTEND:20260107T100000Z"),
        *_event("UID:mixed types 2", "DTSTART:20260105T100000", "DTEND;VALUE=DATE:20260107"),
    ),
    "VALUE=DATE-TIME explicit": _calendar(
        *_event("UID:vdt", "DTSTART;VALUE=DATE-TIME:20260105T160000Z", "DTEND;VALUE=DATE-TIME:20260108T100000")
    ),
    "X- properties, ORGANIZER and friends": _calendar(
        "X-WR-CALNAME:Seeblick",
        "X-PUBLISHED-TTL;X-A=1:PT1H",
        "METHOD:PUBLISH",
        "CALSCALE:GREGORIAN",
        *_event(
            "UID:x",
            *_DATES,
            "X-AIRBNB-CODE:HM\\,123;weird:value",
            "X-FLAG;X-P=a.b/c+d@e-f:1",
            "ORGANIZER:mailto:noreply@booking.com",
            "ORGANIZER;CN=Booking.com:mailto:other@example.com",
            "ATTENDEE:mailto:guest@example.com",
            "DTSTAMP:20260105T100000Z",
            "LAST-MODIFIED:20260105T100000",
            "CREATED:20251399T000000Z",
            "SEQUENCE:not a number",
            "TRANSP:OPAQUE",
            "CLASS:PUBLIC",
            "LOCATION:Rua X\\, 12",
            "URL:https://example.com/a?b=c",
            "COMMENT:c",
            "CONTACT:c",
            "PRIORITY:1",
        ),
        "X-AFTER-EVENTS:1",
    ),
    "empty SUMMARY and DESCRIPTION": _calendar(*_event("UID:e", *_DATES, "SUMMARY:", "DESCRIPTION:")),
    "DESCRIPTION with a colon and a semicolon": _calendar(
        *_event("UID:cs", *_DATES, "SUMMARY:Check-in: 16:00; out: 11:00", "DESCRIPTION:Door code: 1234; wifi: x:y;z")
    ),
    "a LANGUAGE parameter on SUMMARY": _calendar(*_event("UID:l", *_DATES, "SUMMARY;LANGUAGE=fr:Réservée")),
    "LF endings, blank lines between events, trailing spaces": _calendar(
        *_event("UID:lf ", *_DATES, "SUMMARY:trailing  "), "", "", *_event("UID:lf2", *_DATES), newline="\n"
    ),
    "calendar with no events": _calendar(),
    "the last date there is": _calendar(
        *_event("UID:max", "DTSTART;VALUE=DATE:99991231"),  # start + 1 day overflows
        *_event("UID:max-2", "DTSTART;VALUE=DATE:99991230", "DTEND;VALUE=DATE:99991231"),
    ),
}

EDGE_CASES_FALLBACK: dict[str, bytes] = {
    "TZID": _calendar(
        *_event("UID:tz", "DTSTART;TZID=Europe/Berlin:20260610T160000", "DTEND;TZID=Europe/Berlin:20260613T100000")
    ),
    "TZID on an ignored property": _calendar(*_event("UID:tz", *_DATES, "DTSTAMP;TZID=Europe/Berlin:20260610T160000")),
    "DURATION": _calendar(*_event("UID:dur", "DTSTART;VALUE=DATE:20260105", "DURATION:P4D")),
    "VALARM inside VEVENT": _calendar(
        *_event("UID:al", *_DATES, "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT15M", "END:VALARM")
    ),
    "VTIMEZONE": _calendar(
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Berlin",
        "BEGIN:STANDARD",
        "DTSTART:19701025T030000",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "END:STANDARD",
        "END:VTIMEZONE",
        *_event("UID:v", *_DATES),
    ),
    "VTODO": _calendar("BEGIN:VTODO", "UID:t", "END:VTODO", *_event("UID:v", *_DATES)),
    "RRULE": _calendar(*_event("UID:r", *_DATES, "RRULE:FREQ=WEEKLY;COUNT=3")),
    "RECURRENCE-ID": _calendar(*_event("UID:r", *_DATES, "RECURRENCE-ID;VALUE=DATE:20260105")),
    "EXDATE": _calendar(*_event("UID:r", *_DATES, "EXDATE;VALUE=DATE:20260106")),
    "an unreadable DTSTART": _calendar(*_event("UID:u", "DTSTART;VALUE=DATE:2026XX05", "DTEND;VALUE=DATE:20260108")),
    "an impossible date": _calendar(*_event("UID:u", "DTSTART;VALUE=DATE:20260230", "DTEND;VALUE=DATE:20260302")),
    "VALUE=DATE on a date-time": _calendar(*_event("UID:u", "DTSTART;VALUE=DATE:20260105T100000", "SUMMARY:x")),
    "VALUE=DATE-TIME on a date": _calendar(*_event("UID:u", "DTSTART;VALUE=DATE-TIME:20260105", "SUMMARY:x")),
    "a lowercase z": _calendar(*_event("UID:u", "DTSTART:20260105T100000z", "SUMMARY:x")),
    "a DTSTAMP that is no date-time": _calendar(*_event("UID:s", *_DATES, "DTSTAMP:20260105T1000")),
    "SUMMARY twice": _calendar(*_event("UID:s", *_DATES, "SUMMARY:a", "SUMMARY:b")),
    "a quoted parameter": _calendar(*_event("UID:q", *_DATES, 'ORGANIZER;CN="Host: Jane":mailto:h@example.com')),
    "a VALUE parameter on SUMMARY": _calendar(*_event("UID:v", *_DATES, "SUMMARY;VALUE=TEXT:x")),
    "a space in a name": _calendar(*_event("UID:n", *_DATES, "SUMMARY :x")),
    "a line without a colon": _calendar(*_event("UID:n", *_DATES, "SUMMARY")),
    "a lone CR": _calendar(*_event("UID:n", *_DATES, "SUMMARY:a\rb")),
    "a CR before a CRLF": _calendar(*_event("UID:n", *_DATES, "SUMMARY:ab\r")),
    "a CR before a folded CRLF": _calendar(*_event("UID:n", *_DATES, "SUMMARY:ab\r\r\n c")),
    "CATEGORIES": _calendar(*_event("UID:c", *_DATES, "CATEGORIES:a,b")),
    "an unknown calendar property": _calendar("REFRESH-INTERVAL;VALUE=DURATION:PT1H", *_event("UID:c", *_DATES)),
    "END:VEVENT missing": _calendar("BEGIN:VEVENT", "UID:m", *_DATES),
    "a property after END:VCALENDAR": _calendar(*_event("UID:p", *_DATES)) + b"\r\nX-AFTER:END:VCALENDAR",
    "two calendars": _calendar(*_event("UID:a", *_DATES)) + b"\r\n" + _calendar(*_event("UID:b", *_DATES)),
    "a first line that only starts with BEGIN:VCALENDAR": b"BEGIN:VCALENDARX\r\nEND:VCALENDAR\r\n",
    "a JSON line": _calendar(*_event("UID:j", *_DATES), '{"code":500,"message":"error"}'),
}


@pytest.mark.parametrize("name", EDGE_CASES_FAST)
def test_edge_cases_in_the_subset_take_the_fast_path_with_the_same_result(name: str) -> None:
    body = EDGE_CASES_FAST[name]
    assert _same(body).ok
    assert _fast_path_taken(body)


@pytest.mark.parametrize("name", EDGE_CASES_FALLBACK)
def test_edge_cases_outside_the_subset_fall_back_to_icalendar(name: str) -> None:
    body = EDGE_CASES_FALLBACK[name]
    _same(body)
    assert not _fast_path_taken(body)


def test_the_edge_cases_give_what_parse_calendar_promises() -> None:
    """A few absolute checks, so the two paths cannot agree on something wrong unnoticed."""
    escapes = _same(EDGE_CASES_FAST["escapes"]).events[0]
    assert escapes.uid == "esc,aped;uid\\x:y\\tz"
    assert escapes.summary == "a,b;c\\d\ne\nf:g\\th\\qi\\,j \\"
    folded = _same(EDGE_CASES_FAST["folding at odd places"]).events[0]
    assert (folded.uid, folded.start, folded.end) == ("fold", date(2026, 1, 5), date(2026, 1, 7))
    # icalendar decodes the whole body with replacement characters when a fold splits a UTF-8 character
    assert folded.summary == "escape split \n here, r\ufffd\ufffdservée \ufffd\ufffd\ufffd"
    assert folded.description == "blank linesthen folded (two spaces)"
    missing = _same(EDGE_CASES_FAST["no DTEND"])
    assert [(e.uid, e.end) for e in missing.events] == [
        ("d", date(2026, 1, 6)),
        ("bare date", date(2026, 1, 7)),
    ]
    assert missing.rejected == (
        "VEVENT #2: UID dt: end 2026-01-05T10:00:00+00:00 is not after start 2026-01-05T10:00:00+00:00",
        "VEVENT #3: UID floating: end 2026-01-05T10:00:00 is not after start 2026-01-05T10:00:00",
    )
    assert _same(EDGE_CASES_FAST["duplicate UID"]).rejected == (
        "VEVENT #2: duplicate UID dup",
        "VEVENT #3: duplicate UID dup",
        "VEVENT #4: UID dup-cancelled: STATUS:CANCELLED",
    )
    assert _same(EDGE_CASES_FAST["date-times with Z and floating"]).rejected == (
        "VEVENT #3: UID mixed aware: unusable dates (TypeError)",
        "VEVENT #4: UID mixed types: unusable dates (InvalidCalendar)",
        "VEVENT #5: UID mixed types 2: unusable dates (InvalidCalendar)",
    )
    assert _same(EDGE_CASES_FAST["no UID, empty UID, no DTSTART"]).rejected == (
        "VEVENT #1: no UID",
        "VEVENT #2: no UID",
        "VEVENT #3: no UID",
        "VEVENT #4: UID nostart: no DTSTART",
        "VEVENT #5: no UID",
    )
    colon = _same(EDGE_CASES_FAST["DESCRIPTION with a colon and a semicolon"]).events[0]
    assert (colon.summary, colon.description) == ("Check-in: 16:00; out: 11:00", "Door code: 1234; wifi: x:y;z")


def test_a_body_icalendar_cannot_read_is_a_failed_fetch_on_both_paths() -> None:
    snapshot = _same(EDGE_CASES_FALLBACK["a JSON line"])
    assert not snapshot.ok and snapshot.error == "not a calendar: unparsable iCalendar (ValueError)"
    # icalendar reads `BEGIN:VCALENDARX` as another component; this used to crash with AttributeError
    snapshot = _same(EDGE_CASES_FALLBACK["a first line that only starts with BEGIN:VCALENDAR"])
    assert snapshot.error == "not a calendar: unparsable iCalendar (no VCALENDAR component)"


def test_an_end_past_the_last_date_rejects_the_event_instead_of_crashing() -> None:
    snapshot = _same(EDGE_CASES_FAST["the last date there is"])
    assert snapshot.rejected == ("VEVENT #1: UID max: unusable dates (OverflowError)",)
    assert [e.uid for e in snapshot.events] == ["max-2"]


def test_the_digest_shortcut_comes_before_either_path() -> None:
    body = _SYNTHETIC["airbnb-0"]
    known = _parse_calendar(body).body_digest
    assert _parse_calendar(body, known_digest=known) == _parse_calendar(body, known_digest=known, fast_path=False)
    assert _parse_calendar(body, known_digest=known).same_as_before


# --- randomised bodies -------------------------------------------------------------------------

_TEXT_PIECES = (
    "Reserved", "Réservée", " - ", "O'Neill", "a,b", "x;y", "\\,", "\\;", "\\\\", "\\n", "\\N", "\\:", "\\t", "\\",
    ":", "😀", "山田", "Zoë", "  ", "\t", "https://www.airbnb.com/hosting/reservations/details/HMAB12CD34", "",
)  # fmt: skip


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(_TEXT_PIECES) for _ in range(rng.randint(0, 12)))


def _when(rng: random.Random, day: date) -> tuple[str, str]:
    """A (parameters, value) pair for DTSTART/DTEND: dates, date-times (UTC or floating), rarely odd shapes."""
    stamp = f"{day:%Y%m%d}T{rng.randint(0, 23):02d}{rng.choice([0, 30]):02d}00"
    if rng.random() < 0.04:  # the fallback: a TZID, an unreadable date, a mismatched VALUE
        return rng.choice([(";TZID=Europe/Rome", stamp), (";VALUE=DATE", f"{day:%Y%m}XX"), (";VALUE=DATE", stamp)])
    return rng.choice(
        [
            (";VALUE=DATE", f"{day:%Y%m%d}"),
            (";VALUE=DATE", f"{day:%Y%m%d}"),
            (";value=date", f"{day:%Y%m%d}"),
            ("", f"{day:%Y%m%d}"),
            ("", stamp + "Z"),
            ("", stamp),
            (";VALUE=DATE-TIME", stamp + "Z"),
            (";X-P=1", f"{day:%Y%m%d}"),
        ]
    )


def _random_event(rng: random.Random, uids: list[str]) -> list[str]:
    start = date(2026, 1, 1) + timedelta(days=rng.randint(0, 60))
    end = start + timedelta(days=rng.randint(-2, 5))
    properties: list[str] = []
    if rng.random() < 0.92:
        properties.append(rng.choice(["UID", "uid", "Uid"]) + ":" + rng.choice([*uids, _text(rng), " "]))
    if rng.random() < 0.95:
        params, value = _when(rng, start)
        properties.append(rng.choice(["DTSTART", "dtstart"]) + params + ":" + value)
    if rng.random() < 0.8:
        params, value = _when(rng, end)
        properties.append(rng.choice(["DTEND", "DtEnd"]) + params + ":" + value)
    if rng.random() < 0.85:
        properties.append(rng.choice(["SUMMARY", "summary"]) + ":" + _text(rng))
    if rng.random() < 0.6:
        properties.append("DESCRIPTION:" + " ".join(_text(rng) for _ in range(rng.randint(1, 8))))
    if rng.random() < 0.3:
        properties.append("STATUS:" + rng.choice(["CANCELLED", "cancelled", "CONFIRMED", "TENTATIVE", "CANCELLED\\,"]))
    extras = [
        "DTSTAMP:20260101T120000Z", "DTSTAMP:20260101T120000", "ORGANIZER:mailto:noreply@booking.com",
        "X-TURNOVER:" + _text(rng), "X-FOO;X-BAR=baz:" + _text(rng), "SEQUENCE:" + rng.choice(["0", "x"]),
        "TRANSP:TRANSPARENT", "LOCATION:" + _text(rng),
    ]  # fmt: skip
    properties += rng.sample(extras, rng.randint(0, 3))
    rare = [
        "DURATION:P2D", "RRULE:FREQ=DAILY;COUNT=2", 'ATTENDEE;CN="A, B":mailto:a@example.com', "SUMMARY:again",
        "GEO:1.5;2.5", "DTSTAMP:20260101T1200", "BEGIN:VALARM\nTRIGGER:-PT5M\nACTION:DISPLAY\nEND:VALARM",
        "SUMMARY :spaced", "SUMMARY:lone\rCR", "X-CR:\r",
    ]  # fmt: skip
    if rng.random() < 0.05:
        properties.append(rng.choice(rare))
    rng.shuffle(properties)
    return ["BEGIN:VEVENT", *(line for prop in properties for line in prop.split("\n")), "END:VEVENT"]


def _fold_randomly(rng: random.Random, line: str, newline: bytes) -> bytes:
    """Fold at random byte offsets, sometimes inside a multi-byte character or an escape."""
    raw = line.encode()
    if len(raw) > 1 and rng.random() < 0.03:  # a broken writer: a space or tab that is no fold
        cut = rng.randrange(1, len(raw))
        raw = raw[:cut] + rng.choice([b" ", b"\t"]) + raw[cut:]
    if len(raw) < 2 or rng.random() < 0.6:
        return raw
    cuts = sorted(rng.sample(range(1, len(raw)), min(len(raw) - 1, rng.randint(1, 4))))
    parts = [raw[a:b] for a, b in zip([0, *cuts], [*cuts, len(raw)], strict=True)]
    breaks = [
        newline,
        newline,
        newline,
        b"\r\n",
        b"\n",
        newline * 2,
        b"\n\r\n",
    ]  # blank lines inside a fold, mixed ends
    return b"".join(
        part if i == 0 else rng.choice(breaks) + rng.choice([b" ", b"\t"]) + part for i, part in enumerate(parts)
    )


def _random_body(rng: random.Random) -> bytes:
    newline = rng.choice([b"\r\n", b"\n"])
    uids = [f"u{index}@example.test" for index in range(rng.randint(1, 4))]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", rng.choice(["PRODID:-//T//EN", "PRODID;X-RICAL-TZSOURCE=TZINFO:-//T"])]
    lines += rng.sample(["CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:" + _text(rng)], rng.randint(0, 3))
    for _ in range(rng.randint(0, 6)):
        lines += _random_event(rng, uids)
        if rng.random() < 0.1:
            lines.append("")
    lines.append("END:VCALENDAR")
    separator = newline + (b" " if rng.random() < 0.02 else b"")  # rarely: every line a continuation
    return separator.join(_fold_randomly(rng, line, newline) if line else b"" for line in lines) + newline


def test_randomised_bodies_parse_the_same_on_both_paths() -> None:
    rng = random.Random(5545)
    fast = 0
    for _ in range(400):
        body = _random_body(rng)
        _same(body)
        fast += _fast_path_taken(body)
    assert fast >= 150  # the mix exercises the fast path, not only the fallback
