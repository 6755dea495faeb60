"""Calendar feeds: one per listing and platform, with its options and health."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Platform(enum.StrEnum):
    AIRBNB = "airbnb"
    VRBO = "vrbo"
    BOOKING = "booking"
    GENERIC = "generic"


@dataclass(slots=True)
class FeedOptions:
    blocks_are_bookings: bool = False  # Booking.com closures or Guesty Lite exports that are real stays
    honour_event_times: bool = False  # PMS feeds whose date-times carry real check-in/out times
    dtend_is_last_night: bool = False  # some PMS exports: checkout = DTEND + 1 day


@dataclass(slots=True)
class FeedHealth:
    last_attempt_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str = ""
    consecutive_failures: int = 0
    last_content_hash: str = ""  # hash of the normalised events, not of the body (DTSTAMP churns)
    next_fetch_at: datetime | None = None

    def record_success(self, at: datetime, content_hash: str) -> None:
        self.last_attempt_at = self.last_success_at = at
        self.last_error = ""
        self.consecutive_failures = 0
        self.last_content_hash = content_hash

    def record_failure(self, at: datetime, error: str) -> None:
        self.last_attempt_at = at
        self.last_error = error
        self.consecutive_failures += 1


@dataclass(slots=True)
class Feed:
    id: str
    property_id: str
    platform: Platform
    url: str  # a secret: never logged, never echoed back (see `redacted_url`)
    created_at: datetime
    options: FeedOptions = field(default_factory=FeedOptions)
    health: FeedHealth = field(default_factory=FeedHealth)

    @property
    def redacted_url(self) -> str:
        return redact_url(self.url)


def redact_url(url: str) -> str:
    """Keep scheme and host only: the path and query of a feed URL carry its access token."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return "<feed>"
    host = rest.split("/", 1)[0].split("?", 1)[0]
    return f"{scheme}://{host}/…"
