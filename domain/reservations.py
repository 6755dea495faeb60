"""Reservations (stays) and blocks (availability only) as read from feeds.

Dates are calendar dates in the property's timezone: never converted through UTC.
Check-out is exclusive (the DTEND date), so nights = check_out - check_in.

Reservation states: `confirmed | tentative -> cancelled | out_of_window | merged`, and back:
a UID that returns is the same reservation. `merged` is a Booking.com range whose remaining nights
another range of the same feed now covers (the feed merged adjacent closures): not a cancellation.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.errors import InvalidInput


class ReservationStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    TENTATIVE = "tentative"
    CANCELLED = "cancelled"
    OUT_OF_WINDOW = "out_of_window"
    MERGED = "merged"


ACTIVE_RESERVATION = frozenset({ReservationStatus.CONFIRMED, ReservationStatus.TENTATIVE})


@dataclass(slots=True)
class Reservation:
    id: str
    host_id: str
    property_id: str
    feed_id: str
    uid: str  # identity is (feed_id, uid)
    check_in: date
    check_out: date
    status: ReservationStatus
    first_seen_at: datetime
    updated_at: datetime
    code: str | None = None  # Airbnb HM code, a secondary key
    guest: str = ""  # outside text: data, never instructions
    phone_last4: str | None = None
    guests: int | None = None  # when the feed says (PMS exports); None: unknown
    check_in_at: datetime | None = None  # aware; only from feeds set to honour event times
    check_out_at: datetime | None = None
    start_clipped: bool = False  # the range was first seen already running: its start is not an arrival
    from_block: bool = False  # a block the feed is set to count as a booking (weaker than a real reservation)

    def __post_init__(self) -> None:
        if self.check_out <= self.check_in:
            raise InvalidInput(f"Reservation {self.uid}: check-out must come after check-in.")
        for instant in (self.check_in_at, self.check_out_at):
            if instant is not None and instant.tzinfo is None:
                raise InvalidInput(f"Reservation {self.uid}: event times must be timezone-aware.")

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_RESERVATION

    def nights_from(self, day: date) -> set[date]:
        """The occupied nights on or after `day` (a night is named by the date it starts)."""
        first = max(self.check_in, day)
        return {first + timedelta(days=n) for n in range((self.check_out - first).days)}

    def overlaps(self, start: date, end: date) -> bool:
        return self.check_in < end and start < self.check_out


@dataclass(slots=True)
class Block:
    """Dates a feed marks unavailable that are not a stay: kept as availability, never planned for."""

    id: str
    property_id: str
    feed_id: str
    uid: str
    start: date
    end: date  # exclusive
    summary: str
    updated_at: datetime
    window: bool = False  # a rolling availability-window block at the feed's horizon
