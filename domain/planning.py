"""Planning rules: which tasks the stays of one property call for.

Pure functions of (property, reservations, today). Tasks are derived per property, kind and date
(`natural_key`): planning twice yields the same tasks, and a booking cancelled and rebooked on the
same dates keeps its clean and whoever was hired for it (calendar-feeds.md rule 9). A stay whose
dates move keeps its tasks: they are rescheduled, not replaced.

- A clean per checkout, from the checkout time to the next arrival's check-in time (or the same
  day's check-in time when no arrival is known); a same-day turnover is flagged and prioritised.
- Check-in and check-out visits where the property wants them (never for a clipped start).
- A restock after every N stays, or once guests have used 80% of what the supplies last
  (guests × nights; a stay with an unknown guest count counts as a full house).
- A pre-arrival inspection when an arrival follows N or more vacant days.
- Recurring maintenance every N days from the property's creation, on the first vacant day of the
  week after it is due.
- Reservations that only mirror a stay (a block counted as a booking that overlaps a real
  reservation of another feed, rule 20) get no tasks.

The planner owns the tasks whose key date is today or later: it makes them match the plans
(create, move, cancel, reopen). Older tasks are history and stay as they are.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from domain.properties import Property
from domain.reservations import Reservation, ReservationStatus
from domain.tasks import Task, TaskKind, TaskPlan, TaskStatus

PLANNED_STATUSES = frozenset({ReservationStatus.CONFIRMED, ReservationStatus.OUT_OF_WINDOW})  # beyond the
# feed's horizon is not cancelled (rule 11): its tasks stay until the stay comes back into view
SAME_DAY_PRIORITY = 10
RESERVATION_GONE = "reservation cancelled"  # the reason the planner gives when it cancels a task
NOT_NEEDED = "no longer needed"
VISIT_HOURS = 1  # a check-in or check-out visit
VISIT_BUDGET = Decimal("30")
RESTOCK_AT_SHARE = Decimal("0.8")
MAINTENANCE_FLEX_DAYS = 7  # how far maintenance may slip to find a vacant day
MAINTENANCE_HOURS = 3


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A calendar date and a wall-clock time in the property's zone (DST-correct)."""
    return datetime.combine(day, at, tzinfo=zone)


def task_key(property_id: str, kind: TaskKind, day: date) -> str:
    return f"{property_id}:{kind.value}:{day.isoformat()}"


def key_day(task: Task, zone: ZoneInfo) -> date | None:
    """The date a planner task is keyed on; None for tasks the planner does not own (manual ones)."""
    prefix = f"{task.property_id}:{task.kind.value}:"
    if task.natural_key.startswith(prefix):
        try:
            return date.fromisoformat(task.natural_key.removeprefix(prefix))
        except ValueError:
            return None
    if task.reservation_id is not None:  # keyed by reservation by an older version: adopt by its window
        return task.window_start.astimezone(zone).date()
    return None


def mirrors(reservations: Iterable[Reservation]) -> set[str]:
    """Ids of reservations that only reflect another feed's stay (rule 20).

    A block counted as a booking (`from_block`) that overlaps a real reservation of another feed is
    that reservation seen from elsewhere; of two such blocks from different feeds the first seen wins.
    """
    active = [r for r in reservations if r.status in PLANNED_STATUSES]
    strong = [r for r in active if not r.from_block]
    kept: list[Reservation] = []
    found: set[str] = set()
    for weak in sorted((r for r in active if r.from_block), key=lambda r: (r.first_seen_at, r.id)):
        if any(o.feed_id != weak.feed_id and o.overlaps(weak.check_in, weak.check_out) for o in strong + kept):
            found.add(weak.id)
        else:
            kept.append(weak)
    return found


def plan_property(prop: Property, reservations: Sequence[Reservation], today: date) -> list[TaskPlan]:
    """Plans for every confirmed stay of the property from `today` on, one per key."""
    mirrored = mirrors(reservations)
    stays = sorted(
        (r for r in reservations if r.status in PLANNED_STATUSES and r.id not in mirrored),
        key=lambda r: (r.check_in, r.check_out, r.id),
    )
    arrivals = [r for r in stays if not r.start_clipped]
    plans: list[TaskPlan] = []
    for stay in stays:
        if stay.check_out < today:
            continue
        plans.append(_in_turnover(prop, stay, _next_arrival(arrivals, stay), TaskKind.CLEAN, prop.cleaning_budget))
        if prop.planning.check_in_tasks and stay.check_in >= today and not stay.start_clipped:
            plans.append(_visit(prop, stay, TaskKind.CHECK_IN, stay.check_in, _arrival(prop, stay)))
        if prop.planning.check_out_tasks:
            plans.append(_visit(prop, stay, TaskKind.CHECK_OUT, stay.check_out, _departure(prop, stay)))
    plans += _restocks(prop, stays, arrivals, today)
    plans += _inspections(prop, stays, today)
    plans += _maintenance(prop, stays, today)
    unique: dict[str, TaskPlan] = {}
    for plan in plans:
        unique.setdefault(plan.natural_key, plan)  # two feeds' stays ending the same day: one clean
    return list(unique.values())


