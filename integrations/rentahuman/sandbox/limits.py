"""Per-caller rate-limit windows for the `X-RateLimit-*` headers (`rentahuman-api.md` §3, §10).

One window per (caller, class) on the wall clock, opened by the caller's first request after the
previous window ended (so a burst is never split by a minute boundary), and `X-RateLimit-Reset` is a
real epoch time a client can wait for. Default limits per 60 s: public browse 100 per IP [C],
authenticated reads 600 and writes 300 per key [G]. `/_sim/config` may change the sizes
(`limits`) and the window (`windowSeconds`), both ours. Counting always happens; refusing (429)
only when enabled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

WINDOW_SECONDS = 60.0
LIMITS = {"public": 100, "read": 600, "write": 300}


@dataclass(frozen=True, slots=True)
class Verdict:
    limit: int
    remaining: int
    reset: int  # epoch seconds
    exceeded: bool

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }


@dataclass(slots=True)
class RateLimiter:
    windows: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)  # -> (window start, count)
    limits: dict[str, int] = field(default_factory=lambda: dict(LIMITS))
    window_seconds: float = WINDOW_SECONDS

    def hit(self, caller: str, kind: str, now: float, *, count: bool = True) -> Verdict:
        """Record one request (unless `count` is false) and say where the caller stands."""
        start, used = self.windows.get((caller, kind), (int(now), 0))
        if now >= start + self.window_seconds:
            start, used = int(now), 0  # whole seconds, so `Reset` below is exactly the window's end
        if count:
            used += 1
            self.windows[(caller, kind)] = (start, used)
        limit = self.limits[kind]
        reset = math.ceil(start + self.window_seconds)  # epoch seconds, never before the window ends
        return Verdict(limit, max(0, limit - used), reset, used > limit)

    def configure(self, *, limits: dict[str, int | None] | None, window_seconds: float | None) -> None:
        """New sizes or window; open windows start afresh so the new numbers apply at once."""
        for kind, size in (limits or {}).items():
            if size is not None:
                self.limits[kind] = size
        if window_seconds is not None:
            self.window_seconds = window_seconds
        self.windows.clear()

    def reset(self) -> None:
        self.windows.clear()
        self.limits = dict(LIMITS)
        self.window_seconds = WINDOW_SECONDS

    def to_json(self) -> dict[str, Any]:
        return {"limits": dict(self.limits), "windowSeconds": self.window_seconds}


def request_kind(method: str, has_key: bool) -> str:
    if method not in ("GET", "HEAD"):
        return "write"
    return "read" if has_key else "public"
