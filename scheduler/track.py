"""Pipeline step 3: follow every live hire on the marketplace until the work is done.

Each pass polls the booking of every live hire (`rentahuman-api.md` §7 and §8: webhooks only ever
trigger an early poll) and maps its status onto the hire and the task:

| marketplace | hire | task | also |
|---|---|---|---|
| any, when the task's window moved | cancelled (rescheduled) | hiring (this worker may be booked again) | host told |
| `pending` past the acknowledgement deadline | cancelled | hiring (next candidate) | cancelled remotely; host told |
| `confirmed` | confirmed | booked | access details sent privately, once |
| `confirmed` still, `NO_SHOW_GRACE` after the window opened | cancelled, no-show | hiring (or needs_host) | the same |
| `in_progress` | in_progress | in_progress | |
| `completed` | completed | done | outcome: on time, evidence, cost |
| `cancelled` by the worker | cancelled | hiring (or needs_host) | host told |
| anything else | unchanged | needs_host | never resolved automatically |

A task that was cancelled cancels its hire: a booked one on the marketplace, a proposed one with
its approval, and a `requested` one whose answer was lost is first found again (then cancelled).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta

from domain.errors import TurnoverError
from domain.events import EventKind
from domain.hires import Hire, HireStatus
from domain.hiring import ack_deadline, booked_at, is_no_show
from domain.ports import BookingState, UnitOfWork
from domain.properties import Property
from domain.tasks import Task, TaskStatus
from tools.context import AppDeps, record_event
from tools.hiring import cancel_lost_create, load_hire, mark_needs_host, rehire_or_ask, send_access

UNFINISHED_AFTER = timedelta(hours=12)  # in progress this long past the deadline: the host is asked
FOLLOWED_HIRES = (HireStatus.BOOKED, HireStatus.CONFIRMED, HireStatus.IN_PROGRESS)
BOOKING_TO_HIRE = {
    "pending": HireStatus.BOOKED,
    "confirmed": HireStatus.CONFIRMED,
    "in_progress": HireStatus.IN_PROGRESS,
    "completed": HireStatus.COMPLETED,
    "cancelled": HireStatus.CANCELLED,
}


@dataclass(slots=True)
class TrackReport:
    polled: int = 0
    changed: int = 0
    cancelled: int = 0
    redispatched: int = 0
    rescheduled: int = 0
    no_shows: int = 0
    access_sent: int = 0
    errors: list[str] = field(default_factory=list)


async def track_hires(deps: AppDeps) -> TrackReport:
    report = TrackReport()
    async with deps.uow() as uow:
        live = await uow.hires.list_by_status(FOLLOWED_HIRES)
        stranded = await uow.hires.list_by_status((HireStatus.REQUESTED, HireStatus.PROPOSED))
    gate = asyncio.Semaphore(max(1, deps.config.hire_concurrency))

    async def one(hire: Hire) -> None:
        async with gate:
            try:
                if hire.booking_id:
                    await _follow(deps, hire, report)
                else:
                    await _drop_if_cancelled(deps, hire, report)
            except TurnoverError as exc:  # one hire's trouble is reported, never the whole pass aborted
                report.errors.append(f"hire {hire.id}: {exc}")

    async with asyncio.TaskGroup() as group:
        for hire in [*live, *stranded]:
            group.create_task(one(hire))
    return report


async def _load(deps: AppDeps, hire_id: str) -> tuple[Hire, Task, Property] | None:
    async with deps.uow() as uow:
        return await load_hire(uow, hire_id)


async def _follow(deps: AppDeps, hire: Hire, report: TrackReport) -> None:
    assert hire.booking_id is not None
    loaded = await _load(deps, hire.id)
    if loaded is None:
        return
    hire, task, prop = loaded
    if not hire.is_live or hire.booking_id is None:
        return
    if task.status in (TaskStatus.PLANNED, TaskStatus.HIRING):  # reopened (or raced) while still booked
        task = await _align(deps, hire.id) or task
    if task.status in (TaskStatus.CANCELLED, TaskStatus.DONE) or not task.is_open:
        state = await deps.marketplace.cancel_booking(hire.booking_id)
        report.cancelled += 1
        await _apply(deps, hire.id, state, report, note=f"the task is {task.status.value}")
        return
    if hire.request is not None and hire.request.start != task.window_start and task.status is TaskStatus.BOOKED:
        state = await deps.marketplace.cancel_booking(hire.booking_id)
        if state.status == "cancelled":
            await _moved(deps, hire.id, report)
            return
    state = await deps.marketplace.get_booking(hire.booking_id)
    report.polled += 1
    now = deps.clock.now()
    if state.status == "pending" and now >= ack_deadline(task.window_start, booked_at(hire), prop.policy.ack_hours):
        state = await deps.marketplace.cancel_booking(hire.booking_id)
        if state.status == "cancelled":
            await _give_up(deps, hire.id, report, no_show=False)
            return
    if state.status == "confirmed" and is_no_show(hire, task.window_start, now):
        state = await deps.marketplace.cancel_booking(hire.booking_id)
        if state.status == "cancelled":
            await _give_up(deps, hire.id, report, no_show=True)
            return
    await _apply(deps, hire.id, state, report)
    if state.status in ("confirmed", "in_progress") and await send_access(deps, hire.id):
        report.access_sent += 1
    if state.status == "in_progress" and now >= task.deadline + UNFINISHED_AFTER:
        await _unfinished(deps, hire.id)


async def _align(deps: AppDeps, hire_id: str) -> Task | None:
    """A task back in planning (its stay returned) or hiring while its hire is still booked follows the hire,
    so it is neither hired twice nor left open once the work is done."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        loaded = await load_hire(uow, hire_id)
        if loaded is None or not loaded[0].is_live or loaded[1].status not in (TaskStatus.PLANNED, TaskStatus.HIRING):
            return None
        hire, task, _ = loaded
        if task.status is TaskStatus.PLANNED:
            task.transition(TaskStatus.HIRING, now, f"{hire.worker_name} is still booked")
        task.transition(TaskStatus.BOOKED, now, f"{hire.worker_name} is still booked")
        task.hire_id = hire.id
        await uow.tasks.update(task)
        await uow.commit()
    return task


