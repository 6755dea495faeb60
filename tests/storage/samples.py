"""Domain objects with every field set (none left at its default), for round-trip tests.

Times are given in local zones on purpose: storage must return the same instants, in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from domain.approvals import Approval, ApprovalStatus
from domain.events import AuditEntry, Event, EventKind
from domain.feeds import Feed, FeedHealth, FeedOptions, Platform
from domain.hires import BookingRequest, Hire, HireStatus, StatusChange
from domain.hosts import Host, Member, Role
from domain.ports import UnitOfWork
from domain.properties import HiringPolicy, PlanningRules, Property
from domain.reservations import Block, Reservation, ReservationStatus
from domain.tasks import Task, TaskKind, TaskStatus

LISBON = ZoneInfo("Europe/Lisbon")
NEW_YORK = ZoneInfo("America/New_York")
T0 = datetime(2026, 7, 1, 10, 30, 15, 123456, tzinfo=LISBON)  # summer time: UTC+1


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def a_host(**kw: Any) -> Host:
    defaults: dict[str, Any] = dict(
        id="host_1", name="Ana", timezone="Europe/Lisbon", created_at=at(0), monthly_cap=Decimal("1500.50")
    )
    return Host(**(defaults | kw))


def a_member(**kw: Any) -> Member:
    defaults: dict[str, Any] = dict(
        id="mem_1", host_id="host_1", name="Ana", role=Role.APPROVER, created_at=at(1),
        identities={"slack": "U123", "telegram": "42"},
    )  # fmt: skip
    return Member(**(defaults | kw))


def a_property(**kw: Any) -> Property:
    defaults: dict[str, Any] = dict(
        id="prop_1", host_id="host_1", name="Alfama loft", city="Lisbon", timezone="Europe/Lisbon",
        created_at=at(2), address="Rua 1", country="PT", bedrooms=3, bathrooms=2, max_guests=6,
        check_in_time=time(15, 30), check_out_time=time(10, 45), cleaning_budget=Decimal("95.10"),
        cleaning_minutes=150, access_notes="Code 1234",
        required_skills={TaskKind.CLEAN: ("Cleaning", "Laundry"), TaskKind.RESTOCK: ("Errands",)},
        policy=HiringPolicy(auto_approve_limit=Decimal("130.00"), monthly_budget=Decimal("800"), min_rating=4.5,
                            ack_hours=6),
        planning=PlanningRules(check_in_tasks=True, check_out_tasks=True),
    )  # fmt: skip
    return Property(**(defaults | kw))


def a_feed(**kw: Any) -> Feed:
    defaults: dict[str, Any] = dict(
        id="feed_1", property_id="prop_1", platform=Platform.VRBO, url="https://example.test/cal.ics?t=secret",
        created_at=at(3),
        options=FeedOptions(blocks_are_bookings=True, honour_event_times=True, dtend_is_last_night=True),
        health=FeedHealth(last_attempt_at=at(4), last_success_at=at(3.5), last_error="HTTP 503",
                          consecutive_failures=2, last_content_hash="abc123", next_fetch_at=at(4.25),
                          held_since=at(3.75), held_count=2, held_hash="def456", stale_alerted=True),
    )  # fmt: skip
    return Feed(**(defaults | kw))


def a_reservation(**kw: Any) -> Reservation:
    defaults: dict[str, Any] = dict(
        id="res_1", host_id="host_1", property_id="prop_1", feed_id="feed_1", uid="uid-1@vrbo",
        check_in=date(2026, 7, 10), check_out=date(2026, 7, 14), status=ReservationStatus.TENTATIVE,
        first_seen_at=at(5), updated_at=at(6), code="HM123", guest="Jo", phone_last4="1234",
    )  # fmt: skip
    return Reservation(**(defaults | kw))


def a_block(**kw: Any) -> Block:
    defaults: dict[str, Any] = dict(
        id="blk_1", property_id="prop_1", feed_id="feed_1", uid="blk-1@vrbo", start=date(2026, 8, 1),
        end=date(2026, 8, 3), summary="Owner stay", updated_at=at(7), window=True,
    )  # fmt: skip
    return Block(**(defaults | kw))


def a_task(**kw: Any) -> Task:
    defaults: dict[str, Any] = dict(
        id="task_1", host_id="host_1", property_id="prop_1", kind=TaskKind.CHECK_OUT, natural_key="res_1:check_out",
        window_start=datetime(2026, 7, 14, 11, 0, tzinfo=NEW_YORK), deadline=datetime(2026, 7, 14, 17, 0, tzinfo=UTC),
        budget=Decimal("40.25"), required_skills=("House Sitting", "Errands"), created_at=at(8),
        reservation_id="res_1", same_day_turnover=True, priority=3, status=TaskStatus.NEEDS_HOST,
        status_reason="no match", hire_id="hire_1", updated_at=at(9),
    )  # fmt: skip
    return Task(**(defaults | kw))


def a_hire(**kw: Any) -> Hire:
    defaults: dict[str, Any] = dict(
        id="hire_1", host_id="host_1", property_id="prop_1", task_id="task_1", attempt=2, worker_id="w1",
        worker_name="Rui", price=Decimal("88.80"), idempotency_key="hire-task_1-2", created_at=at(10),
        status=HireStatus.COMPLETED, booking_id="bk1", escrow_id="esc1", bounty_id="bty1", sandbox=True,
        history=[StatusChange(at(10.5), HireStatus.BOOKED, "pending"), StatusChange(at(11), HireStatus.COMPLETED)],
        completed_on_time=False, final_cost=Decimal("90.00"), completed_at=at(13.5),
        evidence=("https://evidence.example/1.jpg", "All rooms done"), no_show=False, conversation_id="conv_1",
        access_sent_at=at(10.75), rescheduled=False,
        request=BookingRequest(
            worker_id="w1", title="Turnover clean in Lisbon (ref 0a1b2c3d)", description="3 h clean, 11:00 to 16:00.",
            start=at(20), estimated_hours=3.0, idempotency_key="hire-task_1-2",
        ),
    )  # fmt: skip
    return Hire(**(defaults | kw))


def an_approval(**kw: Any) -> Approval:
    defaults: dict[str, Any] = dict(
        id="apr_1", host_id="host_1", property_id="prop_1", task_id="task_1", hire_id="hire_1",
        amount=Decimal("150.00"), reason="above the limit", expires_at=at(30), created_at=at(12),
        status=ApprovalStatus.DECLINED, decided_by="mem_1", decided_at=at(13),
    )  # fmt: skip
    return Approval(**(defaults | kw))


def an_event(**kw: Any) -> Event:
    defaults: dict[str, Any] = dict(
        id="evt_1", host_id="host_1", kind=EventKind.HIRE_BOOKED, subject_id="hire_1", created_at=at(14),
        message="Booked Rui", payload={"price": "88.80", "nested": {"ok": True, "n": [1, 2]}},
        property_id="prop_1", notified_at=at(15),
    )  # fmt: skip
    return Event(**(defaults | kw))


def an_audit_entry(**kw: Any) -> AuditEntry:
    defaults: dict[str, Any] = dict(
        id="aud_1", host_id="host_1", at=at(16), actor="mem_1", channel="slack", action="add_property",
        arguments={"name": "Alfama loft", "bedrooms": 3}, result="prop_1",
    )  # fmt: skip
    return AuditEntry(**(defaults | kw))


async def seed(uow: UnitOfWork, *, task: bool = False) -> None:
    """The rows most others point at: host, property, feed, reservation (and a task, for hires)."""
    await uow.hosts.add(a_host())
    await uow.properties.add(a_property())
    await uow.feeds.add(a_feed())
    await uow.reservations.add(a_reservation())
    if task:
        await uow.tasks.add(a_task())
