"""Calendar feeds: one per listing and platform, with its options and health."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

HOLD_CONFIRMATIONS = 3  # a held diff is applied after this many identical fetches...
HOLD_SPAN = timedelta(hours=2)  # ...spanning at least this long (calendar-feeds.md rules 2 and 3)
STALE_AFTER = timedelta(hours=6)


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
    held_since: datetime | None = None  # first fetch of the diff now on hold
    held_count: int = 0  # fetches in a row that repeated it
    held_hash: str = ""  # events hash of the held fetch
    stale_alerted: bool = False  # the host was told this feed went stale; reset by a good fetch
    last_body_digest: str = ""  # body digest (DTSTAMP lines left out) of the last trusted fetch
    last_event_count: int = 0  # events in the last trusted fetch

    def record_success(self, at: datetime, content_hash: str, body_digest: str = "", event_count: int = 0) -> None:
        self.last_attempt_at = self.last_success_at = at
        self.last_error = ""
        self.consecutive_failures = 0
        self.last_content_hash = content_hash
        self.last_body_digest = body_digest
        self.last_event_count = event_count
        self.stale_alerted = False
        self.clear_hold()

    def record_failure(self, at: datetime, error: str) -> None:
        self.last_attempt_at = at
        self.last_error = error
        self.consecutive_failures += 1

    def observe_hold(self, content_hash: str, at: datetime) -> bool:
        """Count one more fetch with a held diff; True once the same one is confirmed.

        A different fetch restarts the count: only a repeated, stable result is trusted.
        """
        if self.held_since is None or content_hash != self.held_hash:
            self.held_since, self.held_hash, self.held_count = at, content_hash, 1
        else:
            self.held_count += 1
        return self.held_count >= HOLD_CONFIRMATIONS and at - self.held_since >= HOLD_SPAN

    @property
    def holding(self) -> bool:
        return self.held_since is not None

    def clear_hold(self) -> None:
        self.held_since, self.held_hash, self.held_count = None, "", 0

    def is_stale(self, at: datetime) -> bool:
        """No good fetch for STALE_AFTER (counted from the first attempt when there never was one)."""
        since = self.last_success_at
        return since is not None and at - since >= STALE_AFTER


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


class FetchOutcome(enum.StrEnum):
    APPLIED = "applied"  # trusted and changed something (or the first import)
    UNCHANGED = "unchanged"  # same events as the last good fetch
    HELD = "held"  # untrusted: waiting for confirmation
    CONFIRMED = "confirmed"  # a held diff seen often enough, now applied
    FAILED = "failed"  # nothing changed (calendar-feeds.md rule 1)


@dataclass(frozen=True, slots=True)
class FeedFetch:
    """The audit of one fetch (rule 21): what came back, and what was decided and why.

    `events` holds the parsed snapshot when it differs from the previous good one, so decisions can
    be replayed; it is booking data (it may hold guest names and phone digits).
    """

    id: str
    feed_id: str
    at: datetime
    outcome: FetchOutcome
    body_sha256: str = ""
    events_hash: str = ""
    event_count: int = 0
    error: str = ""
    held_reason: str = ""
    new: int = 0
    changed: int = 0
    cancelled: int = 0
    events: tuple[dict[str, Any], ...] | None = None
