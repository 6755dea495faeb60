"""Bytes of an iCalendar feed -> `FeedSnapshot`, robust to what real feeds send (rules 1 and 18).

A body that is not a calendar (empty, HTML, a JSON error, truncated, unparsable) is a failed fetch:
`FeedSnapshot(error="not a calendar: <reason>")`, never "no events". Error texts and rejection notes
never quote the body: it holds guest data. A single bad VEVENT is skipped and noted in `rejected`;
the rest of the feed still counts. A valid calendar with no events is a success with `events=()`:
whether to trust it is the sync engine's decision (rule 2).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime

from icalendar import Calendar, Event

from domain.calendar import CalendarEvent, FeedSnapshot, events_hash
from integrations.calendars.fastparse import parse_events

_BOM = b"\xef\xbb\xbf"
_BEGIN = b"BEGIN:VCALENDAR"
_END = b"END:VCALENDAR"
# Properties we read: a broken one of these makes the event unusable. A broken DTSTAMP or
# LAST-MODIFIED does not, and rejecting the event for it would look like a cancellation.
_USED_PROPERTIES = frozenset({"UID", "DTSTART", "DTEND", "DURATION", "SUMMARY", "DESCRIPTION", "STATUS"})


class _Rejected(Exception):
    """Why one VEVENT is skipped (internal: becomes a line of `FeedSnapshot.rejected`)."""


def body_digest(text: bytes) -> str:
    """sha256 of a cleaned body without its DTSTAMP lines, whatever the line endings.

    Feeds restamp every event on every fetch (calendar-feeds.md §2.6), so raw bodies always differ;
    these digests are equal when nothing else changed, which spares parsing an unchanged feed.
    Equal digests imply equal events; different ones prove nothing (the events are compared then).
    """
    lines = (line.rstrip(b"\r") for line in text.split(b"\n"))
    return hashlib.sha256(b"\n".join(line for line in lines if not line.upper().startswith(b"DTSTAMP"))).hexdigest()


def parse_calendar(body: bytes, *, known_digest: str = "") -> FeedSnapshot:
    """Parse one fetched body. Never raises: a body that is not a calendar gives `error`.

    With `known_digest` equal to the body's `body_digest`, nothing is parsed: `same_as_before`.
    """
    return _parse_calendar(body, known_digest=known_digest)


def _parse_calendar(body: bytes, *, known_digest: str = "", fast_path: bool = True) -> FeedSnapshot:
    """`parse_calendar`; `fast_path=False` forces the icalendar path (for the differential tests)."""
    digest = hashlib.sha256(body).hexdigest()
    text = _clean(body)
    reason = _not_a_calendar(text)
    if reason:
        return FeedSnapshot(error=f"not a calendar: {reason}", body_sha256=digest, empty_body=not text)
    normalised = body_digest(text)
    if known_digest and normalised == known_digest:
        return FeedSnapshot(body_sha256=digest, body_digest=normalised, same_as_before=True)
    # The common OTA shapes are read directly; anything the fast path is not sure about goes to icalendar.
    parsed = parse_events(text) if fast_path else None
    if parsed is None:
        try:
            parsed = _parse_with_icalendar(text)
        except _Unparsable as failure:
            return FeedSnapshot(error=str(failure), body_sha256=digest)
    events, rejected = parsed
    return FeedSnapshot(events=tuple(events), body_sha256=digest, rejected=tuple(rejected), body_digest=normalised)


def _clean(body: bytes) -> bytes:
    """The body without NUL padding, a BOM and surrounding blank space."""
    text = body.replace(b"\x00", b"").strip()
    return text.removeprefix(_BOM).lstrip()


class _Unparsable(Exception):
    """icalendar could not read the body: a failed fetch (the text is the snapshot's error)."""


def _parse_with_icalendar(text: bytes) -> tuple[list[CalendarEvent], list[str]]:
    """The reference path: events and rejection notes of a cleaned body, read with icalendar."""
    try:
        calendar = Calendar.from_ical(text)
    except Exception as exc:  # any parser failure is a failed fetch, never a crash
        # The exception message quotes the offending line: keep only its type.
        raise _Unparsable(f"not a calendar: unparsable iCalendar ({type(exc).__name__})") from None
    if not isinstance(calendar, Calendar):  # the first line only starts with BEGIN:VCALENDAR (`BEGIN:VCALENDARX`)
        raise _Unparsable("not a calendar: unparsable iCalendar (no VCALENDAR component)")
    events: list[CalendarEvent] = []
    rejected: list[str] = []
    seen: set[str] = set()
    for position, component in enumerate(calendar.events, start=1):
        try:
            event = _to_event(component)
            if event.uid in seen:
                raise _Rejected(f"duplicate UID {event.uid}")
        except _Rejected as why:
            rejected.append(f"VEVENT #{position}: {why}")
            continue
        seen.add(event.uid)
        events.append(event)
    return events, rejected


def content_hash(events: Iterable[CalendarEvent]) -> str:
    """sha256 over the sorted (UID, start, end, SUMMARY, DESCRIPTION) of the events.

    DTSTAMP, property order, line endings and folding do not count: two fetches of an unchanged
    feed hash the same. This is `domain.calendar.events_hash`, so `FeedHealth.last_content_hash`
    written by the sync step compares equal to it.
    """
    return events_hash(events)


def _not_a_calendar(text: bytes) -> str:
    if not text:
        return "empty body"
    if text[: len(_BEGIN)].upper() != _BEGIN:
        if text[:1] == b"<":
            return "an HTML or XML page"
        if text[:1] in (b"{", b"["):
            return "a JSON body"
        return "does not start with BEGIN:VCALENDAR"
    if text[-len(_END) :].upper() != _END:
        return "truncated (no END:VCALENDAR at the end)"
    return ""


def _to_event(component: Event) -> CalendarEvent:
    broken = sorted({name.upper() for name, _ in component.errors if name and name.upper() in _USED_PROPERTIES})
    if broken:
        raise _Rejected(f"unreadable {', '.join(broken)}")
    uid = str(component.get("UID", "")).strip()
    if not uid:
        raise _Rejected("no UID")
    if "DTSTART" not in component:
        raise _Rejected(f"UID {uid}: no DTSTART")
    if str(component.get("STATUS", "")).upper() == "CANCELLED":
        raise _Rejected(f"UID {uid}: STATUS:CANCELLED")
    try:
        start: date | datetime = component.start
        end: date | datetime = component.end  # derives DTEND from DURATION, or start + 1 day
        if end <= start:
            raise _Rejected(f"UID {uid}: end {end.isoformat()} is not after start {start.isoformat()}")
    except (ValueError, TypeError, OverflowError) as exc:  # InvalidCalendar; aware vs naive; 9999-12-31 + 1 day
        raise _Rejected(f"UID {uid}: unusable dates ({type(exc).__name__})") from exc
    return CalendarEvent(
        uid=uid,
        start=start,
        end=end,
        summary=str(component.get("SUMMARY", "")),
        description=str(component.get("DESCRIPTION", "")),
    )
