"""Pipeline step 4: follow live hires on the marketplace and cancel the hires of cancelled tasks.

First version: status polling and the mapping of `rentahuman-api.md` §7 for bookings; the
hiring issue adds acknowledgement deadlines, no-show detection and outcomes for learning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.errors import MarketplaceError
from domain.events import EventKind
from domain.hires import Hire, HireStatus
from domain.ports import BookingState
from domain.tasks import TaskStatus
from tools.context import AppDeps, record_event

FOLLOWED = (TaskStatus.BOOKED, TaskStatus.IN_PROGRESS, TaskStatus.CANCELLED)
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
    errors: list[str] = field(default_factory=list)


async def track_hires(deps: AppDeps) -> TrackReport:
    report = TrackReport()
    async with deps.uow() as uow:
        live: list[Hire] = []
        for task in await uow.tasks.list_by_status(FOLLOWED):
            live += [h for h in await uow.hires.list_for_task(task.id) if h.is_live and h.booking_id]
    for hire in live:
        try:
            await _follow(deps, hire, report)
        except MarketplaceError as exc:
            report.errors.append(f"hire {hire.id}: {exc}")
    return report


async def _follow(deps: AppDeps, hire: Hire, report: TrackReport) -> None:
    assert hire.booking_id is not None
    async with deps.uow() as uow:
        task = await uow.tasks.get(hire.task_id)
    if task is None:
        return
    if task.status is TaskStatus.CANCELLED:
        state = await deps.marketplace.cancel_booking(hire.booking_id)
        report.cancelled += 1
    else:
        state = await deps.marketplace.get_booking(hire.booking_id)
        report.polled += 1
    await _apply(deps, hire.id, state, report)


async def _apply(deps: AppDeps, hire_id: str, state: BookingState, report: TrackReport) -> None:
    now = deps.clock.now()
    target = BOOKING_TO_HIRE.get(state.status)
    async with deps.uow() as uow:
        hire = await uow.hires.get(hire_id)
        task = await uow.tasks.get(hire.task_id) if hire else None
        prop = await uow.properties.get(task.property_id) if task else None
        if hire is None or task is None or prop is None or target is hire.status:
            return
        if target is None:  # a status we do not know is never resolved automatically
            if task.is_open and task.status is not TaskStatus.NEEDS_HOST:
                reason = f"the marketplace reports an unknown status {state.status!r}"
                task.transition(TaskStatus.NEEDS_HOST, now, reason)
                await uow.tasks.update(task)
                await record_event(deps, uow, EventKind.TASK_NEEDS_HOST, prop, task.id, f"Needs you: {reason}.")
                await uow.commit()
            return
        hire.transition(target, now, f"marketplace: {state.status}")
        if target is HireStatus.COMPLETED:
            hire.final_cost = state.total if state.total is not None else hire.price
            hire.completed_on_time = now <= task.deadline
        await uow.hires.update(hire)
        follow, why = _task_follows(task.status, target)
        if follow is not None:
            task.transition(follow, now, why)
            await uow.tasks.update(task)
        if target is HireStatus.COMPLETED:
            await record_event(
                deps, uow, EventKind.HIRE_COMPLETED, prop, hire.id, f"{hire.worker_name}: {task.kind.value} done."
            )
        elif target is HireStatus.CANCELLED:
            text = f"{hire.worker_name}: {task.kind.value} at {prop.name} cancelled ({why or task.status_reason})."
            await record_event(deps, uow, EventKind.HIRE_CANCELLED, prop, hire.id, text)
        await uow.commit()
    report.changed += 1


def _task_follows(current: TaskStatus, hire: HireStatus) -> tuple[TaskStatus | None, str]:
    if current is TaskStatus.CANCELLED:
        return None, ""
    if hire is HireStatus.IN_PROGRESS and current is TaskStatus.BOOKED:
        return TaskStatus.IN_PROGRESS, "the worker started"
    if hire is HireStatus.COMPLETED:
        return TaskStatus.DONE, "the worker finished"
    if hire is HireStatus.CANCELLED and current in (TaskStatus.BOOKED, TaskStatus.IN_PROGRESS):
        target = TaskStatus.HIRING if current is TaskStatus.BOOKED else TaskStatus.NEEDS_HOST
        return target, "the worker cancelled"
    return None, ""