async def _unfinished(deps: AppDeps, hire_id: str) -> None:
    """Started but still not reported finished long after the deadline: the host looks; we keep polling."""
    async with deps.uow() as uow:
        loaded = await load_hire(uow, hire_id)
        if loaded is None or loaded[1].status is not TaskStatus.IN_PROGRESS:
            return
        hire, task, prop = loaded
        hours = int(UNFINISHED_AFTER.total_seconds() // 3600)
        await mark_needs_host(
            deps, uow, task, prop, f"{hire.worker_name} started but has not finished {hours} h after the deadline"
        )
        await uow.commit()


async def _moved(deps: AppDeps, hire_id: str, report: TrackReport) -> None:
    """The task's window moved (a changed stay): the booking for the old time is cancelled and the task
    is booked again for the new one, this worker included; the host and the worker both hear of it."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        loaded = await load_hire(uow, hire_id)
        if loaded is None or not loaded[0].is_live:
            return
        hire, task, prop = loaded
        local = task.window_start.astimezone(prop.zone)
        why = f"{task.kind.value} at {prop.name} moved to {local:%a %d %b %H:%M}"
        hire.rescheduled = True
        hire.transition(HireStatus.CANCELLED, now, why)
        await uow.hires.update(hire)
        if task.status is TaskStatus.BOOKED:
            task.transition(TaskStatus.HIRING, now, why)
            await uow.tasks.update(task)
        text = f"The {why}: {hire.worker_name}'s booking for the old time is cancelled; booking again."
        await record_event(deps, uow, EventKind.HIRE_REDISPATCHED, prop, hire.id, text)
        await uow.commit()
    report.rescheduled += 1


async def _give_up(deps: AppDeps, hire_id: str, report: TrackReport, *, no_show: bool) -> None:
    """We cancelled the booking ourselves: nobody confirmed in time, or the worker never came."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        loaded = await load_hire(uow, hire_id)
        if loaded is None or not loaded[0].is_live:
            return
        hire, task, prop = loaded
        local = task.window_start.astimezone(prop.zone)
        if no_show:
            why = f"{hire.worker_name} did not show up for {task.kind.value} at {prop.name} ({local:%a %d %b %H:%M})"
            hire.no_show = True
            report.no_shows += 1
        else:
            why = (
                f"{hire.worker_name} did not confirm {task.kind.value} at {prop.name} ({local:%a %d %b %H:%M}) in time"
            )
            report.redispatched += 1
        hire.transition(HireStatus.CANCELLED, now, why)
        await uow.hires.update(hire)
        await rehire_or_ask(deps, uow, task, prop, why)
        if task.status is TaskStatus.HIRING:
            text = f"{why}: booking cancelled, looking for someone else."
            await record_event(deps, uow, EventKind.HIRE_REDISPATCHED, prop, hire.id, text)
        await uow.commit()


async def _apply(deps: AppDeps, hire_id: str, state: BookingState, report: TrackReport, *, note: str = "") -> None:
    now = deps.clock.now()
    target = BOOKING_TO_HIRE.get(state.status)
    async with deps.uow() as uow:
        loaded = await load_hire(uow, hire_id)
        if loaded is None or target is loaded[0].status or not loaded[0].is_live:
            return
        hire, task, prop = loaded
        if target is not None and not hire.can_become(target):
            return  # a stale answer (an older status read after a newer one): nothing to learn
        if target is None:  # a status we do not know is never resolved automatically
            if task.is_open and task.status is not TaskStatus.NEEDS_HOST:
                await mark_needs_host(
                    deps, uow, task, prop, f"the marketplace reports an unknown status {state.status!r}"
                )
                await uow.commit()
            return
        hire.transition(target, now, note or f"marketplace: {state.status}")
        if target is HireStatus.COMPLETED:
            hire.completed_at = state.updated_at or now
            hire.final_cost = state.total if state.total is not None else hire.price
            hire.completed_on_time = hire.completed_at <= task.deadline
            hire.evidence = state.evidence
        await uow.hires.update(hire)
        await _task_follows(deps, uow, task, prop, hire, target, cancelled_by_us=bool(note))
        await uow.commit()
    report.changed += 1


async def _task_follows(
    deps: AppDeps, uow: UnitOfWork, task: Task, prop: Property, hire: Hire, target: HireStatus, *, cancelled_by_us: bool
) -> None:
    now = deps.clock.now()
    work = task.kind.value
    if target is HireStatus.IN_PROGRESS and task.status is TaskStatus.BOOKED:
        task.transition(TaskStatus.IN_PROGRESS, now, f"{hire.worker_name} started")
        await uow.tasks.update(task)
    elif target is HireStatus.COMPLETED:
        if task.status in (TaskStatus.BOOKED, TaskStatus.IN_PROGRESS, TaskStatus.NEEDS_HOST):
            task.transition(TaskStatus.DONE, now, f"{hire.worker_name} finished")
            await uow.tasks.update(task)
        timing = "on time" if hire.completed_on_time else "late"
        proof = f"{len(hire.evidence)} photo(s)/note(s)" if hire.evidence else "no evidence sent"
        text = f"{hire.worker_name} finished {work} at {prop.name}: {timing}, {proof}, {hire.final_cost}."
        await record_event(deps, uow, EventKind.HIRE_COMPLETED, prop, hire.id, text)
    elif target is HireStatus.CANCELLED and not cancelled_by_us:
        local = task.window_start.astimezone(prop.zone)
        why = f"{hire.worker_name} cancelled {work} at {prop.name} ({local:%a %d %b %H:%M})"
        if task.status is TaskStatus.IN_PROGRESS:
            await mark_needs_host(deps, uow, task, prop, why + " after starting")
            return
        await rehire_or_ask(deps, uow, task, prop, why)
        if task.status is TaskStatus.HIRING:
            text = f"{why}: looking for someone else."
            await record_event(deps, uow, EventKind.HIRE_CANCELLED, prop, hire.id, text)
    elif target is HireStatus.CANCELLED:
        reason = task.status_reason or "task cancelled"
        text = f"{hire.worker_name}: {work} at {prop.name} cancelled on the marketplace ({reason})."
        await record_event(deps, uow, EventKind.HIRE_CANCELLED, prop, hire.id, text)


async def _drop_if_cancelled(deps: AppDeps, hire: Hire, report: TrackReport) -> None:
    """A proposed or requested hire whose task was cancelled (or whose window ended while it waited):
    withdraw it, and cancel any booking the lost answer of its create may have made (found again by
    human, start and title)."""
    loaded = await _load(deps, hire.id)
    if loaded is None:
        return
    hire, task, _ = loaded
    now = deps.clock.now()
    stranded = task.status is TaskStatus.CANCELLED or (task.deadline <= now and task.status is not TaskStatus.DONE)
    if not stranded or hire.status not in (HireStatus.REQUESTED, HireStatus.PROPOSED):
        return
    if task.status is not TaskStatus.CANCELLED and hire.status is HireStatus.PROPOSED:
        return  # its approval expires on its own
    if hire.status is HireStatus.REQUESTED:
        await cancel_lost_create(deps, hire)
    async with deps.uow() as uow:
        stored = await uow.hires.get(hire.id)
        if stored is None or stored.status not in (HireStatus.REQUESTED, HireStatus.PROPOSED):
            return
        why = (
            f"the task was cancelled ({task.status_reason})"
            if task.status is TaskStatus.CANCELLED
            else ("the task's window ended before a booking")
        )
        stored.transition(HireStatus.CANCELLED, now, why)
        await uow.hires.update(stored)
        for approval in await uow.approvals.list_open(stored.host_id):
            if approval.hire_id == stored.id and approval.withdraw(now):
                await uow.approvals.update(approval)
        await uow.commit()
    report.cancelled += 1
