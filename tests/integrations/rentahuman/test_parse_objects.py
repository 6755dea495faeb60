"""Parse functions for availability, evidence, escrow, bounties, applications, conversations and webhooks."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from decimal import Decimal

import pytest

from integrations.rentahuman.errors import RentAHumanSchemaError
from integrations.rentahuman.parse import parse_availability, parse_booking
from integrations.rentahuman.parse_hiring import (
    parse_acceptance,
    parse_application,
    parse_bounty,
    parse_bounty_preview,
    parse_checkout,
    parse_escrow,
    parse_rental,
)
from integrations.rentahuman.parse_messaging import (
    parse_conversation,
    parse_webhook_event,
    parse_webhook_registration,
)

BOOKING = {"id": "bk1", "humanId": "h1", "status": "in_progress", "totalAmount": 84}


def test_weekly_availability_becomes_sorted_weekday_windows() -> None:
    availability = {
        "Wednesday": [{"start": "13:00", "end": "18:00"}, {"start": "08:00", "end": "12:00"}],
        "monday": [{"start": "09:00", "end": "17:00"}],
        "Sun": ["10:00-24:00"],
    }

    assert parse_availability(availability) == (
        (0, time(9), time(17)),
        (2, time(8), time(12)),
        (2, time(13), time(18)),
        (6, time(10), time.max),
    )


def test_unreadable_availability_entries_are_skipped() -> None:
    availability = {
        "Funday": [{"start": "09:00", "end": "17:00"}],
        "Tuesday": [{"start": "nine", "end": "17:00"}, {"start": "22:00", "end": "02:00"}, 7, {"start": "09:00"}],
        "Friday": "all day",
        "Saturday": [{"start": "07:30", "end": "11:00"}],
    }

    assert parse_availability(availability) == ((5, time(7, 30), time(11)),)
    assert parse_availability("weekdays") == () and parse_availability(None) == ()


def test_booking_evidence_keeps_urls_else_texts() -> None:
    evidence = [
        {"type": "photo", "url": "https://x.test/1.jpg"},
        {"type": "text", "text": "Keys back"},
        {"type": "video"},
    ]

    state = parse_booking(BOOKING | {"evidence": evidence}).state

    assert state.evidence == ("https://x.test/1.jpg", "Keys back")


def test_a_booking_is_updated_when_it_says_so() -> None:
    state = parse_booking(BOOKING | {"updatedAt": "2026-03-01T19:00:00Z", "completedAt": "2026-03-01T21:00:00Z"}).state

    assert state.updated_at == datetime(2026, 3, 1, 19, tzinfo=UTC)


def test_a_completed_booking_without_updated_at_takes_its_completion_time() -> None:
    completed = parse_booking(BOOKING | {"status": "completed", "completedAt": "2026-03-01T21:00:00Z"}).state
    running = parse_booking(BOOKING | {"completedAt": "2026-03-01T21:00:00Z"}).state
    unreadable = parse_booking(BOOKING | {"updatedAt": "yesterday"}).state

    assert completed.updated_at == datetime(2026, 3, 1, 21, tzinfo=UTC)
    assert running.updated_at is None and unreadable.updated_at is None


def test_an_escrow_keeps_amounts_evidence_and_times() -> None:
    escrow = parse_escrow(
        {"success": True, "escrow": {
            "id": "esc1", "status": "delivered", "amount": 84, "platformFee": 4.2, "humanId": "h1", "bountyId": "b1",
            "evidence": [{"type": "photo", "url": "https://x.test/1.jpg"}], "auditLog": [],
            "updatedAt": "2026-03-01T21:00:00Z",
        }}
    )  # fmt: skip

    assert (escrow.id, escrow.status) == ("esc1", "delivered")
    assert (escrow.amount, escrow.platform_fee) == (Decimal(84), Decimal("4.2"))
    assert escrow.evidence == ("https://x.test/1.jpg",) and escrow.raw["auditLog"] == []
    assert escrow.updated_at == datetime(2026, 3, 1, 21, tzinfo=UTC)


def test_a_checkout_answer_is_read_at_the_top_level() -> None:
    checkout = parse_checkout({"success": True, "escrowId": "esc1", "bountyId": "b1", "status": "funding",
                               "checkoutUrl": "https://pay.test/1"})  # fmt: skip

    assert (checkout.escrow_id, checkout.bounty_id, checkout.status, checkout.checkout_url) == (
        "esc1", "b1", "funding", "https://pay.test/1",
    )  # fmt: skip


def test_a_checkout_without_an_escrow_id_is_a_schema_error_naming_it() -> None:
    with pytest.raises(RentAHumanSchemaError, match=re.escape("checkout.escrowId")):
        parse_checkout({"success": True, "status": "funded"})


def test_a_rental_is_read_from_an_escrow_like_item() -> None:
    rental = parse_rental({"id": "esc1", "status": "funded", "humanId": "h1", "taskTitle": "Clean", "amount": 84})

    assert (rental.escrow_id, rental.human_id, rental.title, rental.amount) == ("esc1", "h1", "Clean", Decimal(84))
    assert rental.as_checkout().escrow_id == "esc1"


def test_a_bounty_takes_its_deposit_url_from_the_top_level() -> None:
    bounty = parse_bounty({"success": True, "bounty": {"id": "b1", "status": "pending_deposit", "title": "Clean",
                           "price": 90, "spotsAvailable": 1}, "deposit_url": "https://stripe.test/d"})  # fmt: skip

    assert (bounty.id, bounty.status, bounty.price, bounty.deposit_url) == (
        "b1", "pending_deposit", Decimal(90), "https://stripe.test/d",
    )  # fmt: skip


def test_a_dry_run_preview_is_read_and_a_real_bounty_in_its_place_is_refused() -> None:
    preview = parse_bounty_preview({"success": True, "dryRun": True, "preview": {"fundingTotal": 90}})

    assert preview.funding_total == 90
    with pytest.raises(RentAHumanSchemaError, match="b1"):
        parse_bounty_preview({"success": True, "bounty": {"id": "b1", "status": "open"}})


def test_an_acceptance_carries_its_side_effects() -> None:
    accepted = parse_acceptance({
        "success": True, "application": {"id": "a1", "bountyId": "b1", "humanId": "h1", "status": "accepted"},
        "booking": BOOKING, "escrowId": "esc1", "conversationId": "c1",
    })  # fmt: skip

    assert accepted.application is not None and accepted.application.status == "accepted"
    assert accepted.booking is not None and accepted.booking.id == "bk1"
    assert (accepted.escrow_id, accepted.conversation_id) == ("esc1", "c1")


def test_an_application_without_a_human_is_a_schema_error_naming_it() -> None:
    with pytest.raises(RentAHumanSchemaError, match=re.escape("application.humanId")):
        parse_application({"id": "a1", "status": "pending"})


def test_a_conversation_keeps_its_messages_out_of_its_repr() -> None:
    conversation = parse_conversation({"conversation": {
        "id": "c1", "humanId": "h1", "subject": "Access", "status": "active",
        "messages": [{"id": "m1", "senderType": "agent", "content": "Code 4711", "createdAt": "2026-03-01T10:00:00Z"}],
    }})  # fmt: skip

    assert conversation.messages[0].conversation_id == "c1" and conversation.messages[0].content == "Code 4711"
    assert "4711" not in repr(conversation) and "4711" not in repr(conversation.messages[0])


def test_a_webhook_registration_needs_its_secret() -> None:
    registration = parse_webhook_registration(
        {"endpoint": {"id": "we1", "url": "https://x.test/h", "events": ["booking.created"]}, "secret": "whsec_1"}
    )

    assert registration.endpoint.events == ("booking.created",) and registration.secret == "whsec_1"
    assert "whsec_1" not in repr(registration)
    with pytest.raises(RentAHumanSchemaError, match="secret"):
        parse_webhook_registration({"endpoint": {"id": "we1", "url": "https://x.test/h"}})


def test_a_webhook_event_is_read() -> None:
    event = parse_webhook_event({"id": "evt_1", "type": "booking.status_changed", "createdAt": "2026-03-01T10:00:00Z",
                                 "data": {"bookingId": "bk1", "status": "in_progress"}})  # fmt: skip

    assert (event.id, event.type, event.data["status"]) == ("evt_1", "booking.status_changed", "in_progress")
    assert event.created_at == datetime(2026, 3, 1, 10, tzinfo=UTC)
