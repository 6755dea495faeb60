"""Small builders for domain objects in tests: defaults that read well, overrides by keyword."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from domain.calendar import CalendarEvent
from domain.feeds import Feed, Platform
from domain.hires import Worker
from domain.properties import Property
from domain.reservations import Block, Reservation, ReservationStatus
from domain.tasks import Task, TaskKind

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def a_property(**kw: Any) -> Property:
    defaults: dict[str, Any] = dict(
        id="prop_1", host_id="host_1", name="Alfama loft", city="Lisbon", timezone="Europe/Lisbon", created_at=NOW
    )
    return Property(**(defaults | kw))


def a_reservation(check_in: date, nights: int, **kw: Any) -> Reservation:
    uid = kw.pop("uid", f"uid-{check_in.isoformat()}")
    defaults: dict[str, Any] = dict(
        id=f"res-{uid}", host_id="host_1", property_id="prop_1", feed_id="feed_1", uid=uid,
        check_in=check_in, check_out=check_in + timedelta(days=nights), status=ReservationStatus.CONFIRMED,
        first_seen_at=NOW, updated_at=NOW,
    )  # fmt: skip
    return Reservation(**(defaults | kw))


def a_feed(platform: Platform = Platform.AIRBNB, **kw: Any) -> Feed:
    defaults: dict[str, Any] = dict(
        id="feed_1",
        property_id="prop_1",
        platform=platform,
        url="https://example.test/cal.ics?t=secret",
        created_at=NOW,
    )
    return Feed(**(defaults | kw))


def a_task(**kw: Any) -> Task:
    defaults: dict[str, Any] = dict(
        id="task_1", host_id="host_1", property_id="prop_1", kind=TaskKind.CLEAN, natural_key="res-1:clean",
        window_start=NOW, deadline=NOW + timedelta(hours=5), budget=Decimal("90"), required_skills=("Cleaning",),
        created_at=NOW,
    )  # fmt: skip
    return Task(**(defaults | kw))


def a_worker(worker_id: str = "w1", **kw: Any) -> Worker:
    defaults: dict[str, Any] = dict(
        id=worker_id, name=f"Worker {worker_id}", skills=("Cleaning",), hourly_rate=Decimal("25"), city="Lisbon",
        rating=4.8, review_count=40,
    )  # fmt: skip
    return Worker(**(defaults | kw))


def an_event(uid: str, start: date, end: date, summary: str = "Reserved", description: str = "") -> CalendarEvent:
    return CalendarEvent(uid=uid, start=start, end=end, summary=summary, description=description)


def a_block(uid: str, start: date, end: date, **kw: Any) -> Block:
    defaults: dict[str, Any] = dict(
        id=f"blk-{uid}", property_id="prop_1", feed_id="feed_1", uid=uid, start=start, end=end,
        summary="CLOSED - Not available", updated_at=NOW,
    )  # fmt: skip
    return Block(**(defaults | kw))
