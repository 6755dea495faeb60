"""Plain-text tables for the terminal: reservations, tasks, hires and feed health. Pure renderers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from domain.approvals import Approval
from domain.feeds import STALE_AFTER
from domain.hires import Hire
from domain.properties import Property
from domain.reservations import Reservation
from domain.tasks import Task
from tools.feeds import FeedHealthOut, FeedStatus


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(out)


def reservations_table(reservations: Sequence[Reservation], props: Mapping[str, Property]) -> str:
    rows = [
        [
            props[r.property_id].name,
            f"{r.check_in:%a %d %b}",
            f"{r.check_out:%a %d %b}",
            str(r.nights),
            r.guest or r.code or "",
            r.status.value,
        ]
        for r in sorted(reservations, key=lambda r: (props[r.property_id].name, r.check_in, r.id))
    ]
    return table(["property", "check-in", "check-out", "nights", "guest / code", "status"], rows)


def tasks_table(tasks: Sequence[Task], props: Mapping[str, Property]) -> str:
    rows = []
    for t in sorted(tasks, key=lambda t: (t.window_start, t.id)):
        zone = ZoneInfo(props[t.property_id].timezone)
        start, end = t.window_start.astimezone(zone), t.deadline.astimezone(zone)
        until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %d %b %H:%M}"
        rows.append(
            [
                props[t.property_id].name,
                t.kind.value,
                f"{start:%a %d %b %H:%M} → {until}",
                "same-day" if t.same_day_turnover else "",
                t.status.value,
            ]
        )
    return table(["property", "task", "window (local time)", "turnover", "status"], rows)


def hires_table(hires: Sequence[Hire], tasks: Mapping[str, Task], props: Mapping[str, Property]) -> str:
    rows = []
    for h in sorted(hires, key=lambda h: (tasks[h.task_id].window_start, h.id)):
        task = tasks[h.task_id]
        local = task.window_start.astimezone(ZoneInfo(props[h.property_id].timezone))
        rows.append(
            [
                props[h.property_id].name,
                f"{task.kind.value} {local:%a %d %b}",
                h.worker_name,
                f"{h.price:.2f}",
                h.status.value + (" (sandbox)" if h.sandbox else ""),
            ]
        )
    return table(["property", "task", "worker", "price", "status"], rows)


def approvals_table(
    approvals: Sequence[Approval], hires: Mapping[str, Hire], tasks: Mapping[str, Task], props: Mapping[str, Property]
) -> str:
    rows = []
    for a in sorted(approvals, key=lambda a: (tasks[a.task_id].window_start, a.id)):
        task, zone = tasks[a.task_id], ZoneInfo(props[a.property_id].timezone)
        rows.append(
            [
                a.id,
                props[a.property_id].name,
                f"{task.kind.value} {task.window_start.astimezone(zone):%a %d %b}",
                hires[a.hire_id].worker_name,
                f"{a.amount:.2f}",
                a.reason,
            ]
        )
    return table(["approval", "property", "task", "worker", "price", "why"], rows)


def feed_health_table(feeds: Sequence[FeedHealthOut], zone: tzinfo | None = None) -> str:
    """One row per feed, in the order given; times in `zone` (None: the machine's local time)."""
    rows = [
        [
            f.property_name,
            f.platform.value,
            f.status.value,
            _local(f.last_success_at, zone),
            str(f.consecutive_failures),
            "; ".join(_feed_notes(f, zone)),
        ]
        for f in feeds
    ]
    return table(["property", "platform", "status", "last success", "failures", "notes"], rows)


def _local(at: datetime | None, zone: tzinfo | None) -> str:
    return "never" if at is None else f"{at.astimezone(zone):%Y-%m-%d %H:%M}"


def _feed_notes(f: FeedHealthOut, zone: tzinfo | None) -> list[str]:
    notes = []
    if f.hold is not None:
        h = f.hold
        span = f"{h.min_span_minutes // 60} h" if h.min_span_minutes % 60 == 0 else f"{h.min_span_minutes} min"
        note = f"held since {_local(h.since, zone)} ({h.fetches_seen} of {h.fetches_needed} fetches, over ≥ {span})"
        notes.append(note + (f": {h.reason}" if h.reason else ""))
    if f.stale and f.status is not FeedStatus.STALE:
        notes.append(f"stale: no good fetch for {STALE_AFTER.total_seconds() / 3600:g} h")
    if f.consecutive_failures and f.last_error:
        notes.append(f"last error: {f.last_error}")
    return notes
