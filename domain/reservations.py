"""Reservations (stays) and blocks (availability only) as read from feeds.

Dates are calendar dates in the property's timezone: never converted through UTC.
Check-out is exclusive (the DTEND date), so nights = check_out - check_in.

Reservation states: `confirmed | tentative -> cancelled | out_of_window`, and back:
a UID that returns is the same reservation.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from domain.errors import InvalidInput


class ReservationStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    TENTATIVE = "tentative"
    CANCELLED = "cancelled"
    OUT_OF_WINDOW = "out_of_window"


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

    def __post_init__(self) -> None:
        if self.check_out <= self.check_in:
            raise InvalidInput(f"Reservation {self.uid}: check-out must come after check-in.")

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_RESERVATION


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
