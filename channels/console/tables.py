"""Plain-text tables for the terminal: reservations, tasks and hires. Pure renderers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from domain.approvals import Approval
from domain.hires import Hire
from domain.properties import Property
from domain.reservations import Reservation
from domain.tasks import Task


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
