"""Insights: a summary of the business (occupancy, turnovers, spend) and what happened, by whom.

Both are reads for every member of the host. `what_happened` shows the audit log (every call of a
tool that changes something: who, through which channel, with which arguments, and what came of it)
with the events Turnover recorded (what the pipeline did or saw, and what followed a call), newest
first. Anything in it that looks like a URL is cut to its scheme and host: feed URLs carry tokens.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from domain.errors import InvalidInput, NotFound
from domain.events import AuditEntry, Event
from domain.hiring import committed_spend, month_start
from domain.hosts import Channel
from domain.planning import PLANNED_STATUSES
from domain.properties import Property
from domain.reservations import Reservation
from domain.tasks import OPEN_STATUSES, Task, TaskKind, TaskStatus
from tools.context import ToolContext
from tools.feed_preview import scrub
from tools.registry import page, tool
from tools.reservations import Places, local_iso
from tools.scope import READERS

MAX_DAYS = 365
NEEDING_YOU = (TaskStatus.NEEDS_HOST, TaskStatus.FAILED)
TURNOVER = "Turnover"  # who the pipeline's events are by


class Occupancy(BaseModel):
    nights: int  # nights in the period
    booked_nights: int  # nights with a confirmed stay
    occupancy_percent: float
    turnovers: int  # cleans still to do that start within the period
    same_day_turnovers: int  # of which guests leave and others arrive the same day
    tasks_needing_you: int  # open tasks the pipeline handed to the host (needs_host, failed)
    open_approvals: int  # hires waiting for an approver's decision
    spent_this_month: Decimal  # hires committed since the 1st of the month (final cost once known)


class PropertySummary(Occupancy):
    property_id: str
    property_name: str
    first_night: date  # the period, in the property's own dates
    last_night: date
    next_turnover: str | None  # start of the next clean to do, local ISO time with offset
    monthly_budget: Decimal | None  # the property's monthly hiring budget (None: no limit)
    budget_left: Decimal | None


class SummaryOut(BaseModel):
    days: int
    month: str  # the calendar month the spend counts, YYYY-MM in the host's timezone
    properties: list[PropertySummary]
    total: Occupancy
    monthly_cap: Decimal | None  # the host's cap over all properties (None: no cap)
    cap_left: Decimal | None


class HappeningOut(BaseModel):
    at: datetime
    source: Literal["audit", "event"]  # a tool call, or something Turnover recorded
    who: str  # the member's name, or Turnover for the pipeline
    member_id: str | None
    channel: str  # cli, console, mcp, agent, slack, telegram, web, scheduler
    action: str  # the tool called, or the kind of event (reservation.new, hire.booked...)
    arguments: dict[str, Any]
    result: str
    property_id: str | None
    property_name: str | None


def _left(limit: Decimal | None, spent: Decimal) -> Decimal | None:
    return None if limit is None else max(limit - spent, Decimal(0))


def _percent(booked: int, nights: int) -> float:
    return round(100 * booked / nights, 1) if nights else 0.0


@tool(read_only=True)
async def get_summary(ctx: ToolContext, *, days: int = 30) -> SummaryOut:
    """How the business is doing, per property and in total: occupancy over the next days, the cleans
    coming up (and how many are same-day turnovers), tasks and approvals waiting for a person, and this
    month's spend against each property's monthly budget and the host's monthly cap.

    Args:
        days: how many days ahead occupancy and turnovers cover, 1 to 365 (from today, in each property's timezone).
    """
    ctx.actor.require(*READERS)
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"days must be between 1 and {MAX_DAYS}, not {days}.")
    host_id, now = ctx.actor.host_id, ctx.deps.clock.now()
    async with ctx.deps.uow() as uow:
        host = await uow.hosts.get(host_id)
        if host is None:
            raise NotFound("host", host_id)
        places = await Places.load(uow, host_id, feeds=False)
        stays = {
            p.id: await uow.reservations.list_for_property(p.id, ending_after=now.astimezone(p.zone).date())
            for p in places.properties.values()
        }
        open_tasks = await uow.tasks.list_by_status(sorted(OPEN_STATUSES), host_id=host_id)
        approvals = [a for a in await uow.approvals.list_open(host_id) if a.expires_at > now]
        since = month_start(now, host.timezone)
        hires = await uow.hires.list_for_host(host_id, since=since)
    summaries = []
    for prop in places.properties.values():
        summary = _property_summary(
            prop, stays[prop.id], [t for t in open_tasks if t.property_id == prop.id], now, days
        )
        summary.open_approvals = sum(1 for a in approvals if a.property_id == prop.id)
        summary.spent_this_month = committed_spend(hires, since=since, property_id=prop.id)
        summary.budget_left = _left(prop.policy.monthly_budget, summary.spent_this_month)
        summaries.append(summary)
    nights, booked = sum(s.nights for s in summaries), sum(s.booked_nights for s in summaries)
    spent = committed_spend(hires, since=since)
    total = Occupancy(
        nights=nights, booked_nights=booked, occupancy_percent=_percent(booked, nights),
        turnovers=sum(s.turnovers for s in summaries), same_day_turnovers=sum(s.same_day_turnovers for s in summaries),
        tasks_needing_you=sum(s.tasks_needing_you for s in summaries), open_approvals=len(approvals),
        spent_this_month=spent,
    )  # fmt: skip
    return SummaryOut(
        days=days, month=f"{since:%Y-%m}", properties=summaries, total=total, monthly_cap=host.monthly_cap,
        cap_left=_left(host.monthly_cap, spent),
    )  # fmt: skip


def _property_summary(
    prop: Property, stays: list[Reservation], tasks: list[Task], now: datetime, days: int
) -> PropertySummary:
    """Occupancy and work of one property over `days` nights from its local today (money filled in by the caller)."""
    today = now.astimezone(prop.zone).date()
    end = today + timedelta(days=days)
    booked: set[date] = set()
    for stay in stays:
        if stay.status in PLANNED_STATUSES:
            booked |= {night for night in stay.nights_from(today) if night < end}
    cleans = [t for t in tasks if t.kind is TaskKind.CLEAN and t.deadline > now]
    cleans = sorted(
        (t for t in cleans if t.window_start.astimezone(prop.zone).date() < end), key=lambda t: (t.window_start, t.id)
    )
    return PropertySummary(
        property_id=prop.id, property_name=prop.name, first_night=today, last_night=end - timedelta(days=1),
        nights=days, booked_nights=len(booked), occupancy_percent=_percent(len(booked), days),
        turnovers=len(cleans), same_day_turnovers=sum(1 for t in cleans if t.same_day_turnover),
        tasks_needing_you=sum(1 for t in tasks if t.status in NEEDING_YOU), open_approvals=0,
        spent_this_month=Decimal(0), monthly_budget=prop.policy.monthly_budget, budget_left=None,
        next_turnover=local_iso(cleans[0].window_start, prop.zone) if cleans else None,
    )  # fmt: skip


@tool(read_only=True)
async def what_happened(
    ctx: ToolContext,
    *,
    since: datetime | None = None,
    property_id: str | None = None,
    channel: Channel | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[HappeningOut]:
    """What was done and by whom, newest first: every change made through a tool (who, through which
    channel, with which arguments, and the result) and what Turnover recorded on its own (bookings
    seen, tasks planned, workers hired, feeds failing...), which is listed under the scheduler channel.

    Args:
        since: only what happened at or after this ISO date-time; without an offset it is the host's local time.
        property_id: only what concerns this property (calls naming it, and what Turnover recorded about it).
        channel: only calls made through this channel (cli, console, mcp, slack, telegram, web, agent,
            scheduler); Turnover's own records count as scheduler.
        limit: page size, at most 200.
        offset: how many to skip.
    """
    ctx.actor.require(*READERS)
    limit, offset = page(limit, offset)
    host_id, wanted = ctx.actor.host_id, offset + limit
    async with ctx.deps.uow() as uow:
        host = await uow.hosts.get(host_id)
        if host is None:
            raise NotFound("host", host_id)
        places = await Places.load(uow, host_id, feeds=False)
        if property_id is not None:
            places.only(property_id)
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=ZoneInfo(host.timezone))
        names = {m.id: m.name for m in await uow.members.list_for_host(host_id)}
        entries = await uow.audit.list_for_host(
            host_id, limit=wanted, since=since, channel=channel.value if channel else None, property_id=property_id
        )
        events: list[Event] = []
        if channel in (None, Channel.SCHEDULER):
            events = await uow.events.list_for_host(host_id, limit=wanted, since=since, property_id=property_id)
    props = {p.id: p.name for p in places.properties.values()}
    rows = [_from_audit(e, names, props) for e in entries] + [_from_event(e, props) for e in events]
    rows.sort(key=lambda row: row[0], reverse=True)  # at one instant, what followed a call comes above it
    return [out for _, out in rows[offset : offset + limit]]


Row = tuple[tuple[datetime, int, str], HappeningOut]


def _redact(value: Any) -> Any:
    """Anything that looks like a URL, anywhere in `value`, cut to its scheme and host."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {key: _redact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redact(item) for item in value]
    return value


def _from_audit(entry: AuditEntry, names: dict[str, str], props: dict[str, str]) -> Row:
    member_id = entry.actor.removeprefix("agent:")  # written as a member id, "agent:<member id>" or "scheduler"
    if member_id in names:
        who, member = names[member_id], member_id
    else:
        who, member = (TURNOVER if entry.actor == "scheduler" else entry.actor), None
    named = entry.arguments.get("property_id")
    prop_id = named if isinstance(named, str) else None
    out = HappeningOut(
        at=entry.at, source="audit", who=who, member_id=member, channel=entry.channel, action=entry.action,
        arguments=_redact(entry.arguments), result=_redact(entry.result), property_id=prop_id,
        property_name=props.get(prop_id or ""),
    )  # fmt: skip
    return (entry.at, 0, entry.id), out


def _from_event(event: Event, props: dict[str, str]) -> Row:
    out = HappeningOut(
        at=event.created_at, source="event", who=TURNOVER, member_id=None, channel=Channel.SCHEDULER.value,
        action=event.kind.value, arguments={"subject_id": event.subject_id}, result=_redact(event.message),
        property_id=event.property_id, property_name=props.get(event.property_id or ""),
    )  # fmt: skip
    return (event.created_at, 1, event.id), out
