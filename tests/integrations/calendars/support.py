"""Shared helpers for the calendar-feed tests: committed synthetic fixtures and classification counts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from domain.calendar import Classified, EventClass, FeedSnapshot, classify
from domain.feeds import FeedOptions, Platform

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ical"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def classified(snapshot: FeedSnapshot, platform: Platform, options: FeedOptions | None = None) -> list[Classified]:
    return [classify(event, platform, options or FeedOptions()) for event in snapshot.events]


def kind_counts(items: list[Classified]) -> dict[EventClass, int]:
    counts = Counter(item.kind for item in items)
    return {kind: counts[kind] for kind in EventClass}


def of_kind(items: list[Classified], kind: EventClass) -> list[Classified]:
    return [item for item in items if item.kind is kind]
