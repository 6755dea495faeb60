"""One parsing function per object: resource key or top level, unknown fields kept, missing keys named."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from decimal import Decimal

import pytest
from inline_snapshot import snapshot

from domain.hires import Worker
from domain.ports import BookingState
from integrations.rentahuman.errors import RentAHumanSchemaError
from integrations.rentahuman.parse import (
    RateLimit,
    has_more,
    items_of,
    parse_booking,
    parse_human,
    parse_rate_limit,
    parse_review,
    parse_time,
)

HUMAN = {
    "id": "usIRzadv7zSqYE4adJxW", "name": "Maria G.", "skills": ["Cleaning", "House Sitting"], "hourlyRate": 28,
    "currency": "USD", "location": {"city": "Las Vegas", "state": "NV", "country": "US"},
    "timezone": "America/Los_Angeles", "availability": {"Monday": [{"start": "09:00", "end": "17:00"}]},
    "rating": 4.8, "reviewCount": 127, "isAvailable": True, "isVerified": True, "languages": ["en", "es"],
}  # fmt: skip
BOOKING = {
    "id": "bk1", "humanId": "usIRzadv7zSqYE4adJxW", "agentId": "turnover-host-42", "taskTitle": "Turnover clean",
    "startTime": "2026-03-01T18:00:00Z", "endTime": "2026-03-01T21:00:00Z", "estimatedHours": 3, "totalAmount": 84,
    "paymentStatus": "pending", "status": "pending", "escrowHint": "kept in raw",
}  # fmt: skip


def test_a_human_becomes_a_domain_worker() -> None:
    human = parse_human({"success": True, "human": HUMAN})

    assert human.worker == snapshot(
        Worker(
            id="usIRzadv7zSqYE4adJxW",
            name="Maria G.",
            skills=("Cleaning", "House Sitting"),
            hourly_rate=Decimal("28"),
            city="Las Vegas",
            rating=4.8,
            review_count=127,
            currency="USD",
            is_available=True,
            timezone="America/Los_Angeles",
            availability=((0, time(9, 0), time(17, 0)),),
        )
    )
    assert (human.country, human.timezone) == ("US", "America/Los_Angeles")
    assert human.raw["languages"] == ["en", "es"]


def test_a_human_is_read_from_the_top_level_when_there_is_no_resource_key() -> None:
    assert parse_human(HUMAN) == parse_human({"success": True, "human": HUMAN})


def test_a_human_with_a_string_location_keeps_its_city() -> None:
    human = parse_human(HUMAN | {"location": "Lisbon, PT"})

    assert (human.worker.city, human.country) == ("Lisbon", "PT")


def test_optional_human_fields_have_defaults() -> None:
    human = parse_human({"id": "h1", "name": "Ana", "hourlyRate": "22.50"})

    assert human.worker.hourly_rate == Decimal("22.50") and human.worker.skills == ()
    assert (human.worker.rating, human.worker.review_count, human.worker.is_available) == (0.0, 0, True)


@pytest.mark.parametrize("missing", ["id", "name", "hourlyRate"])
def test_a_human_without_a_required_key_is_a_schema_error_naming_it(missing: str) -> None:
    broken = {k: v for k, v in HUMAN.items() if k != missing}

    with pytest.raises(RentAHumanSchemaError, match=re.escape(f"human.{missing}")):
        parse_human({"success": True, "human": broken})


def test_a_human_with_a_rate_that_is_not_a_number_is_a_schema_error() -> None:
    with pytest.raises(RentAHumanSchemaError, match="hourlyRate"):
        parse_human(HUMAN | {"hourlyRate": "cheap"})


def test_a_booking_becomes_a_booking_state_and_keeps_the_rest() -> None:
    booking = parse_booking({"success": True, "booking": BOOKING, "message": "Pay the human"})

    assert booking.state == BookingState("bk1", "usIRzadv7zSqYE4adJxW", "pending", Decimal("84"))
    assert booking.start == datetime(2026, 3, 1, 18, tzinfo=UTC) and booking.end == datetime(2026, 3, 1, 21, tzinfo=UTC)
    assert (booking.agent_id, booking.title, booking.payment_status) == (
        "turnover-host-42",
        "Turnover clean",
        "pending",
    )
    assert booking.raw["escrowHint"] == "kept in raw"


@pytest.mark.parametrize("missing", ["id", "humanId", "status"])
def test_a_booking_without_a_required_key_is_a_schema_error_naming_it(missing: str) -> None:
    with pytest.raises(RentAHumanSchemaError, match=re.escape(f"booking.{missing}")):
        parse_booking({k: v for k, v in BOOKING.items() if k != missing})


def test_a_booking_without_a_total_has_none() -> None:
    assert parse_booking({k: v for k, v in BOOKING.items() if k != "totalAmount"}).state.total is None


def test_a_review_is_parsed_with_its_date() -> None:
    review = parse_review(
        {"id": "r1", "humanId": "h1", "rating": 5, "comment": "Great", "createdAt": "2026-02-01T10:00:00Z"}
    )

    assert (review.id, review.human_id, review.rating, review.comment) == ("r1", "h1", 5.0, "Great")
    assert review.created_at == datetime(2026, 2, 1, 10, tzinfo=UTC)


def test_a_review_without_a_rating_is_a_schema_error_naming_it() -> None:
    with pytest.raises(RentAHumanSchemaError, match=re.escape("review.rating")):
        parse_review({"id": "r1"})


def test_times_are_utc_and_naive_ones_are_taken_as_utc() -> None:
    assert parse_time("2026-03-01T19:00:00+01:00", "t") == datetime(2026, 3, 1, 18, tzinfo=UTC)
    assert parse_time("2026-03-01T18:00:00", "t") == datetime(2026, 3, 1, 18, tzinfo=UTC)
    assert parse_time(None, "t") is None
    with pytest.raises(RentAHumanSchemaError, match=re.escape("booking.startTime")):
        parse_time("tomorrow", "booking.startTime")


def test_a_reset_above_one_billion_is_an_epoch_time() -> None:
    limits = parse_rate_limit({"X-RateLimit-Reset": "1795000060"}, now=1_795_000_000.0)

    assert limits.reset_at == datetime.fromtimestamp(1_795_000_060, UTC)


def test_a_small_reset_is_a_delay_from_now() -> None:
    limits = parse_rate_limit({"x-ratelimit-reset": "30"}, now=1_795_000_000.0)

    assert limits.reset_at == datetime.fromtimestamp(1_795_000_030, UTC)


def test_all_rate_limit_headers_are_read_in_any_case() -> None:
    headers = {"X-RATELIMIT-LIMIT": "100", "x-ratelimit-remaining": "0", "Retry-After": "5"}

    assert parse_rate_limit(headers, now=0) == RateLimit(limit=100, remaining=0, reset_at=None, retry_after=5.0)


def test_unreadable_rate_limit_headers_count_as_absent() -> None:
    headers = {"X-RateLimit-Reset": "soon", "X-RateLimit-Limit": "", "Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}

    assert parse_rate_limit(headers, now=0) == RateLimit()


def test_a_list_must_be_a_list_of_objects() -> None:
    assert items_of({"humans": [{"id": "a"}]}, "humans") == [{"id": "a"}]
    with pytest.raises(RentAHumanSchemaError, match="humans"):
        items_of({"humans": {"id": "a"}}, "humans")
    with pytest.raises(RentAHumanSchemaError, match="bookings"):
        items_of({"bookings": ["bk1"]}, "bookings")


def test_has_more_trusts_the_flag_and_otherwise_a_full_page() -> None:
    assert has_more({"hasMore": True}, received=3, asked=20)
    assert not has_more({"hasMore": False}, received=20, asked=20)
    assert has_more({}, received=20, asked=20)
    assert not has_more({"count": 7}, received=7, asked=20)
