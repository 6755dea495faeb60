"""Console notifications: the embedded default's chat, one line per event."""

from __future__ import annotations

from typing import TextIO
from zoneinfo import ZoneInfo

from domain.events import Event, EventKind

ICONS = {
    EventKind.RESERVATION_NEW: "＋",
    EventKind.RESERVATION_CHANGED: "↻",
    EventKind.RESERVATION_CANCELLED: "✕",
    EventKind.HIRE_BOOKED: "✔",
    EventKind.APPROVAL_REQUESTED: "?",
    EventKind.TASK_NEEDS_HOST: "!",
    EventKind.FEED_UNHEALTHY: "!",
    EventKind.FEED_DIFF_HELD: "‖",
    EventKind.FEED_UNCLASSIFIED: "?",
}


def render(event: Event, timezone: str = "UTC") -> str:
    at = event.created_at.astimezone(ZoneInfo(timezone))
    return f"[{at:%H:%M}] {ICONS.get(event.kind, '•')} {event.message}"


class ConsoleNotifier:
    """Writes each event as one line; `sent` keeps what went out (the demo counts it)."""

    def __init__(self, stream: TextIO | None, timezone: str = "UTC") -> None:
        self._stream = stream
        self._timezone = timezone
        self.sent: list[Event] = []

    async def send(self, event: Event) -> None:
        if self._stream is not None:
            print(render(event, self._timezone), file=self._stream, flush=True)
        self.sent.append(event)
