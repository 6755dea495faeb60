"""A property's upcoming schedule as plain text: arrivals, departures and the work between them.

The MCP server offers it as one resource per property (`turnover://properties/{id}/schedule`), so a
client can put a property's next two weeks in front of a model without a tool call. Everything is
read through `ctx.deps.uow()` within the actor's host; times are the property's local times.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from domain.hires import HireStatus
from domain.properties import Property
from domain.reservations import ACTIVE_RESERVATION, Reservation, ReservationStatus
from domain.tasks import Task, TaskStatus
from tools.context import ToolContext
from tools.scope import host_properties, owned_property

SCHEDULE_DAYS = 14
LABEL_CHARS = 40  # a guest label is outside text: shown short, on one line, as data
LOST_HIRES = frozenset({HireStatus.FAILED, HireStatus.CANCELLED})


@dataclass(frozen=True, slots=True)
class Line:
    day: date
    order: tuple[str, int]  # by local time; at the same time departures, then work, then arrivals
    text: str


async def schedule_properties(ctx: ToolContext) -> list[Property]:
    """Every property of the actor's host, in the order they were added (for listing the schedules)."""
    async with ctx.deps.uow() as uow:
        return await host_properties(uow, ctx)


async def property_schedule(ctx: ToolContext, property_id: str, *, days: int = SCHEDULE_DAYS) -> str:
    """The next `days` days of one property as text; NotFound for a property of another host."""
    async with ctx.deps.uow() as uow:
        prop = await owned_property(uow, ctx, property_id)
        today = ctx.deps.clock.now().astimezone(ZoneInfo(prop.timezone)).date()
        stays = await uow.reservations.list_for_property(prop.id, ending_after=today - timedelta(days=1))
        zone, end = ZoneInfo(prop.timezone), today + timedelta(days=days)
        tasks = [
            t
            for t in await uow.tasks.list_for_property(prop.id)
            if t.status is not TaskStatus.CANCELLED and _in_window(t, zone, today, end)
        ]
        workers: dict[str, str] = {}
        for task in tasks:
            hire = await uow.hires.get(task.hire_id) if task.hire_id else None
            if hire is not None and hire.status not in LOST_HIRES:
                workers[task.id] = hire.worker_name
    return render_schedule(prop, today, days, stays, tasks, workers)


def render_schedule(
    prop: Property,
    today: date,
    days: int,
    stays: list[Reservation],
    tasks: list[Task],
    workers: dict[str, str],
) -> str:
    """The schedule text: a heading, then each day that has something, its lines in order."""
    zone = ZoneInfo(prop.timezone)
    end = today + timedelta(days=days)
    lines = [*_stay_lines(stays, prop, today, end), *_task_lines(tasks, workers, zone, today, end)]
    last = end - timedelta(days=1)
    out = [
        f"{prop.name} ({prop.city}): the next {days} days, {_day(today)} to {_day(last)} {last.year}",
        f"Times are local ({prop.timezone}). "
        f"Check-in {prop.check_in_time:%H:%M}, checkout {prop.check_out_time:%H:%M}.",
    ]
    by_day: dict[date, list[Line]] = defaultdict(list)
    for line in lines:
        by_day[line.day].append(line)
    for day in sorted(by_day):
        out += ["", _day(day), *(f"  {line.text}" for line in sorted(by_day[day], key=lambda item: item.order))]
    if not lines:
        out += ["", f"Nothing planned in the next {days} days."]
    return "\n".join(out) + "\n"


def _stay_lines(stays: list[Reservation], prop: Property, today: date, end: date) -> list[Line]:
    zone = ZoneInfo(prop.timezone)
    lines: list[Line] = []
    for stay in stays:
        if stay.status not in ACTIVE_RESERVATION:
            continue
        about = _about(stay)
        if today <= stay.check_out < end:
            at = f"{stay.check_out_at.astimezone(zone) if stay.check_out_at else prop.check_out_time:%H:%M}"
            lines.append(Line(stay.check_out, (at, 0), " · ".join([f"{at}  departure", *about]) + f"  [{stay.id}]"))
        if today <= stay.check_in < end and not stay.start_clipped:
            at = f"{stay.check_in_at.astimezone(zone) if stay.check_in_at else prop.check_in_time:%H:%M}"
            nights = f"{stay.nights} night" + ("s" if stay.nights != 1 else "")
            guests = [f"{stay.guests} guests"] if stay.guests else []
            text = " · ".join([f"{at}  arrival", nights, *guests, *about]) + f"  [{stay.id}]"
            lines.append(Line(stay.check_in, (at, 2), text))
    return lines


def _task_lines(tasks: list[Task], workers: dict[str, str], zone: ZoneInfo, today: date, end: date) -> list[Line]:
    lines: list[Line] = []
    for task in tasks:
        if not _in_window(task, zone, today, end):
            continue
        start, deadline = task.window_start.astimezone(zone), task.deadline.astimezone(zone)
        day = max(start.date(), today)
        since = f"{start:%H:%M}" if start.date() == day else f"{_day(start.date())} {start:%H:%M}"
        until = f"{deadline:%H:%M}" if deadline.date() == day else f"{_day(deadline.date())} {deadline:%H:%M}"
        parts = [f"{since}–{until}  {task.kind.value.replace('_', ' ')}", task.status.value.replace("_", " ")]
        if task.id in workers:
            parts.append(f"hired: {workers[task.id]}")
        if task.same_day_turnover:
            parts.append("same-day turnover")
        at = f"{start:%H:%M}" if start.date() == day else "00:00"  # begun before today: first
        lines.append(Line(day, (at, 1), " · ".join(parts) + f"  [{task.id}]"))
    return lines


def _in_window(task: Task, zone: ZoneInfo, today: date, end: date) -> bool:
    """Still open on or after `today` (local), and begun before `end`."""
    return task.deadline.astimezone(zone).date() >= today and task.window_start.astimezone(zone).date() < end


def _about(stay: Reservation) -> list[str]:
    """The guest label (outside text: short, one line, quoted), the booking code, whether tentative."""
    label = " ".join(stay.guest.replace('"', "'").split())[:LABEL_CHARS]
    about = [f'"{label}"'] if label else []
    about += [stay.code] if stay.code else []
    return about + (["tentative"] if stay.status is ReservationStatus.TENTATIVE else [])


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"
