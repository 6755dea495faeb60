"""Tasks: the work each stay creates, and manual tasks a person adds.

Every member may read them; creating, moving and cancelling a task is for owners and approvers, since
approvers are the co-hosts and managers who run the day-to-day and already decide spending (a task is
hired for like any other: at once within the property's auto-approve limit, through an approver above
it). Viewers only read. Another host's tasks do not exist for the caller (`NotFound`).

A manual task's natural key is `manual:<property>:<kind>:<start>:<deadline>` (UTC instants). The
planner never makes such a key (its own are `<property>:<kind>:<date>`), so it never moves or cancels
a manual task, and the same call made twice finds the first task instead of adding a second one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from pydantic import BaseModel

from domain.errors import Conflict, InvalidInput, PermissionDenied, TurnoverError
from domain.events import EventKind
from domain.hires import Hire, HireStatus
from domain.planning import RESERVATION_GONE, VISIT_BUDGET, key_day
from domain.ports import UnitOfWork
from domain.properties import Property
from domain.tasks import Task, TaskKind, TaskStatus
from tools.context import ToolContext, audit, record_event
from tools.hires import withdraw_hire
from tools.registry import MODEL_CHANNELS, page, tool
from tools.reservations import Places, local_iso
from tools.scope import DECIDERS, READERS, describe_actor, owned_property, owned_task

MANUAL = "manual"


class HireRef(BaseModel):
    id: str
    worker_id: str
    worker_name: str
    price: Decimal
    status: HireStatus
    booking_id: str | None
    attempt: int
    sandbox: bool  # made on the sandbox marketplace: nobody real was hired, no money moved


class TaskOut(BaseModel):
    id: str
    property_id: str
    property_name: str
    kind: TaskKind
    status: TaskStatus
    reason: str  # why it is in its status, or the note it was added with
    start: str  # earliest start, local ISO time with offset
    deadline: str
    same_day_turnover: bool  # guests leave and others arrive the same day: a tight window
    budget: Decimal
    reservation_id: str | None
    manual: bool  # added by a person, not planned from a stay

    @classmethod
    def of(cls, task: Task, prop: Property) -> TaskOut:
        return cls(
            id=task.id, property_id=prop.id, property_name=prop.name, kind=task.kind, status=task.status,
            reason=task.status_reason, start=local_iso(task.window_start, prop.zone),
            deadline=local_iso(task.deadline, prop.zone), same_day_turnover=task.same_day_turnover,
            budget=task.budget, reservation_id=task.reservation_id, manual=task.natural_key.startswith(f"{MANUAL}:"),
        )  # fmt: skip


class TaskDetailOut(TaskOut):
    guest: str = ""  # the stay's guest label as the feed gives it, when the task belongs to a stay
    hires: list[HireRef] = []  # every worker booked or proposed for it, oldest first
    message: str = ""  # what this call did, for a person


def _hire_ref(hire: Hire) -> HireRef:
    return HireRef(
        id=hire.id, worker_id=hire.worker_id, worker_name=hire.worker_name, price=hire.price, status=hire.status,
        booking_id=hire.booking_id, attempt=hire.attempt, sandbox=hire.sandbox,
    )  # fmt: skip


async def _detail(uow: UnitOfWork, task: Task, prop: Property, message: str = "") -> TaskDetailOut:
    stay = await uow.reservations.get(task.reservation_id) if task.reservation_id else None
    hires = [_hire_ref(h) for h in await uow.hires.list_for_task(task.id)]
    base = TaskOut.of(task, prop).model_dump()
    return TaskDetailOut(**base, guest=stay.guest if stay else "", hires=hires, message=message)


def _window(prop: Property, start: datetime, deadline: datetime, now: datetime) -> tuple[datetime, datetime]:
    """The window as aware instants (a naive time is the property's local time), checked."""
    start, deadline = (t if t.tzinfo else t.replace(tzinfo=prop.zone) for t in (start, deadline))
    if deadline <= start:
        raise InvalidInput("The deadline must come after the start.")
    if deadline <= now:
        raise InvalidInput(f"The deadline {local_iso(deadline, prop.zone)} has already passed.")
    return start, deadline


def _label(task: Task, prop: Property) -> str:
    local = task.window_start.astimezone(prop.zone)
    return f"{task.kind.value.replace('_', '-')} at {prop.name}, {local:%a %d %b %H:%M}"


def default_budget(prop: Property, kind: TaskKind) -> Decimal:
    """What the planner would give a task of this kind at this property."""
    rules = prop.planning
    return {
        TaskKind.CLEAN: prop.cleaning_budget, TaskKind.RESTOCK: rules.restock_budget,
        TaskKind.INSPECTION: rules.inspection_budget, TaskKind.MAINTENANCE: rules.maintenance_budget,
    }.get(kind, VISIT_BUDGET)  # fmt: skip


def manual_key(prop: Property, kind: TaskKind, start: datetime, deadline: datetime) -> str:
    """A key the planner never makes, equal for equal calls (the instants in UTC)."""
    start, deadline = start.astimezone(UTC), deadline.astimezone(UTC)
    return f"{MANUAL}:{prop.id}:{kind.value}:{start:%Y%m%dT%H%M%SZ}:{deadline:%Y%m%dT%H%M%SZ}"


@tool(read_only=True)
async def list_tasks(
    ctx: ToolContext,
    *,
    property_id: str | None = None,
    status: TaskStatus | None = None,
    kind: TaskKind | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[TaskOut]:
    """The host's tasks (cleans, check-in and check-out visits, restocks, inspections, maintenance), by
    start time, earliest first.

    Args:
        property_id: only this property's tasks.
        status: only tasks in this status (planned, awaiting_approval, hiring, booked, in_progress, done,
            cancelled, needs_host, failed).
        kind: only tasks of this kind (clean, check_in, check_out, restock, inspection, maintenance).
        limit: page size, at most 200.
        offset: how many to skip.
    """
    ctx.actor.require(*READERS)
    limit, offset = page(limit, offset)
    async with ctx.deps.uow() as uow:
        places = await Places.load(uow, ctx.actor.host_id, feeds=False)
        if property_id is not None:
            places.only(property_id)
        tasks = await uow.tasks.list_for_host(
            ctx.actor.host_id,
            property_id=property_id,
            statuses=None if status is None else [status],
            kind=kind,
            limit=limit,
            offset=offset,
        )
    return [TaskOut.of(t, places.properties[t.property_id]) for t in tasks]


@tool(read_only=True)
async def get_task(ctx: ToolContext, *, task_id: str) -> TaskDetailOut:
    """One task in full, with every worker booked or proposed for it (name, price, status, booking id).

    Args:
        task_id: the task (from list_tasks or get_reservation).
    """
    ctx.actor.require(*READERS)
    async with ctx.deps.uow() as uow:
        task, prop = await owned_task(uow, ctx, task_id)
        return await _detail(uow, task, prop)


@tool(idempotent=True)
async def create_task(
    ctx: ToolContext,
    *,
    property_id: str,
    kind: TaskKind,
    start: datetime,
    deadline: datetime,
    budget: Decimal | None = None,
    note: str = "",
) -> TaskDetailOut:
    """Add a task by hand (an extra clean, a repair, letting someone in...). Turnover then hires for it
    like any planned task: at once within the property's auto-approve limit, through an approver above it.

    The same call made again (same property, kind, start and deadline) returns the task it made
    instead of adding a second one; if that task was cancelled, it is opened again.

    Args:
        property_id: the property the work is at.
        kind: clean, check_in, check_out, restock, inspection or maintenance.
        start: the earliest start, an ISO date-time such as 2026-12-01T10:00; without an offset it is the
            property's local time.
        deadline: when it must be done by, in the same form; after the start and not already passed.
        budget: the most it may cost; leave it out for the property's usual budget for this kind of task.
        note: what it is for, shown to the host and kept in the audit log; never sent to workers.
    """
    ctx.actor.require(*DECIDERS)
    if budget is not None and budget <= 0:
        raise InvalidInput("A task's budget must be above zero.")
    deps, now = ctx.deps, ctx.deps.clock.now()
    async with deps.uow() as uow:
        prop = await owned_property(uow, ctx, property_id)
        usual = default_budget(prop, kind)
        if budget is not None and budget > usual and ctx.actor.channel in MODEL_CHANNELS:
            raise PermissionDenied(
                f"Only a person can give a task more than the property's usual {usual} for a {kind.value}."
            )
        start, deadline = _window(prop, start, deadline, now)
        who = await describe_actor(uow, ctx.actor)
        reason = f"added by {who}" + (f": {note}" if note else "")
        key = manual_key(prop, kind, start, deadline)
        task = await uow.tasks.get_by_natural_key(key)
        changed = task is None or task.status is TaskStatus.CANCELLED
        if task is not None and not changed:
            message = f"Already there ({task.status.value}): {_label(task, prop)}; nothing was added."
        elif task is not None:
            task.transition(TaskStatus.PLANNED, now, reason)
            task.budget = budget if budget is not None else task.budget
            await uow.tasks.update(task)
            message = f"Opened again by {who}: {_label(task, prop)}."
        else:
            task = Task(
                id=deps.ids.new_id("task"), host_id=prop.host_id, property_id=prop.id, kind=kind, natural_key=key,
                window_start=start, deadline=deadline, budget=usual if budget is None else budget,
                required_skills=prop.skills_for(kind), created_at=now, status_reason=reason, updated_at=now,
            )  # fmt: skip
            await uow.tasks.add(task)
            message = f"Added by {who}: {_label(task, prop)}."
        if changed:
            text = message[:-1] + (f" ({note})." if note else ".")
            await record_event(deps, uow, EventKind.TASK_PLANNED, prop, task.id, text)
        arguments = {
            "property_id": prop.id, "kind": kind.value, "start": start.isoformat(), "deadline": deadline.isoformat(),
            "budget": None if budget is None else str(budget), "note": note,
        }  # fmt: skip
        await audit(uow, ctx, "create_task", arguments, f"{task.id}: {message}")
        detail = await _detail(uow, task, prop, message)
        await uow.commit()
    return detail


@tool(idempotent=True)
async def reschedule_task(ctx: ToolContext, *, task_id: str, start: datetime, deadline: datetime) -> TaskDetailOut:
    """Move a manual task (or one the planner no longer looks after) to a new window.

    A worker booked for it is not left on the old time: on its next pass the pipeline cancels that
    booking on the marketplace and books the task again for the new window (the same worker may take
    it again), and the host is told. A booking still being sent is dropped and sent again the same
    way; a worker waiting for an approver is booked for the new time if approved. Work that has
    started cannot be moved. Tasks the planner makes from the stays (the clean after a checkout,
    visits, restocks, inspections, maintenance) follow the stays and the property's times, and moving
    one by hand would be undone by the next planning: that is refused; cancel it and create a manual
    task for the new time instead.

    Args:
        task_id: the task to move.
        start: the new earliest start, an ISO date-time; without an offset it is the property's local time.
        deadline: the new deadline, in the same form; after the start and not already passed.
    """
    ctx.actor.require(*DECIDERS)
    deps, now = ctx.deps, ctx.deps.clock.now()
    async with deps.uow() as uow:
        task, prop = await owned_task(uow, ctx, task_id)
        start, deadline = _window(prop, start, deadline, now)
        if task.status is TaskStatus.IN_PROGRESS:
            raise Conflict("The work on this task has started; it cannot be moved now.")
        day = key_day(task, prop.zone)
        if task.is_open and day is not None and day >= now.astimezone(prop.zone).date():
            raise Conflict(
                f"This {task.kind.value.replace('_', '-')} is planned from the stays and the property's times, and "
                "the next planning would move it back. Cancel it and create a manual task for the new time instead."
            )
        before = _label(task, prop)
        if task.natural_key.startswith(f"{MANUAL}:"):  # the key follows the window: a repeated create finds it
            key = manual_key(prop, task.kind, start, deadline)
            other = await uow.tasks.get_by_natural_key(key)
            if other is not None and other.id != task.id:
                raise Conflict(f"There is already a task for that time: {_label(other, prop)} ({other.id}).")
            task.natural_key = key
        if task.reschedule(start, deadline, now):
            await uow.tasks.update(task)
            who = await describe_actor(uow, ctx.actor)
            message = f"Moved by {who}: {before} → {task.window_start.astimezone(prop.zone):%a %d %b %H:%M}."
            await record_event(deps, uow, EventKind.TASK_RESCHEDULED, prop, task.id, message)
            message += _following(task, await uow.hires.list_for_task(task.id))
        else:
            message = "It is already at that time; nothing changed."
        arguments = {"task_id": task.id, "property_id": prop.id, "start": start.isoformat(),
                     "deadline": deadline.isoformat()}  # fmt: skip
        await audit(uow, ctx, "reschedule_task", arguments, message)
        detail = await _detail(uow, task, prop, message)
        await uow.commit()
    return detail


def _following(task: Task, hires: list[Hire]) -> str:
    """What happens to the task's worker after a move (scheduler/track.py, tools/hiring.py)."""
    for hire in hires:
        name = hire.worker_name
        if hire.booking_id and hire.is_live and task.status is TaskStatus.BOOKED:
            return (
                f" {name}'s booking for the old time is cancelled on the pipeline's next pass and the task is"
                f" booked again for the new time ({name} may take it again)."
            )
        if hire.status is HireStatus.REQUESTED:
            return f" The booking of {name} being sent is dropped and sent again for the new time."
        if hire.status is HireStatus.PROPOSED:
            return f" {name} still waits for an approver; if approved, {name} is booked for the new time."
    return ""


def _withdrawn(hire: Hire) -> str:
    if hire.booking_id:
        return f"{hire.worker_name}'s booking is cancelled on the marketplace."
    if hire.status is HireStatus.PROPOSED:
        return f"The approval for {hire.worker_name} is withdrawn."
    return f"The booking request for {hire.worker_name} is withdrawn."


@tool(destructive=True, idempotent=True, open_world=True)
async def cancel_task(ctx: ToolContext, *, task_id: str, reason: str = "") -> TaskDetailOut:
    """Cancel a task: nobody more is hired for it, and a worker booked or proposed for it is cancelled at
    once on the marketplace (an approval card is withdrawn). The planner never brings back a task a
    person cancelled. Cancelling it again changes nothing, but retries a booking that could not be
    cancelled the first time (the pipeline also cancels those on its next pass).

    Args:
        task_id: the task to cancel.
        reason: why, for the audit log and the host's notification.
    """
    ctx.actor.require(*DECIDERS)
    deps, now = ctx.deps, ctx.deps.clock.now()
    async with deps.uow() as uow:
        task, prop = await owned_task(uow, ctx, task_id)
        who = await describe_actor(uow, ctx.actor)
        why = f"cancelled by {who}" + (f" ({reason})" if reason else "")
        if task.status is TaskStatus.CANCELLED:
            message = "It was already cancelled."
            if task.status_reason == RESERVATION_GONE:  # a person's cancellation sticks if the stay comes back
                task.status_reason, task.updated_at = why, now
                await uow.tasks.update(task)
        else:
            task.transition(TaskStatus.CANCELLED, now, why)  # a task already done cannot be
            await uow.tasks.update(task)
            message = f"{why[0].upper()}{why[1:]}: {_label(task, prop)}."
            await record_event(deps, uow, EventKind.TASK_CANCELLED, prop, task.id, message)
        arguments = {"task_id": task.id, "property_id": prop.id, "reason": reason}
        await audit(uow, ctx, "cancel_task", arguments, message)
        hires = [h for h in await uow.hires.list_for_task(task.id) if h.is_live or h.status is HireStatus.PROPOSED]
        await uow.commit()
    notes = [message]
    for hire in hires:
        try:
            await withdraw_hire(deps, hire.id, reason=f"cancelled with its task by {who}")
        except TurnoverError as exc:  # the task stays cancelled; tracking cancels the booking on a later pass
            notes.append(f"{hire.worker_name}'s booking could not be cancelled yet ({exc}); it will be retried.")
        else:
            notes.append(_withdrawn(hire))
    async with deps.uow() as uow:
        task, prop = await owned_task(uow, ctx, task_id)
        return await _detail(uow, task, prop, " ".join(notes))
