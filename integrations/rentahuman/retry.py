"""How long to wait before trying RentAHuman again (`rentahuman-api.md` §3 and §8).

Order of preference: `X-RateLimit-Reset` (already read into `reset_at`), then `Retry-After`, then
jittered exponential backoff. A wait longer than `max_wait` is never made: the caller gives up at
once and the pipeline tries again on a later run. Sleep, randomness and the wall clock are
injected so tests neither sleep nor depend on luck.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from integrations.rentahuman.errors import RentAHumanRateLimited, RentAHumanUnavailable


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 3  # in all, the first one included
    base_delay: float = 0.5  # seconds before the second attempt, before jitter
    max_wait: float = 60.0  # never wait longer than this for one retry
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random)
    wall_clock: Callable[[], float] = time.time  # epoch seconds

    def backoff(self, attempt: int) -> float:
        """Exponential from `base_delay`, times a jitter factor in [0.5, 1.5); `attempt` counts from 1."""
        return self.base_delay * 2.0 ** (attempt - 1) * (0.5 + self.rng.random())

    def delay_after(self, attempt: int, error: RentAHumanUnavailable) -> float | None:
        """Seconds to wait after failed attempt number `attempt`, or None: do not retry."""
        if attempt >= self.attempts:
            return None
        delay: float | None = None
        if isinstance(error, RentAHumanRateLimited):
            if error.reset_at is not None:
                delay = error.reset_at.timestamp() - self.wall_clock()
            elif error.retry_after is not None:
                delay = error.retry_after
        if delay is None:
            delay = self.backoff(attempt)
        delay = max(0.0, delay)
        return delay if delay <= self.max_wait else None