def _arrival(prop: Property, stay: Reservation) -> datetime:
    return stay.check_in_at or local_instant(stay.check_in, prop.check_in_time, prop.zone)


def _departure(prop: Property, stay: Reservation) -> datetime:
    return stay.check_out_at or local_instant(stay.check_out, prop.check_out_time, prop.zone)


def _next_arrival(arrivals: Sequence[Reservation], stay: Reservation) -> Reservation | None:
    """The first arrival on or after the stay's checkout (`arrivals` sorted by check-in)."""
    start = bisect_left(arrivals, stay.check_out, key=lambda r: r.check_in)
    return next((r for r in arrivals[start:] if r.id != stay.id), None)


def _turnover(prop: Property, stay: Reservation, following: Reservation | None) -> tuple[datetime, datetime, bool]:
    """The window between a checkout and the next arrival, and whether it is a same-day turnover."""
    start = _departure(prop, stay)
    if following is not None:
        deadline = _arrival(prop, following)
    else:  # no known next arrival: still due by the next possible check-in time
        deadline = local_instant(stay.check_out, prop.check_in_time, prop.zone)
    if deadline <= start:  # check-in time before checkout time on the same day: give the clean its duration
        deadline = start + timedelta(minutes=prop.cleaning_minutes)
    return start, deadline, following is not None and following.check_in == stay.check_out


def _in_turnover(
    prop: Property, stay: Reservation, following: Reservation | None, kind: TaskKind, budget: Decimal
) -> TaskPlan:
    """A task done between a checkout and the next arrival: a clean, or a restock."""
    start, deadline, same_day = _turnover(prop, stay, following)
    return TaskPlan(
        property_id=prop.id,
        kind=kind,
        natural_key=task_key(prop.id, kind, stay.check_out),
        window_start=start,
        deadline=deadline,
        budget=budget,
        required_skills=prop.skills_for(kind),
        reservation_id=stay.id,
        same_day_turnover=same_day,
        priority=SAME_DAY_PRIORITY if same_day else 0,
    )


def _visit(prop: Property, stay: Reservation, kind: TaskKind, day: date, at: datetime) -> TaskPlan:
    return TaskPlan(
        property_id=prop.id,
        kind=kind,
        natural_key=task_key(prop.id, kind, day),
        window_start=at - timedelta(hours=VISIT_HOURS),
        deadline=at + timedelta(hours=VISIT_HOURS),
        budget=VISIT_BUDGET,
        required_skills=prop.skills_for(kind),
        reservation_id=stay.id,
    )


def _restocks(
    prop: Property, stays: Sequence[Reservation], arrivals: Sequence[Reservation], today: date
) -> list[TaskPlan]:
    """A restock in the turnover after the stay that reaches the threshold; counters restart there.

    Counted over the whole known history in checkout order, so the same stays give the same restocks.
    """
    rules = prop.planning
    if rules.restock_every_stays is None and rules.supplies_guest_nights is None:
        return []
    plans: list[TaskPlan] = []
    count, used = 0, 0
    for stay in sorted(stays, key=lambda r: (r.check_out, r.check_in, r.id)):
        count += 1
        used += (stay.guests or prop.max_guests) * stay.nights
        due = rules.restock_every_stays is not None and count >= rules.restock_every_stays
        cap = rules.supplies_guest_nights
        due = due or (cap is not None and used >= RESTOCK_AT_SHARE * cap)
        if not due:
            continue
        count, used = 0, 0
        if stay.check_out < today:
            continue
        following = _next_arrival(arrivals, stay)
        plans.append(_in_turnover(prop, stay, following, TaskKind.RESTOCK, rules.restock_budget))
    return plans


def _inspections(prop: Property, stays: Sequence[Reservation], today: date) -> list[TaskPlan]:
    """Before an arrival that follows at least N vacant days since the previous checkout.

    With no earlier stay known there is nothing to measure the vacancy from: no inspection.
    """
    days = prop.planning.inspection_after_vacant_days
    if days is None:
        return []
    plans: list[TaskPlan] = []
    for stay in stays:
        if stay.check_in < today or stay.start_clipped:
            continue
        previous = max((r.check_out for r in stays if r.check_out <= stay.check_in and r.id != stay.id), default=None)
        if previous is None or (stay.check_in - previous).days < days:
            continue
        start = local_instant(stay.check_in - timedelta(days=1), prop.check_out_time, prop.zone)
        plans.append(
            TaskPlan(
                property_id=prop.id,
                kind=TaskKind.INSPECTION,
                natural_key=task_key(prop.id, TaskKind.INSPECTION, stay.check_in),
                window_start=start,
                deadline=max(_arrival(prop, stay), start + timedelta(hours=VISIT_HOURS)),
                budget=prop.planning.inspection_budget,
                required_skills=prop.skills_for(TaskKind.INSPECTION),
                reservation_id=stay.id,
            )
        )
    return plans


