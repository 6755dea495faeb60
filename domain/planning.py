"""Planning rules: which tasks the stays of one property call for.

Pure functions of (property, reservations, today). The scheduler compares the plans with the
stored tasks by natural key, so planning twice yields the same tasks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from domain.properties import Property
from domain.reservations import Reservation, ReservationStatus
from domain.tasks import Task, TaskKind, TaskPlan, TaskStatus

SAME_DAY_PRIORITY = 10
RESERVATION_GONE = "reservation cancelled"  # the reason the planner gives when it cancels a task
NOT_NEEDED = "no longer needed"
VISIT_HOURS = 1  # a check-in or check-out visit
VISIT_BUDGET = Decimal("30")


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A calendar date and a wall-clock time in the property's zone (DST-correct)."""
    return datetime.combine(day, at, tzinfo=zone)


def plan_property(prop: Property, reservations: Sequence[Reservation], today: date) -> list[TaskPlan]:
    """Plans for every confirmed stay of the property that has not checked out before `today`."""
    stays = sorted(
        (r for r in reservations if r.status is ReservationStatus.CONFIRMED and r.check_out >= today),
        key=lambda r: (r.check_in, r.check_out, r.id),
    )
    arrivals = sorted({r.check_in for r in reservations if r.status is ReservationStatus.CONFIRMED})
    plans: list[TaskPlan] = []
    for stay in stays:
        plans.append(_clean_after(prop, stay, _next_arrival(arrivals, stay.check_out)))
        if prop.planning.check_in_tasks and stay.check_in >= today:
            plans.append(_visit(prop, stay, TaskKind.CHECK_IN, stay.check_in, prop.check_in_time))
        if prop.planning.check_out_tasks:
            plans.append(_visit(prop, stay, TaskKind.CHECK_OUT, stay.check_out, prop.check_out_time))
    return plans


def _next_arrival(arrivals: Sequence[date], checkout: date) -> date | None:
    return next((day for day in arrivals if day >= checkout), None)


def _clean_after(prop: Property, stay: Reservation, next_arrival: date | None) -> TaskPlan:
    zone = prop.zone
    start = local_instant(stay.check_out, prop.check_out_time, zone)
    # With no known next arrival the clean is still due by the next possible check-in time.
    deadline_day = next_arrival if next_arrival is not None else stay.check_out
    deadline = local_instant(deadline_day, prop.check_in_time, zone)
    if deadline <= start:  # check-in time before checkout time on the same day: give the clean its duration
        deadline = start + timedelta(minutes=prop.cleaning_minutes)
    same_day = next_arrival == stay.check_out
    return TaskPlan(
        property_id=prop.id,
        kind=TaskKind.CLEAN,
        natural_key=natural_key_for(stay.id, TaskKind.CLEAN),
        window_start=start,
        deadline=deadline,
        budget=prop.cleaning_budget,
        required_skills=prop.skills_for(TaskKind.CLEAN),
        reservation_id=stay.id,
        same_day_turnover=same_day,
        priority=SAME_DAY_PRIORITY if same_day else 0,
    )


def _visit(prop: Property, stay: Reservation, kind: TaskKind, day: date, at: time) -> TaskPlan:
    start = local_instant(day, at, prop.zone)
    return TaskPlan(
        property_id=prop.id,
        kind=kind,
        natural_key=natural_key_for(stay.id, kind),
        window_start=start - timedelta(hours=VISIT_HOURS),
        deadline=start + timedelta(hours=VISIT_HOURS),
        budget=VISIT_BUDGET,
        required_skills=prop.skills_for(kind),
        reservation_id=stay.id,
    )


def natural_key_for(reservation_id: str, kind: TaskKind) -> str:
    return f"{reservation_id}:{kind.value}"


@dataclass(slots=True)
class PlanDiff:
    create: list[TaskPlan] = field(default_factory=list)
    reschedule: list[tuple[Task, TaskPlan]] = field(default_factory=list)
    reprioritise: list[tuple[Task, TaskPlan]] = field(default_factory=list)
    cancel: list[Task] = field(default_factory=list)
    reopen: list[tuple[Task, TaskPlan]] = field(default_factory=list)


def diff_plans(plans: Sequence[TaskPlan], existing: Sequence[Task], inactive_reservation_ids: set[str]) -> PlanDiff:
    """Compare wanted plans with the stored tasks of one property.

    An open task is cancelled when its reservation is no longer active, or when its stay is still
    planned for but no longer wants that kind of task. A cancelled task whose plan returns (the
    reservation came back) is reopened. Tasks of past stays, which are not planned any more, stay as
    they are.
    """
    diff = PlanDiff()
    by_key = {t.natural_key: t for t in existing}
    wanted = {p.natural_key for p in plans}
    planned_stays = {p.reservation_id for p in plans}
    for plan in plans:
        task = by_key.get(plan.natural_key)
        if task is None:
            diff.create.append(plan)
        elif task.status is TaskStatus.CANCELLED:
            if task.status_reason == RESERVATION_GONE:  # a host's own cancellation stays cancelled
                diff.reopen.append((task, plan))
        elif task.is_open and (task.window_start, task.deadline) != (plan.window_start, plan.deadline):
            diff.reschedule.append((task, plan))
        elif task.is_open and (task.same_day_turnover, task.priority) != (plan.same_day_turnover, plan.priority):
            diff.reprioritise.append((task, plan))
    for task in existing:
        if not task.is_open or task.reservation_id is None or task.natural_key in wanted:
            continue
        if task.reservation_id in inactive_reservation_ids or task.reservation_id in planned_stays:
            diff.cancel.append(task)
    return diff
