"""Deterministic synthetic feeds in the platforms' real formats, for the demo, tests and benchmarks.

The writers reproduce what `calendar-feeds.md` §1 documents (PRODID, property order, line endings,
75-octet folding, SUMMARY strings); every code, digit, name and UID is invented or derived from a
seed, so the output holds no personal data. Same inputs, same bytes.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

AIRBNB_PRODID = "-//Airbnb Inc//Hosting Calendar 1.0//EN"
VRBO_PRODID = "-//HomeAway.com, Inc.//EN"
BOOKING_PRODID = r"-//admin.booking.com\\\, b.v.//NONSGML v1.0//EN"  # the broken escaping Booking.com sends
_AIRBNB_URL = "https://www.airbnb.com/hosting/reservations/details/"
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_GUESTS = ("Ana", "Bruno", "Chloé", "Dmitri", "Emma", "Farah", "Giulia", "Hiro", "Inès", "Jonas", "Kofi", "Lena")
_NIGHTS = (1, 2, 2, 2, 3, 3, 3, 4, 4, 5)  # roughly the measured mix (calendar-feeds.md §2.7)
_GAPS = (0, 0, 0, 1, 1, 2, 3, 4)  # about a third of stays start the day the previous one ends


@dataclass(frozen=True, slots=True)
class Stay:
    """A reservation to publish. `uid` is our key; each writer derives its platform's UID from it."""

    uid: str
    check_in: date
    check_out: date  # exclusive, as DTEND
    guest: str = ""  # VRBO shows it; Airbnb never does
    code: str = ""  # Airbnb confirmation code, HM + 8 characters
    phone_last4: str = ""  # empty: no phone line in the DESCRIPTION


@dataclass(frozen=True, slots=True)
class BlockSpec:
    uid: str
    start: date
    end: date  # exclusive


def airbnb_calendar(stays: Sequence[Stay], blocks: Sequence[BlockSpec], *, stamp: datetime, listing_seed: str) -> bytes:
    """An Airbnb "Hosting Calendar 1.0" feed: CRLF, folded DESCRIPTION, `Reserved` / `Airbnb (Not available)`."""
    dtstamp = _dtstamp(stamp)
    lines = ["BEGIN:VCALENDAR", f"PRODID:{AIRBNB_PRODID}", "CALSCALE:GREGORIAN", "VERSION:2.0"]
    for stay in sorted(stays, key=lambda s: (s.check_in, s.uid)):
        description = f"Reservation URL: {_AIRBNB_URL}{stay.code}"
        if stay.phone_last4:
            description += f"\nPhone Number (Last 4 Digits): {stay.phone_last4}"
        lines += _vevent(
            ("DTSTAMP", dtstamp),
            ("DTSTART;VALUE=DATE", f"{stay.check_in:%Y%m%d}"),
            ("DTEND;VALUE=DATE", f"{stay.check_out:%Y%m%d}"),
            ("SUMMARY", "Reserved"),
            ("UID", airbnb_uid(listing_seed, stay.uid)),
            ("DESCRIPTION", escape_text(description)),
        )
    for block in sorted(blocks, key=lambda b: (b.start, b.uid)):
        lines += _vevent(
            ("DTSTAMP", dtstamp),
            ("DTSTART;VALUE=DATE", f"{block.start:%Y%m%d}"),
            ("DTEND;VALUE=DATE", f"{block.end:%Y%m%d}"),
            ("SUMMARY", "Airbnb (Not available)"),
            ("UID", airbnb_uid(listing_seed, block.uid, block=True)),
        )
    lines.append("END:VCALENDAR")
    return _serialise(lines, "\r\n")


def vrbo_calendar(
    stays: Sequence[Stay],
    blocks: Sequence[BlockSpec],
    *,
    stamp: datetime,
    tentative: Sequence[Stay] = (),
    listing_seed: str = "vrbo",
) -> bytes:
    """A VRBO/HomeAway feed, English locale: LF, `Reserved - <name>` (or bare), `Tentative - <name>`, `Blocked`.

    Stays get UUIDv4-style UIDs derived from the seed; a block's UID encodes its dates, as VRBO's do.
    """
    dtstamp = _dtstamp(stamp)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "CALSCALE:GREGORIAN", f"PRODID:{VRBO_PRODID}"]
    items = [(s.check_in, "Reserved", s) for s in stays] + [(s.check_in, "Tentative", s) for s in tentative]
    for _, label, stay in sorted(items, key=lambda item: (item[0], item[2].uid)):
        lines += _vevent(
            ("UID", vrbo_uid(listing_seed, stay.uid)),
            ("DTSTAMP", dtstamp),
            ("DTSTART;VALUE=DATE", f"{stay.check_in:%Y%m%d}"),
            ("DTEND;VALUE=DATE", f"{stay.check_out:%Y%m%d}"),
            ("SUMMARY", escape_text(f"{label} - {stay.guest}" if stay.guest else label)),
        )
    for block in sorted(blocks, key=lambda b: (b.start, b.uid)):
        lines += _vevent(
            ("UID", vrbo_block_uid(block.start, block.end)),
            ("DTSTAMP", dtstamp),
            ("DTSTART;VALUE=DATE", f"{block.start:%Y%m%d}"),
            ("DTEND;VALUE=DATE", f"{block.end:%Y%m%d}"),
            ("SUMMARY", "Blocked"),
        )
    lines.append("END:VCALENDAR")
    return _serialise(lines, "\n")


