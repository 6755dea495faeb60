"""Per-caller rate-limit windows for the `X-RateLimit-*` headers (`rentahuman-api.md` §3, §10).

One 60-second window per (caller, class) on the wall clock, opened by the caller's first request
after the previous window ended (so a burst is never split by a minute boundary), and
`X-RateLimit-Reset` is a real epoch time a client can wait for. Limits: public browse 100/min per
IP [C], authenticated reads 600/min and writes 300/min per key [G]. Counting always happens;
refusing (429) only when enabled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WINDOW_SECONDS = 60
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

    def hit(self, caller: str, kind: str, now: float, *, count: bool = True) -> Verdict:
        """Record one request (unless `count` is false) and say where the caller stands."""
        start, used = self.windows.get((caller, kind), (int(now), 0))
        if now >= start + WINDOW_SECONDS:
            start, used = int(now), 0
        if count:
            used += 1
            self.windows[(caller, kind)] = (start, used)
        limit = LIMITS[kind]
        return Verdict(limit, max(0, limit - used), start + WINDOW_SECONDS, used > limit)

    def clear(self) -> None:
        self.windows.clear()


def request_kind(method: str, has_key: bool) -> str:
    if method not in ("GET", "HEAD"):
        return "write"
    return "read" if has_key else "public"
