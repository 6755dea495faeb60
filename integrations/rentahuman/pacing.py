"""`RateGate`: keep one client's concurrent callers inside RentAHuman's rate limits (`X-RateLimit-*`).

RentAHuman counts requests per key in windows and says where we stand on every response:
`X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` [C] (§3). One gate is shared
by every call of one `RentAHumanClient`; it keeps one budget per class of request, reads (`GET`)
and writes (every other method), because the server counts them apart.

- **Learning.** Every answer's headers, errors and 429s included, update the class's budget: the
  limit, the remaining count and the reset time. Answers that arrive out of order cannot raise
  the remaining count of a window already seen (the lower count wins within one reset time).
- **Admission.** Before a request is sent, the remaining count minus the requests of that class
  already in flight must be above zero. If it is not and some are in flight, the caller waits for
  their answers (they bring fresher headers). If none is in flight and the reset is in the future,
  the caller sleeps until the reset; a wait over `max_wait` (60 s) raises `RentAHumanRateLimited`
  at once, since the pipeline will come back later anyway.
- **Unknown budgets.** Until a class's first answer, and after a window ends without a known
  limit, only one request of that class is in flight (a probe): a burst of twenty cannot overrun a
  limit of five that nobody has told us about. When a window ends and the limit is known, the
  budget refills to the limit. A server that sends no rate-limit headers is not paced at all.
- **Concurrency.** At most `max_concurrency` requests (default 16) are in flight in all.

Sleeping and the wall clock come from `RetryPolicy`, so tests inject them. Time slept through the
policy counts as passed even when an injected wall clock stands still (`now()`), so a fake clock
never makes the gate wait forever. Retries (`retry.py`) still handle the 429s that get through.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from integrations.rentahuman.errors import RentAHumanRateLimited
from integrations.rentahuman.parse import RateLimit
from integrations.rentahuman.retry import RetryPolicy

MARGIN = 0.05  # seconds slept past a reset, so the server's window has surely ended
DEFAULT_CONCURRENCY = 16


@dataclass(slots=True)
class Budget:
    """What we know of one class's current window. `known`: an answer was read since the window began."""

    limit: int | None = None
    remaining: int | None = None
    reset_at: float | None = None  # epoch seconds
    in_flight: int = 0
    known: bool = False


@dataclass(slots=True)
class RateGate:
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_concurrency: int = DEFAULT_CONCURRENCY
    budgets: dict[str, Budget] = field(default_factory=lambda: {"read": Budget(), "write": Budget()})
    _slots: asyncio.Semaphore | None = None
    _changed: asyncio.Event | None = None
    _slept_until: float = 0.0

    @staticmethod
    def kind_of(method: str) -> str:
        return "read" if method.upper() in ("GET", "HEAD") else "write"

    def now(self) -> float:
        return max(self.retry.wall_clock(), self._slept_until)

    async def sleep(self, seconds: float) -> None:
        """Sleep through the policy; the time counts as passed for `now()` (see the module docstring)."""
        start = self.now()
        await self.retry.sleep(seconds)
        self._slept_until = max(self._slept_until, start + seconds)

    @asynccontextmanager
    async def slot(self, method: str, where: str) -> AsyncIterator[Budget]:
        """Wait for room to send one request of `method`'s class; record the answer with `learn` inside."""
        budget = self.budgets[self.kind_of(method)]
        await self._admit(budget, where)
        budget.in_flight += 1
        try:
            async with self._semaphore():
                yield budget
        finally:
            budget.in_flight -= 1
            self._announce()

    def learn(self, budget: Budget, limits: RateLimit) -> None:
        """Fold one answer's rate-limit headers into its class's budget."""
        if limits.remaining is None and limits.reset_at is None:
            budget.known = True  # no headers: nothing to pace by
            return
        reset = limits.reset_at.timestamp() if limits.reset_at else None
        same_window = reset is not None and budget.reset_at is not None and abs(reset - budget.reset_at) < 1.0
        if limits.remaining is not None:
            if same_window and budget.remaining is not None:
                budget.remaining = min(budget.remaining, limits.remaining)
            elif budget.reset_at is None or reset is None or reset >= budget.reset_at:
                budget.remaining = limits.remaining
        if reset is not None and (budget.reset_at is None or reset >= budget.reset_at):
            budget.reset_at = reset
        budget.limit = limits.limit if limits.limit is not None else budget.limit
        budget.known = True

    async def _admit(self, budget: Budget, where: str) -> None:
        while True:
            now = self.now()
            if budget.reset_at is not None and now >= budget.reset_at:  # the window is over
                budget.remaining, budget.reset_at = budget.limit, None
                budget.known = budget.limit is not None
            if not budget.known:
                if budget.in_flight == 0:
                    return  # the probe
            elif budget.remaining is None or budget.remaining - budget.in_flight > 0:
                return
            elif budget.in_flight == 0:
                if budget.reset_at is None:
                    return  # spent, with no reset known: let the server say when
                wait = budget.reset_at - now
                if wait > self.retry.max_wait:
                    raise RentAHumanRateLimited(
                        f"{where}: rate limit spent until {datetime.fromtimestamp(budget.reset_at, UTC):%H:%M:%S}Z",
                        reset_at=datetime.fromtimestamp(budget.reset_at, UTC),
                        status=None,
                    )
                await self.sleep(wait + MARGIN)
                continue
            await self._wait_for_change()

    async def _wait_for_change(self) -> None:
        if self._changed is None:
            self._changed = asyncio.Event()
        await self._changed.wait()

    def _announce(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = None

    def _semaphore(self) -> asyncio.Semaphore:
        if self._slots is None:  # made on first use, inside the running loop
            self._slots = asyncio.Semaphore(max(1, self.max_concurrency))
        return self._slots
