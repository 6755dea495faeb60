"""From RentAHuman JSON to our objects: one parsing function per object (`rentahuman-api.md` §8).

Each function reads the documented resource key (`payload["human"]`) and falls back to the top
level, so it accepts a whole response or one item of a list. Every guessed ([G]) key lives in
exactly one function. Unknown fields stay in `raw`; a missing required key raises
`RentAHumanSchemaError` naming it (`booking.status`).

This module holds humans, bookings, reviews, rate-limit headers and the shared field readers;
`parse_hiring` holds escrow, rentals, bounties and applications; `parse_messaging` holds
conversations, messages and webhooks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.hires import Worker
from domain.ports import BookingState
from integrations.rentahuman.errors import RentAHumanSchemaError

EPOCH_THRESHOLD = 10**9  # an X-RateLimit-Reset above this is epoch seconds, else a delay (§3)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

Json = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Human:
    """A RentAHuman profile: the domain `Worker` we rank with, plus what only this adapter reads."""

    worker: Worker
    country: str = ""
    timezone: str = "UTC"
    availability: Json = field(default_factory=dict)  # weekly object; inner format [G]
    raw: Json = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.worker.id


@dataclass(frozen=True, slots=True)
class Booking:
    """A booking as listed or fetched; `state` is what the `Marketplace` port returns."""

    state: BookingState
    agent_id: str = ""
    title: str = ""
    start: datetime | None = None
    end: datetime | None = None
    payment_status: str = ""
    raw: Json = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.state.booking_id


@dataclass(frozen=True, slots=True)
class Review:
    id: str
    human_id: str
    rating: float
    comment: str = ""
    created_at: datetime | None = None
    raw: Json = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RateLimit:
    """The `X-RateLimit-*` and `Retry-After` headers of one response; None where absent or unreadable."""

    limit: int | None = None
    remaining: int | None = None
    reset_at: datetime | None = None
    retry_after: float | None = None


def parse_human(payload: Json) -> Human:
    data = _resource(payload, "human")
    location = data.get("location")
    if isinstance(location, Mapping):
        city, country = str(location.get("city") or ""), str(location.get("country") or "")
    else:  # a plain string ("Lisbon, PT") or nothing: keep what we can
        city, _, country = str(location or data.get("city") or "").partition(",")
        city, country = city.strip(), country.strip()
    worker = Worker(
        id=_text(data, "id", "human"),
        name=_text(data, "name", "human"),
        skills=tuple(str(s) for s in _list(data, "skills", "human")),
        hourly_rate=_decimal(data, "hourlyRate", "human"),
        city=city,
        rating=_float(data.get("rating", 0), "human.rating"),
        review_count=int(_float(data.get("reviewCount", 0), "human.reviewCount")),
        currency=str(data.get("currency") or "USD"),
        is_available=bool(data.get("isAvailable", True)),
        timezone=str(data.get("timezone") or "UTC"),  # defaults to UTC [V]
        availability=parse_availability(data.get("availability")),
    )
    availability = data.get("availability")
    return Human(
        worker=worker,
        country=country,
        timezone=worker.timezone,
        availability=availability if isinstance(availability, Mapping) else {},
        raw=dict(data),
    )


def parse_availability(value: object) -> tuple[tuple[int, time, time], ...]:
    """The weekly `availability` object [V] as sorted (weekday 0=Monday, start, end) windows.

    The inner format is [G] (Q11): `{"Monday": [{"start": "09:00", "end": "17:00"}]}`; a day may
    also be written `"mon"` or `"MONDAY"`, a window `"09:00-17:00"`. An end of `24:00` is the end of
    the day. Unreadable days or windows, and windows that end before they start (overnight), are
    skipped rather than fatal: availability only ranks workers, it never decides a hire.
    """
    if not isinstance(value, Mapping):
        return ()
    windows: set[tuple[int, time, time]] = set()
    for day, entries in value.items():
        weekday = _weekday(day)
        if weekday is None or not isinstance(entries, list):
            continue
        for entry in entries:
            span = _window(entry)
            if span is not None:
                windows.add((weekday, *span))
    return tuple(sorted(windows))


def _weekday(day: object) -> int | None:
    name = str(day).strip().lower()
    for number, full in enumerate(WEEKDAYS):
        if len(name) >= 3 and full.startswith(name):
            return number
    return None


def _window(entry: object) -> tuple[time, time] | None:
    if isinstance(entry, Mapping):
        start, end = entry.get("start"), entry.get("end")
    elif isinstance(entry, str) and "-" in entry:
        start, _, end = entry.partition("-")
    else:
        return None
    first, last = _clock_time(start), _clock_time(end)
    if first is None or last is None or last <= first:
        return None
    return first, last


def _clock_time(value: object) -> time | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text in ("24:00", "24:00:00"):
        return time.max
    try:
        return time.fromisoformat(text)
    except ValueError:
        return None


def parse_booking(payload: Json) -> Booking:
    """A booking [V]. `evidence` and `updatedAt` are [G] (the sandbox's, modelled on escrow §5.6).

    `state.updated_at` is `updatedAt`; a booking without it that says `completedAt` and is
    `completed` takes that instead (its last change was its completion). Unreadable, it is None.
    """
    data = _resource(payload, "booking")
    total = data.get("totalAmount")
    status = _text(data, "status", "booking")
    updated = _lenient_time(data.get("updatedAt"))
    if updated is None and status == "completed":
        updated = _lenient_time(data.get("completedAt"))
    state = BookingState(
        booking_id=_text(data, "id", "booking"),
        worker_id=_text(data, "humanId", "booking"),
        status=status,
        total=None if total is None else _decimal(data, "totalAmount", "booking"),
        evidence=parse_evidence(data.get("evidence")),
        updated_at=updated,
    )
    return Booking(
        state=state,
        agent_id=str(data.get("agentId") or ""),
        title=str(data.get("taskTitle") or ""),
        start=parse_time(data.get("startTime"), "booking.startTime"),
        end=parse_time(data.get("endTime"), "booking.endTime"),
        payment_status=str(data.get("paymentStatus") or ""),
        raw=dict(data),
    )


def parse_review(payload: Json) -> Review:
    """Review keys are [G] (§5.2): `id`, `humanId`, `rating`, `comment`, `createdAt`."""
    data = _resource(payload, "review")
    return Review(
        id=_text(data, "id", "review"),
        human_id=str(data.get("humanId") or ""),
        rating=_float(_required(data, "rating", "review"), "review.rating"),
        comment=str(data.get("comment") or ""),
        created_at=parse_time(data.get("createdAt"), "review.createdAt"),
        raw=dict(data),
    )


def parse_rate_limit(headers: Mapping[str, str], *, now: float) -> RateLimit:
    """Read the rate-limit headers; `now` is the wall clock in epoch seconds.

    `X-RateLimit-Reset` is epoch seconds when above 10^9, else a delay in seconds from `now` (§3, Q8).
    Unreadable values count as absent: rate-limit headers are advice, never a reason to fail.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    reset = _number(lowered.get("x-ratelimit-reset"))
    reset_at = None
    if reset is not None:
        reset_at = datetime.fromtimestamp(reset if reset > EPOCH_THRESHOLD else now + reset, UTC)
    limit, remaining = _number(lowered.get("x-ratelimit-limit")), _number(lowered.get("x-ratelimit-remaining"))
    return RateLimit(
        limit=None if limit is None else int(limit),
        remaining=None if remaining is None else int(remaining),
        reset_at=reset_at,
        retry_after=_number(lowered.get("retry-after")),
    )


def parse_evidence(value: object) -> tuple[str, ...]:
    """Delivery evidence `[{type, url | text}]` [G]: each item's `url`, else its `text`; others skipped."""
    if not isinstance(value, list):
        return ()
    found: list[str] = []
    for item in value:
        if isinstance(item, str) and item:
            found.append(item)
        elif isinstance(item, Mapping):
            kept = item.get("url") or item.get("text")
            if isinstance(kept, str) and kept:
                found.append(kept)
    return tuple(found)


def items_of(payload: Json, key: str) -> list[Json]:
    """The list under `key` (`humans`, `bookings`, `reviews`); a missing or non-list key is a schema error."""
    items = payload.get(key)
    if not isinstance(items, list):
        raise RentAHumanSchemaError(f"RentAHuman response has no {key!r} list")
    if not all(isinstance(item, Mapping) for item in items):
        raise RentAHumanSchemaError(f"RentAHuman {key!r} holds something other than objects")
    return items


def has_more(payload: Json, received: int, asked: int) -> bool:
    """`hasMore` when the server says it [C]; otherwise a full page means there may be more."""
    flag = payload.get("hasMore")
    if isinstance(flag, bool):
        return flag and received > 0
    return received >= asked > 0


def parse_time(value: object, name: str) -> datetime | None:
    """An ISO 8601 instant as an aware UTC datetime; a naive one is taken as UTC; None stays None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RentAHumanSchemaError(f"RentAHuman {name} is not an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise RentAHumanSchemaError(f"RentAHuman {name} is not an ISO 8601 instant: {value!r}") from exc
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _lenient_time(value: object) -> datetime | None:
    """A timestamp we only display or compare: unreadable counts as absent."""
    try:
        return parse_time(value, "time")
    except RentAHumanSchemaError:
        return None


def _resource(payload: Json, key: str) -> Json:
    inner = payload.get(key)
    return inner if isinstance(inner, Mapping) else payload


def _required(data: Json, key: str, what: str) -> Any:
    if data.get(key) is None:
        raise RentAHumanSchemaError(f"RentAHuman {what} has no {key!r} (expected {what}.{key})")
    return data[key]


def _text(data: Json, key: str, what: str) -> str:
    value = _required(data, key, what)
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise RentAHumanSchemaError(f"RentAHuman {what}.{key} is not a string")
    return str(value)


def _list(data: Json, key: str, what: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise RentAHumanSchemaError(f"RentAHuman {what}.{key} is not a list")
    return value


def _decimal(data: Json, key: str, what: str) -> Decimal:
    value = _required(data, key, what)
    if isinstance(value, bool):
        raise RentAHumanSchemaError(f"RentAHuman {what}.{key} is not a number")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise RentAHumanSchemaError(f"RentAHuman {what}.{key} is not a number: {value!r}") from exc


def _float(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise RentAHumanSchemaError(f"RentAHuman {name} is not a number")
    try:
        return float(value)
    except ValueError as exc:
        raise RentAHumanSchemaError(f"RentAHuman {name} is not a number: {value!r}") from exc


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