def _maintenance(prop: Property, stays: Sequence[Reservation], today: date) -> list[TaskPlan]:
    """The next occurrence due on or after today, on the first day of its week with nobody staying
    (else the first day with no one staying the night, else the due day itself)."""
    every = prop.planning.maintenance_every_days
    if every is None:
        return []
    anchor = prop.created_at.astimezone(prop.zone).date()
    periods = max(1, -(-(today - anchor).days // every))
    due = anchor + timedelta(days=periods * every)
    occupied: set[date] = set()
    for stay in stays:
        occupied |= stay.nights_from(due - timedelta(days=1))
    candidates = [due + timedelta(days=n) for n in range(min(MAINTENANCE_FLEX_DAYS, every - 1) + 1)]
    empty = [d for d in candidates if d not in occupied and d - timedelta(days=1) not in occupied]
    no_night = [d for d in candidates if d not in occupied]
    day = (empty or no_night or [due])[0]
    start = local_instant(day, prop.check_out_time, prop.zone)
    deadline = local_instant(day, prop.check_in_time, prop.zone)
    if deadline <= start:
        deadline = start + timedelta(hours=MAINTENANCE_HOURS)
    return [
        TaskPlan(
            property_id=prop.id,
            kind=TaskKind.MAINTENANCE,
            natural_key=task_key(prop.id, TaskKind.MAINTENANCE, due),
            window_start=start,
            deadline=deadline,
            budget=prop.planning.maintenance_budget,
            required_skills=prop.skills_for(TaskKind.MAINTENANCE),
        )
    ]


@dataclass(slots=True)
class PlanDiff:
    create: list[TaskPlan] = field(default_factory=list)
    update: list[tuple[Task, TaskPlan]] = field(default_factory=list)  # moved, re-linked or re-prioritised
    cancel: list[tuple[Task, str]] = field(default_factory=list)  # with the reason
    reopen: list[tuple[Task, TaskPlan]] = field(default_factory=list)


def _differs(task: Task, plan: TaskPlan) -> bool:
    return (task.window_start, task.deadline, task.same_day_turnover, task.priority, task.reservation_id,
            task.natural_key, task.budget) != (plan.window_start, plan.deadline, plan.same_day_turnover,
                                               plan.priority, plan.reservation_id, plan.natural_key,
                                               plan.budget)  # fmt: skip


def diff_plans(
    plans: Sequence[TaskPlan],
    existing: Sequence[Task],
    inactive_reservation_ids: set[str],
    today: date,
    zone: ZoneInfo,
) -> PlanDiff:
    """Compare the wanted plans with the stored tasks of one property.

    A plan matches the task with its key; failing that, an open task (or one cancelled because its
    reservation went away) of the same stay and kind, which is then moved there. Unmatched plans are
    created. Open tasks the planner owns (key date today or later) that no plan wants are cancelled:
    "reservation cancelled" when their stay went away (so they come back with it), "no longer needed"
    otherwise. A task a person cancelled stays cancelled.
    """
    diff = PlanDiff()
    by_key = {t.natural_key: t for t in existing}
    matched: set[str] = set()
    pending: list[TaskPlan] = []
    for plan in plans:
        task = by_key.get(plan.natural_key)
        if task is None:
            pending.append(plan)
        else:
            matched.add(task.id)
            _match(diff, task, plan)
    for plan in pending:
        task = next(
            (
                t
                for t in existing
                if t.id not in matched
                and t.reservation_id is not None
                and (t.reservation_id, t.kind) == (plan.reservation_id, plan.kind)
                and (t.is_open or t.status_reason == RESERVATION_GONE)
                and key_day(t, zone) is not None
            ),
            None,
        )
        if task is None:
            diff.create.append(plan)
        else:
            matched.add(task.id)
            _match(diff, task, plan)
    for task in existing:
        if task.id in matched or not task.is_open:
            continue
        day = key_day(task, zone)
        if day is None or day < today:
            continue
        reason = RESERVATION_GONE if task.reservation_id in inactive_reservation_ids else NOT_NEEDED
        diff.cancel.append((task, reason))
    return diff


def _match(diff: PlanDiff, task: Task, plan: TaskPlan) -> None:
    if task.status is TaskStatus.CANCELLED:
        if task.status_reason == RESERVATION_GONE:  # a person's own cancellation stays cancelled
            diff.reopen.append((task, plan))
    elif task.is_open and _differs(task, plan):
        diff.update.append((task, plan))
