"""The system clock, a frozen/settable clock (TURNOVER_NOW, demos, tests), and id generators."""

from __future__ import annotations

import itertools
import time
import uuid
from datetime import UTC, datetime, timedelta


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that only moves when told to: for `TURNOVER_NOW`, replays and tests."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware instant")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._at += delta


class UuidIds:
    """Ids that sort in creation order (millisecond time, then a counter), with a random tail.

    Lists ordered by (created_at, id) then keep creation order even when the application clock
    is frozen (TURNOVER_NOW) and many rows share one instant.
    """

    def __init__(self) -> None:
        self._counter = itertools.count()

    def new_id(self, prefix: str) -> str:
        millis = time.time_ns() // 1_000_000
        return f"{prefix}_{millis:012x}{next(self._counter) % 0x10000:04x}{uuid.uuid4().hex[:8]}"


class SequentialIds:
    """Readable, deterministic ids for tests and replays: `task_1`, `task_2`, ..."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._counter)}"
