"""Pipeline step 2: turn each property's stays into tasks (rules in `domain.planning`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from domain.errors import Conflict
from domain.events import EventKind
from domain.planning import diff_plans, plan_property
from domain.ports import UnitOfWork
from domain.properties import Property
from domain.tasks import Task, TaskPlan, TaskStatus
from tools.context import AppDeps, new_event, record_event

SUMMARISE_OVER = 5  # more tasks created at once than this are recorded as one event


@dataclass(slots=True)
class PlanReport:
    created: int = 0
    rescheduled: int = 0
    cancelled: int = 0
    reopened: int = 0
    skipped: int = 0  # properties another run was planning at the same moment: planned again next pass


def _label(prop: Property, task: Task | TaskPlan) -> str:
    local = task.window_start.astimezone(prop.zone)
    what = "Same-day turnover clean" if task.same_day_turnover else task.kind.value.replace("_", "-").capitalize()
    return f"{what} at {prop.name}, {local:%a %d %b %H:%M}"


async def plan_tasks(deps: AppDeps, *, due_only: bool = False) -> PlanReport:
    """Plan properties, one commit per property. Idempotent: a second run changes nothing.

    With `due_only`, only the properties not yet planned on their current local date: plans depend
    only on the stays, the property's rules and the date, and whatever changes stays or rules clears
    `planned_on` in the same commit (so a crash in between cannot lose a plan).
    """
    report = PlanReport()
    now = deps.clock.now()
    async with deps.uow() as uow:
        property_ids = [
            p.id
            for p in await uow.properties.list_all()
            if not due_only or p.planned_on != now.astimezone(p.zone).date()
        ]
    for property_id in property_ids:
        try:
            async with deps.uow() as uow:
                prop = await uow.properties.get(property_id)
                if prop is not None:
                    await _plan_one(deps, uow, prop, report)
                    today = now.astimezone(prop.zone).date()
                    if prop.planned_on != today:
                        await uow.properties.set_planned_on(prop.id, today)
                    await uow.commit()
        except Conflict:  # a concurrent run (PostgreSQL) wrote the same tasks first: nothing of ours was saved
            report.skipped += 1
    return report


async def _plan_one(deps: AppDeps, uow: UnitOfWork, prop: Property, report: PlanReport) -> None:
    now = deps.clock.now()
    today = now.astimezone(prop.zone).date()
    reservations = await uow.reservations.list_for_property(prop.id)
    inactive = {r.id for r in reservations if not r.is_active}
    existing = await uow.tasks.list_for_property(prop.id)
    diff = diff_plans(plan_property(prop, reservations, today), existing, inactive, today, prop.zone)

    created = [_task(deps, prop, plan, now) for plan in diff.create]
    await uow.tasks.add_many(created)
    if len(created) > SUMMARISE_OVER:  # a first import: one line of history, not one per task
        kinds = Counter(task.kind.value.replace("_", "-") for task in created)
        what = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        first, last = min(t.window_start for t in created), max(t.window_start for t in created)
        span = f"{first.astimezone(prop.zone):%a %d %b} to {last.astimezone(prop.zone):%a %d %b}"
        message = f"Planned {len(created)} tasks at {prop.name} ({what}), {span}"
        await uow.events.add(new_event(deps, EventKind.TASK_PLANNED, prop, prop.id, message))
    else:
        await uow.events.add_many(
            [new_event(deps, EventKind.TASK_PLANNED, prop, t.id, f"Planned: {_label(prop, t)}") for t in created]
        )
    report.created += len(created)
    for task, plan in diff.reopen:
        task.transition(TaskStatus.PLANNED, now, "reservation came back")
        _adopt(task, plan, now)
        await uow.tasks.update(task)
        await record_event(deps, uow, EventKind.TASK_PLANNED, prop, task.id, f"Planned again: {_label(prop, task)}")
        report.reopened += 1
    for task, plan in diff.update:
        moved = (task.window_start, task.deadline) != (plan.window_start, plan.deadline)
        _adopt(task, plan, now)
        await uow.tasks.update(task)
        if moved:
            await record_event(deps, uow, EventKind.TASK_RESCHEDULED, prop, task.id, f"Moved: {_label(prop, task)}")
            report.rescheduled += 1
    for task, reason in diff.cancel:
        task.transition(TaskStatus.CANCELLED, now, reason)
        await uow.tasks.update(task)
        await record_event(
            deps, uow, EventKind.TASK_CANCELLED, prop, task.id, f"Cancelled ({reason}): {_label(prop, task)}"
        )
        report.cancelled += 1


def _task(deps: AppDeps, prop: Property, plan: TaskPlan, now: datetime) -> Task:
    return Task(
        id=deps.ids.new_id("task"), host_id=prop.host_id, property_id=prop.id, kind=plan.kind,
        natural_key=plan.natural_key, window_start=plan.window_start, deadline=plan.deadline,
        budget=plan.budget, required_skills=plan.required_skills, created_at=now,
        reservation_id=plan.reservation_id, same_day_turnover=plan.same_day_turnover, priority=plan.priority,
    )  # fmt: skip


def _adopt(task: Task, plan: TaskPlan, now: datetime) -> None:
    task.reschedule(plan.window_start, plan.deadline, now)
    task.same_day_turnover, task.priority = plan.same_day_turnover, plan.priority
    task.reservation_id, task.natural_key, task.updated_at = plan.reservation_id, plan.natural_key, now
    task.budget = plan.budget  # the ceiling for hires still to come; a booked hire keeps its price
