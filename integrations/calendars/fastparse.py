"""A fast path for the common OTA feed shapes, with exactly the results of the icalendar path in `parse`.

`Calendar.from_ical` builds a full object model (parameters, typed values, error lists) for every
line; for the plain feeds Airbnb (1.0 and 0.8.8), VRBO/HomeAway and Booking.com send, that is most of
a sync's CPU. `parse_events` reads those feeds directly and returns `None` ("not sure: use
icalendar") for anything outside the small subset below, so `parse.parse_calendar` can fall back.
Whenever it returns a result, that result is what the icalendar path gives, byte for byte: the same
events (same types, same tzinfo) and the same rejection notes. `tests/.../test_fastparse.py` checks
this differentially against icalendar on fixtures, real samples, synthetic and randomised feeds.

Subset (anything else gives `None`):
- the body is decoded as icalendar decodes it (UTF-8, else all of it UTF-8 with replacement
  characters, so a fold inside a multi-byte character gives U+FFFD as in icalendar) and unfolded
  with icalendar's rule (a line break, any blank lines, then one space or tab); no lone CR;
- exactly one VCALENDAR, holding only properties and top-level VEVENTs (no VTIMEZONE, VALARM, ...);
- every line is `NAME[;PARAM=VALUE...]:value` with an ASCII name and plain parameter values (no
  quotes, escapes or spaces), no TZID parameter anywhere, VALUE only on DTSTART and DTEND;
- calendar properties: PRODID, VERSION, CALSCALE, METHOD and X- names (text, they cannot fail);
- VEVENT properties: UID, SUMMARY, DESCRIPTION, STATUS (TEXT, each at most once), DTSTART and DTEND
  (at most once; `YYYYMMDD`, or `YYYYMMDDTHHMMSS` with an optional `Z`, valid dates only), and
  properties we ignore whose parse can only fail softly: DTSTAMP, CREATED, LAST-MODIFIED (with a
  date or date-time value), SEQUENCE, PRIORITY, TRANSP, CLASS, LOCATION, COMMENT, CONTACT, URL,
  ORGANIZER, ATTENDEE and X- names. DURATION, RRULE, RDATE, EXDATE, RECURRENCE-ID and every other
  property are left to icalendar.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from icalendar.timezone import tzp

from domain.calendar import CalendarEvent

# icalendar's unfolding (icalendar.parser.content_line.UFOLD) is `(\r?\n)+[ \t]`: a line break, any
# further line breaks, then one space or tab. Once CRLF is LF (no lone CR: checked), that is
# `\n+[ \t]`; the lookbehind pins a match to the first LF of a run (linear time), and starting with
# a literal keeps the scan fast (UFOLD's leading lookbehinds cost ~2 ms on an 86-event feed).
_UNFOLD = re.compile(r"\n(?<!\n\n)\n*[ \t]")
_NAME = re.compile(r"[A-Za-z0-9-]+").fullmatch
# A parameter we can read without icalendar: no quotes, escapes, whitespace, `%` or `^` (RFC 6868).
_PARAM = re.compile(r"([A-Za-z0-9-]+)=([A-Za-z0-9._/+@-]+)").fullmatch
_DATE_OR_DATE_TIME = re.compile(r"[0-9]{8}(?:T[0-9]{6}Z?)?").fullmatch
# icalendar's TEXT unescaping (icalendar.parser.property.unescape_backslash): one pass, `\n`/`\N` is a
# newline, `\\` `\,` `\;` `\:` the character; any other backslash stays as it is.
_ESCAPE = re.compile(r"\\([\\,;:nN])")

_CALENDAR_PROPERTIES = frozenset({"PRODID", "VERSION", "CALSCALE", "METHOD"})  # TEXT: never fails
_TEXT = frozenset({"UID", "SUMMARY", "DESCRIPTION", "STATUS"})
_DATES = frozenset({"DTSTART", "DTEND"})
# Read by icalendar but not by us. A bad value only becomes an entry of `Event.errors`, which
# `parse._to_event` ignores for these names: DTSTAMP & co. are checked to be a date or date-time,
# since other shapes reach duration and period parsers.
_IGNORED_DATES = frozenset({"DTSTAMP", "CREATED", "LAST-MODIFIED"})
_IGNORED = frozenset(
    {"SEQUENCE", "PRIORITY", "TRANSP", "CLASS", "LOCATION", "COMMENT", "CONTACT", "URL", "ORGANIZER", "ATTENDEE"}
)


class _Unsure(Exception):
    """The body is outside the subset: icalendar decides."""


def parse_events(text: bytes) -> tuple[list[CalendarEvent], list[str]] | None:
    """Events and rejection notes of a cleaned body, or `None` when icalendar has to decide.

    `text` is what `parse.parse_calendar` hands over: NULs stripped, BOM and surrounding blank
    space removed, BEGIN:VCALENDAR ... END:VCALENDAR checked.
    """
    try:
        return _parse(text)
    except _Unsure:
        return None


def _parse(text: bytes) -> tuple[list[CalendarEvent], list[str]]:
    try:
        decoded = text.decode("utf-8-sig")
    except UnicodeDecodeError:  # icalendar then decodes the whole body with replacement characters
        decoded = text.decode("utf-8-sig", "replace")
    if "\r" in decoded:
        if decoded.count("\r") != decoded.count("\r\n"):  # a lone CR: icalendar keeps it inside a line
            raise _Unsure
        decoded = decoded.replace("\r\n", "\n")
    lines = [line for line in _UNFOLD.sub("", decoded).split("\n") if line]
    if len(lines) < 2 or _component(lines[0], "BEGIN") != "VCALENDAR" or _component(lines[-1], "END") != "VCALENDAR":
        raise _Unsure

    events: list[CalendarEvent] = []
    rejected: list[str] = []
    seen: set[str] = set()
    position = 0
    event: dict[str, str] | None = None  # the open VEVENT: used property -> its value (unescaped TEXT, raw dates)
    heads: dict[str, tuple[str, dict[str, str]]] = {}  # a feed repeats a handful of `NAME;PARAMS` heads
    for line in lines[1:-1]:
        head, colon, value = line.partition(":")
        if not colon:
            raise _Unsure
        known = heads.get(head)
        if known is None:
            known = heads[head] = _head(head)
        name, params = known
        if name == "BEGIN" or name == "END":
            if params or value.upper() != "VEVENT" or (event is None) != (name == "BEGIN"):
                raise _Unsure
            if name == "BEGIN":
                event = {}
                continue
            assert event is not None
            position += 1
            try:
                item = _to_event(event)
                if item.uid in seen:
                    raise _Rejected(f"duplicate UID {item.uid}")
            except _Rejected as why:
                rejected.append(f"VEVENT #{position}: {why}")
            else:
                seen.add(item.uid)
                events.append(item)
            event = None
        elif event is None:
            if params.get("VALUE") is not None or not (name in _CALENDAR_PROPERTIES or name.startswith("X-")):
                raise _Unsure
        elif name in _TEXT or name in _DATES:
            if name in event:  # icalendar would make a list of it
                raise _Unsure
            event[name] = _date_value(params, value) if name in _DATES else _text(params, value)
        elif params.get("VALUE") is not None:
            raise _Unsure
        elif name in _IGNORED_DATES:
            if not _DATE_OR_DATE_TIME(value):
                raise _Unsure
        elif not (name in _IGNORED or name.startswith("X-")):
            raise _Unsure
    if event is not None:
        raise _Unsure
    return events, rejected


def _component(line: str, keyword: str) -> str:
    """The component name of a plain `BEGIN:NAME` / `END:NAME` line, else ""."""
    head, colon, value = line.partition(":")
    return value.upper() if colon and head.upper() == keyword else ""


def _head(head: str) -> tuple[str, dict[str, str]]:
    """`NAME;P=V;...` -> upper-case name and parameters (upper-case names); plain parameters only."""
    if ";" not in head:
        if not _NAME(head):
            raise _Unsure
        return head.upper(), {}
    name, *raw_params = head.split(";")
    if not _NAME(name):
        raise _Unsure
    params: dict[str, str] = {}
    for raw in raw_params:
        match = _PARAM(raw)
        if match is None:
            raise _Unsure
        key = match.group(1).upper()
        if key in params or key == "TZID":
            raise _Unsure
        params[key] = match.group(2)
    return name.upper(), params


def _text(params: dict[str, str], value: str) -> str:
    if "VALUE" in params:  # might pick another value type than TEXT
        raise _Unsure
    if "\\" not in value:
        return value
    if "\\\\" not in value:  # no two backslashes in a row: escapes cannot overlap, plain replaces do
        return (
            value.replace("\\n", "\n").replace("\\N", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\:", ":")
        )
    return _ESCAPE.sub(_unescape_one, value)


def _unescape_one(match: re.Match[str]) -> str:
    char = match.group(1)
    return "\n" if char in "nN" else char


def _date_value(params: dict[str, str], value: str) -> str:
    """Check the shape; keep the raw value (converted once the event is complete)."""
    kind = params.get("VALUE")
    kind = kind.upper() if kind is not None else None
    if kind == "DATE":
        ok = len(value) == 8
    elif kind == "DATE-TIME":
        ok = len(value) in (15, 16)
    else:
        ok = kind is None and len(value) in (8, 15, 16)
    if not ok:
        raise _Unsure
    return value


def _to_date(value: str) -> date | datetime:
    """icalendar's vDDDTypes for the shapes we accept; an invalid date is left to icalendar (vBroken)."""
    try:
        if len(value) == 8 and value.isascii() and value.isdigit():
            return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
        digits = value[:8] + value[9:15]
        if (
            len(value) in (15, 16)
            and value[8] == "T"
            and value[15:] in ("", "Z")
            and digits.isascii()
            and digits.isdigit()
        ):
            naive = datetime(  # noqa: DTZ001 - floating, or UTC just below
                int(value[:4]), int(value[4:6]), int(value[6:8]), int(value[9:11]), int(value[11:13]), int(value[13:15])
            )
            return tzp.localize_utc(naive) if value[15:] else naive
    except ValueError:
        pass
    raise _Unsure


