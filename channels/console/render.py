"""Plain text for the chat commands (`channels/commands.py`): the console prints it, and it is the
text fallback of every chat channel. Pure functions of what a command fetched: tools' JSON data,
whose times are already the property's local time (ISO with its offset)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from channels.commands import ApprovalsView, FeedsView, HelpView, HiresView, TasksView, TodayView

Data = dict[str, Any]


def _when(iso: str) -> str:
    return f"{datetime.fromisoformat(iso):%a %d %b %H:%M}"


def _day(iso: str) -> str:
    return f"{date.fromisoformat(iso[:10]):%a %d %b %Y}"


def _words(value: str) -> str:
    return value.replace("_", " ")


def _window(task: Data) -> str:
    start, end = datetime.fromisoformat(task["start"]), datetime.fromisoformat(task["deadline"])
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %d %b %H:%M}"
    return f"{start:%a %d %b %H:%M}–{until}"


def _task_line(task: Data) -> str:
    parts = [_window(task), _words(task["kind"]), task["property_name"], _words(task["status"])]
    if task["same_day_turnover"]:
        parts.append("same-day turnover")
    return " · ".join(parts)


def _plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def _more(lines: list[str], more: int) -> list[str]:
    return [*lines, f"… and {more} more"] if more else lines


def _stay(stay: Data) -> str:
    who = " ".join(str(stay["guest"]).split())[:40] or "a stay"
    return f'"{who}"' + (f" ({stay['code']})" if stay.get("code") else "")


def help_text(view: HelpView) -> str:
    width = max(len(usage) for usage, _ in view.commands)
    lines = ["Commands:", *(f"  {usage:<{width}}  {summary}" for usage, summary in view.commands)]
    return "\n".join([*lines, view.footer] if view.footer else lines)


def _section(title: str, items: list[str], empty: str) -> list[str]:
    return [f"{title}:", *(f"  {item}" for item in items)] if items else [f"{title}: {empty}"]


def today_text(view: TodayView) -> str:
    leaving = [
        f"{s['property_name']}: {_stay(s)} checks out at {_when(s['departure'])[-5:]}"
        + (", same-day turnover" if s["same_day_turnover"] else "")
        for s in view.departures
    ]
    arriving = [
        f"{s['property_name']}: {_stay(s)} arrives at {_when(s['arrival'])[-5:]}, {_plural(s['nights'], 'night')}"
        for s in view.arrivals
    ]
    lines = [
        f"Today, {_day(view.day)}",
        *_section("Leaving", leaving, "nobody"),
        *_section("Arriving", arriving, "nobody"),
        *_section("Work today", [_task_line(t) for t in view.tasks], "none"),
    ]
    if view.approvals:
        lines.append(f"{_plural(view.approvals, 'approval')} waiting: /approvals")
    if view.needing_you:
        lines.append(f"{_plural(view.needing_you, 'task')} handed back to you: /tasks")
    return "\n".join(lines)


def tasks_text(view: TasksView) -> str:
    where = f" at {view.property_name}" if view.property_name else ""
    if not view.tasks:
        return f"No open tasks{where}."
    heading = f"Open tasks{where} ({len(view.tasks) + view.more}):"
    return "\n".join(_more([heading, *(f"  {_task_line(t)}" for t in view.tasks)], view.more))


def _ago(then: str | None, now: str) -> str:
    if then is None:
        return "never"
    minutes = int((datetime.fromisoformat(now) - datetime.fromisoformat(then)).total_seconds() // 60)
    if minutes < 60:
        return "just now" if minutes < 1 else f"{minutes} min ago"
    hours = minutes // 60
    return f"{hours} h ago" if hours < 48 else f"{hours // 24} days ago"


def _within(until: str, now: str) -> str:
    minutes = int((datetime.fromisoformat(until) - datetime.fromisoformat(now)).total_seconds() // 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"


def approvals_text(view: ApprovalsView) -> str:
    if not view.approvals:
        return "No approvals waiting."
    lines = [f"{_plural(len(view.approvals), 'approval')} waiting:"]
    for n, approval in enumerate(view.approvals, 1):
        task = view.tasks.get(approval["task_id"])
        what = f"{_words(task['kind'])} at {task['property_name']}, {_when(task['start'])}" if task else "a task"
        lines.append(
            f"  {n}. {approval['worker']} for {what}: {approval['amount']} ({approval['reason']}); "
            f"decide within {_within(approval['expires_at'], view.now)}"
        )
    return "\n".join([*lines, "/approve N or /decline N, with a note if you like."])


def decision_text(decided: Data) -> str:
    return str(decided["message"] or f"Approval {decided['id']} is {decided['status']}.")


def properties_text(props: Sequence[Data]) -> str:
    if not props:
        return "No properties yet. Add one with `turnover call add_property` or ask the assistant."
    return "\n".join(
        f"{p['name']} · {p['city']} ({p['timezone']}) · check-in {p['check_in_time']}, checkout "
        f"{p['check_out_time']} · clean budget {p['cleaning_budget']} · auto-approve up to {p['auto_approve_limit']}"
        for p in props
    )


def feeds_text(view: FeedsView) -> str:
    if not view.feeds:
        return "No calendar feeds yet."
    lines = []
    for f in view.feeds:
        parts = [
            f["property_name"],
            f["platform"],
            _words(f["status"]),
            f"last good fetch {_ago(f['last_success_at'], view.now)}",
        ]
        if f["consecutive_failures"]:
            parts.append(f"{_plural(f['consecutive_failures'], 'failure')}: {f['last_error']}")
        if f["hold"]:
            hold = f["hold"]
            held = f"a change is held ({hold['fetches_seen']} of {hold['fetches_needed']} fetches)"
            parts.append(f"{held}: {hold['reason']}" if hold["reason"] else held)
        lines.append(" · ".join(parts))
    return "\n".join(lines)


def hires_text(view: HiresView) -> str:
    if not view.hires:
        return "No hires yet."
    lines = []
    for h in view.hires:
        task = view.tasks.get(h["task_id"])
        what = f"{_words(task['kind'])} at {task['property_name']}, {_when(task['start'])}" if task else h["task_id"]
        status = _words(h["status"]) + (" (sandbox)" if h["sandbox"] else "")
        lines.append(f"{what} · {h['worker_name']} · {h['price']} · {status}")
    return "\n".join(lines)
