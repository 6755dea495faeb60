"""What a calendar feed says, once parsed: events, and how each is classified.

Parsing (bytes -> `CalendarEvent`) is an adapter's job; classifying is a pure rule here.
Classify by SUMMARY with a per-platform, locale-aware table, never by UID prefix or PRODID.
"""

from __future__ import annotations

import enum
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from domain.feeds import FeedOptions, Platform


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    uid: str
    start: date | datetime
    end: date | datetime  # exclusive
    summary: str
    description: str = ""

    @property
    def start_date(self) -> date:
        return self.start.date() if isinstance(self.start, datetime) else self.start

    @property
    def end_date(self) -> date:
        return self.end.date() if isinstance(self.end, datetime) else self.end


@dataclass(frozen=True, slots=True)
class FeedSnapshot:
    """One fetch's result: parsed events or the reason it failed (a failure changes nothing)."""

    events: tuple[CalendarEvent, ...] = ()
    error: str = ""
    body_sha256: str = ""
    rejected: tuple[str, ...] = ()  # events skipped while parsing, with why
    empty_body: bool = False  # a failed fetch whose body was empty: counts toward confirming an empty feed
    body_digest: str = ""  # sha256 of the body without its DTSTAMP lines (`same_as_before` compares it)
    same_as_before: bool = False  # the body matched the digest the caller knew: not parsed, `events` empty

    @property
    def ok(self) -> bool:
        return not self.error


class EventClass(enum.StrEnum):
    RESERVATION = "reservation"
    TENTATIVE = "tentative"
    BLOCK = "block"
    UNCLASSIFIED = "unclassified"


@dataclass(frozen=True, slots=True)
class Classified:
    event: CalendarEvent
    kind: EventClass
    guest: str = ""
    code: str | None = None
    phone_last4: str | None = None
    guests: int | None = None
    from_block: bool = False  # a block summary counted as a booking because the feed is set so


_RESERVED = {
    Platform.AIRBNB: re.compile(r"^Reserved$"),
    Platform.VRBO: re.compile(r"^(Reserved|Réservée|Reservado|Reservada|Reserviert|Prenotato)( ?- ?(?P<name>.+))?$"),
    Platform.GENERIC: re.compile(r"^(Reserved|Booked|Reservation)( ?- ?(?P<name>.+))?$", re.IGNORECASE),
}
_TENTATIVE = re.compile(r"^(Tentative|Provisoire|Provisional)( ?- ?(?P<name>.+))?$")
_BLOCKED = {
    Platform.AIRBNB: re.compile(r"^Airbnb \(Not available\)$|^Not available$"),
    Platform.VRBO: re.compile(r"^(Blocked|Indisponible|Unavailable|No disponible|Bloqueado)$"),
    Platform.BOOKING: re.compile(r"^CLOSED - .*$"),
    Platform.GENERIC: re.compile(r"^(Blocked|Not available|Unavailable|Closed)\b", re.IGNORECASE),
}
_HM_CODE = re.compile(r"\b(HM[A-Z0-9]{8})\b")
_LAST4 = re.compile(r"\(Last 4 Digits\):\s*(\d{4})")
_GUESTS = re.compile(r"(?im)^\s*(?:number of guests|guests|adults)\s*[:=]\s*(\d{1,3})\b")


def classify(event: CalendarEvent, platform: Platform, options: FeedOptions) -> Classified:
    summary = event.summary.strip()
    if platform is not Platform.BOOKING:
        reserved = _RESERVED[platform].match(summary)
        if reserved:
            name = (reserved.groupdict().get("name") or "").strip()
            return _reservation(event, EventClass.RESERVATION, name)
        tentative = _TENTATIVE.match(summary) if platform in (Platform.VRBO, Platform.GENERIC) else None
        if tentative:
            return _reservation(event, EventClass.TENTATIVE, (tentative.group("name") or "").strip())
    if _BLOCKED[platform].match(summary):
        if options.blocks_are_bookings:
            item = _reservation(event, EventClass.RESERVATION, "")
            return Classified(event, item.kind, code=item.code, guests=item.guests, from_block=True)
        return Classified(event, EventClass.BLOCK)
    return Classified(event, EventClass.UNCLASSIFIED)


def _reservation(event: CalendarEvent, kind: EventClass, guest: str) -> Classified:
    code = _HM_CODE.search(event.description)
    phone = _LAST4.search(event.description)
    guests = _GUESTS.search(event.description)
    return Classified(
        event,
        kind,
        guest=guest,
        code=code.group(1) if code else None,
        phone_last4=phone.group(1) if phone else None,
        guests=int(guests.group(1)) or None if guests else None,
    )


def events_hash(events: Iterable[CalendarEvent]) -> str:
    """Hash of what matters in a fetch: (UID, start, end, SUMMARY, DESCRIPTION), order-free.

    DTSTAMP churns on every fetch, so bodies always differ; this does not.
    """
    rows = sorted(
        f"{e.uid}\x1f{e.start.isoformat()}\x1f{e.end.isoformat()}\x1f{e.summary}\x1f{e.description}" for e in events
    )
    return hashlib.sha256("\x1e".join(rows).encode()).hexdigest()