def booking_uid(listing_seed: str, key: str) -> str:
    """`<32 hex>@booking.com`, derived from the seed and our key (a new key is a new UID)."""
    digest = _hex("\x1f".join(("booking", listing_seed, key)))
    return f"{digest[:32]}@booking.com"


def booking_calendar(ranges: Sequence[BlockSpec], *, stamp: datetime, listing_seed: str = "booking") -> bytes:
    """A Booking.com feed as in calendar-feeds.md §1.4: CRLF, the broken PRODID escaping, METHOD:PUBLISH,
    every event `CLOSED - Not available` with an ORGANIZER line (sent since 2026-07-07)."""
    dtstamp = _dtstamp(stamp)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{BOOKING_PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for closed in sorted(ranges, key=lambda r: (r.start, r.uid)):
        lines += [
            "BEGIN:VEVENT",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{closed.start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{closed.end:%Y%m%d}",
            f"UID:{booking_uid(listing_seed, closed.uid)}",
            "SUMMARY:CLOSED - Not available",
            "ORGANIZER:mailto:noreply@booking.com",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(line + "\r\n" for line in lines).encode()


def airbnb_uid(listing_seed: str, key: str, *, block: bool = False) -> str:
    """`<12 hex>-<32 hex>@airbnb.com`: one shared prefix per kind (as on Airbnb), the rest from seed and key."""
    prefix = _hex("turnover-synthetic-airbnb-" + ("block" if block else "reservation"))[:12]
    suffix = _hex(f"{listing_seed}\x1f{key}")[:32]
    return f"{prefix}-{suffix}@airbnb.com"


def vrbo_uid(listing_seed: str, key: str) -> str:
    return str(uuid.UUID(_hex(f"vrbo\x1f{listing_seed}\x1f{key}")[:32], version=4))


def vrbo_block_uid(start: date, end: date) -> str:
    """The date-encoded block UID: 2020-02-29 -> 2020-03-05 gives `02292020-0229-2020-0305-202003052020`."""
    return f"{start:%m%d%Y}-{start:%m%d}-{start:%Y}-{end:%m%d}-{end:%Y%m%d%Y}"


def demo_stays(today: date, *, seed: int, days: int = 60) -> list[Stay]:
    """A realistic run of stays from about today to `today + days`: 1–5 nights, some gaps.

    The first stay is in progress or starts soon and the second starts the day the first ends, so
    there is always a same-day turnover within the next week. Deterministic for (today, seed).
    """
    rng = random.Random(f"turnover-demo-stays-{seed}")
    check_in = today + timedelta(days=rng.randint(-2, 1))
    stays: list[Stay] = []
    while len(stays) < 2 or check_in < today + timedelta(days=days):
        nights = rng.choice(_NIGHTS)
        if not stays:
            nights = max(nights, (today - check_in).days + 1)  # the first stay is not over yet
        check_out = check_in + timedelta(days=nights)
        stays.append(
            Stay(
                uid=f"demo-{seed}-{check_in:%Y%m%d}",
                check_in=check_in,
                check_out=check_out,
                guest=rng.choice(_GUESTS),
                code="HM" + "".join(rng.choices(_CODE_ALPHABET, k=8)),
                phone_last4=f"{rng.randint(0, 9999):04d}",
            )
        )
        gap = 0 if len(stays) == 1 else rng.choice(_GAPS)
        check_in = check_out + timedelta(days=gap)
    return stays


def block_after(stays: Sequence[Stay], *, uid: str = "block-1", gap_days: int = 2, nights: int = 3) -> BlockSpec:
    """An owner block starting `gap_days` after the last stay's checkout."""
    start = max(s.check_out for s in stays) + timedelta(days=gap_days)
    return BlockSpec(uid=uid, start=start, end=start + timedelta(days=nights))


def window_block(today: date, *, bookable_days: int = 180, uid: str = "window") -> BlockSpec:
    """Airbnb's rolling availability-window block: from the end of the bookable window to today + 366."""
    return BlockSpec(uid=uid, start=today + timedelta(days=bookable_days), end=today + timedelta(days=366))


def _vevent(*properties: tuple[str, str]) -> list[str]:
    return ["BEGIN:VEVENT", *(f"{name}:{value}" for name, value in properties), "END:VEVENT"]


def _dtstamp(stamp: datetime) -> str:
    if stamp.tzinfo is None:
        raise ValueError("stamp must be timezone-aware")
    return f"{stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def escape_text(text: str) -> str:
    """RFC 5545 TEXT escaping."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_line(line: str) -> list[str]:
    """RFC 5545 folding: content lines of at most 75 octets, never splitting a UTF-8 character."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return parts


def _serialise(lines: list[str], newline: str) -> bytes:
    return "".join(part + newline for line in lines for part in fold_line(line)).encode()


def _hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