class _Rejected(Exception):
    """Why one VEVENT is skipped; the texts are those of `parse._to_event`."""


def _to_event(properties: dict[str, str]) -> CalendarEvent:
    """`parse._to_event`, step for step, on the raw values of one VEVENT."""
    # Convert first: an unreadable date is "unreadable DTSTART" in parse._to_event, which we leave
    # to icalendar rather than imitate.
    raw_start, raw_end = properties.get("DTSTART"), properties.get("DTEND")
    start = _to_date(raw_start) if raw_start is not None else None
    end = _to_date(raw_end) if raw_end is not None else None
    uid = properties.get("UID", "").strip()
    if not uid:
        raise _Rejected("no UID")
    if start is None:
        raise _Rejected(f"UID {uid}: no DTSTART")
    if properties.get("STATUS", "").upper() == "CANCELLED":
        raise _Rejected(f"UID {uid}: STATUS:CANCELLED")
    if end is None:  # Event.end: a date lasts one day, a date-time no time
        try:
            end = start if isinstance(start, datetime) else start + timedelta(days=1)
        except OverflowError:  # 9999-12-31
            raise _Rejected(f"UID {uid}: unusable dates (OverflowError)") from None
    elif isinstance(start, datetime) != isinstance(end, datetime):
        raise _Rejected(f"UID {uid}: unusable dates (InvalidCalendar)")  # DTSTART and DTEND of different types
    if isinstance(start, datetime) and isinstance(end, datetime) and (start.tzinfo is None) != (end.tzinfo is None):
        raise _Rejected(f"UID {uid}: unusable dates (TypeError)")  # comparing naive and aware date-times
    if end <= start:
        raise _Rejected(f"UID {uid}: end {end.isoformat()} is not after start {start.isoformat()}")
    return CalendarEvent(
        uid=uid,
        start=start,
        end=end,
        summary=properties.get("SUMMARY", ""),
        description=properties.get("DESCRIPTION", ""),
    )
