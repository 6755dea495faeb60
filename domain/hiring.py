"""Hiring rules: candidates, prices, the spending caps and the property's approval policy.

Caps live here so every channel (pipeline, chat, MCP, agent) meets the same limits.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import BudgetExceeded
from domain.hires import SPENDING_HIRE, Hire, HireStatus, Worker
from domain.properties import HiringPolicy, Property
from domain.tasks import Task, TaskKind

WIDEN_BUDGET = Decimal("1.2")
WIDEN_RATING = 0.5
CENT = Decimal("0.01")
MAX_ATTEMPTS = 4  # workers tried for one task before the host is asked
MIN_ACK = timedelta(hours=1)  # a late hire still gives the worker at least this long to confirm
NO_SHOW_GRACE = timedelta(minutes=45)  # confirmed but not started this long after the window opened


class Route(enum.StrEnum):
    AUTO = "auto"  # within the auto-approve limit: hire at once
    APPROVAL = "approval"  # a human approver must press Approve


@dataclass(frozen=True, slots=True)
class Candidate:
    worker: Worker
    price: Decimal
    score: float


@dataclass(frozen=True, slots=True)
class SearchCriteria:
    skill: str
    city: str
    budget: Decimal
    min_rating: float
    hours: float

    @property
    def max_rate(self) -> Decimal:
        return (self.budget / Decimal(str(self.hours))).quantize(CENT)

    def widened(self) -> SearchCriteria:
        """The one widening allowed before asking the host: +20% budget, -0.5 minimum rating."""
        return SearchCriteria(
            self.skill,
            self.city,
            (self.budget * WIDEN_BUDGET).quantize(CENT),
            self.min_rating - WIDEN_RATING,
            self.hours,
        )


MIN_HOURS, MAX_HOURS = 0.5, 168.0  # what the marketplace accepts as `estimatedHours`


def task_hours(task: Task, prop: Property) -> float:
    """The hours a task is booked (and priced) for, within what the marketplace accepts."""
    hours = prop.cleaning_minutes / 60 if task.kind is TaskKind.CLEAN else 1.0
    return min(max(hours, MIN_HOURS), MAX_HOURS)


def booked_at(hire: Hire) -> datetime:
    """When the marketplace first held the booking (the acknowledgement clock starts there)."""
    held = (HireStatus.BOOKED, HireStatus.CONFIRMED, HireStatus.IN_PROGRESS)
    return next((change.at for change in hire.history if change.status in held), hire.created_at)


def above_price(hire: Hire, total: Decimal | None) -> bool:
    """The marketplace charges more than the price that was checked against the caps and approved."""
    return total is not None and total > hire.price


def criteria_for(task: Task, prop: Property) -> SearchCriteria:
    return SearchCriteria(
        skill=task.required_skills[0] if task.required_skills else "Cleaning",
        city=prop.city,
        budget=task.budget,
        min_rating=prop.policy.min_rating,
        hours=task_hours(task, prop),
    )


def price_for(worker: Worker, hours: float) -> Decimal:
    return (worker.hourly_rate * Decimal(str(hours))).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Track:
    """What we know of each worker at one property: finished jobs and no-shows there."""

    done: Mapping[str, int] = field(default_factory=dict)
    no_shows: Mapping[str, int] = field(default_factory=dict)

    @staticmethod
    def of(hires: Iterable[Hire], property_id: str) -> Track:
        done: dict[str, int] = {}
        no_shows: dict[str, int] = {}
        for hire in hires:
            if hire.property_id != property_id:
                continue
            if hire.status is HireStatus.COMPLETED:
                done[hire.worker_id] = done.get(hire.worker_id, 0) + 1
            if hire.no_show:
                no_shows[hire.worker_id] = no_shows.get(hire.worker_id, 0) + 1
        return Track(done, no_shows)


def available_for(worker: Worker, start: datetime, end: datetime, hours: float) -> bool | None:
    """Whether the worker's weekly hours hold `hours` inside [start, end); None when they state none.

    Slots are read in the worker's own timezone (an unknown zone counts as UTC), day by day.
    """
    if not worker.availability:
        return None
    try:
        zone = ZoneInfo(worker.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    need = timedelta(hours=hours)
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    day = local_start.date()
    while day <= local_end.date():
        for weekday, opens, closes in worker.availability:
            if weekday != day.weekday():
                continue
            slot_start = datetime.combine(day, opens, zone)
            slot_end = datetime.combine(day, closes, zone)
            if min(slot_end, local_end) - max(slot_start, local_start) >= need:
                return True
        day += timedelta(days=1)
    return False


def rank_candidates(
    workers: Iterable[Worker],
    criteria: SearchCriteria,
    *,
    exclude: frozenset[str] = frozenset(),
    window: tuple[datetime, datetime] | None = None,
    track: Track | None = None,
) -> list[Candidate]:
    """Workers with the skill, in the city, rated enough and within budget; best first.

    Score (0..1): rating 35%, review depth 10%, cheapness within the budget 20%, availability in the
    task window 20% (stated and free: full; not stated: half; stated and busy: none), experience at
    the property 15% (finished jobs there, up to 5). Each no-show there costs 0.25. Ties break on
    price, then id.
    """
    track = track or Track()
    ranked: list[Candidate] = []
    for worker in workers:
        if worker.id in exclude or not worker.is_available or worker.rating < criteria.min_rating:
            continue
        if criteria.skill.lower() not in (s.lower() for s in worker.skills):
            continue
        if criteria.city and worker.city.lower() != criteria.city.lower():
            continue
        price = price_for(worker, criteria.hours)
        if price > criteria.budget or criteria.budget <= 0:
            continue
        cheapness = float(1 - price / criteria.budget)
        free = None if window is None else available_for(worker, window[0], window[1], criteria.hours)
        availability = 0.5 if free is None else float(free)
        experience = min(track.done.get(worker.id, 0), 5) / 5
        score = (
            0.35 * worker.rating / 5
            + 0.10 * min(worker.review_count, 100) / 100
            + 0.20 * cheapness
            + 0.20 * availability
            + 0.15 * experience
            - 0.25 * track.no_shows.get(worker.id, 0)
        )
        ranked.append(Candidate(worker, price, round(score, 6)))
    return sorted(ranked, key=lambda c: (-c.score, c.price, c.worker.id))


def ack_deadline(window_start: datetime, hired_at: datetime, ack_hours: int) -> datetime:
    """When an unconfirmed booking is given up: `ack_hours` before the window opens.

    A hire made later than that still gets half the time left before the window, at least an hour
    (never past the window's start).
    """
    deadline = window_start - timedelta(hours=ack_hours)
    if deadline > hired_at:
        return deadline
    return min(window_start, hired_at + max(MIN_ACK, (window_start - hired_at) / 2))


def is_no_show(hire: Hire, window_start: datetime, now: datetime, grace: timedelta = NO_SHOW_GRACE) -> bool:
    """Confirmed (or still only booked) and not started `grace` after the window opened."""
    return hire.status in (HireStatus.BOOKED, HireStatus.CONFIRMED) and now >= window_start + grace


def can_still_hire(task_deadline: datetime, hours: float, now: datetime) -> bool:
    """Whether a new worker could still do the job before the deadline (an hour to find them)."""
    return now + timedelta(hours=hours) + MIN_ACK <= task_deadline


def route_for(price: Decimal, policy: HiringPolicy) -> Route:
    return Route.AUTO if price <= policy.auto_approve_limit else Route.APPROVAL


def month_start(now: datetime, timezone: str) -> datetime:
    local = now.astimezone(ZoneInfo(timezone))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def committed_spend(hires: Sequence[Hire], *, since: datetime, property_id: str | None = None) -> Decimal:
    """What live and completed hires since `since` commit us to (final cost when known)."""
    total = Decimal(0)
    for hire in hires:
        if hire.status not in SPENDING_HIRE or hire.created_at < since:
            continue
        if property_id is not None and hire.property_id != property_id:
            continue
        total += hire.final_cost if hire.final_cost is not None else hire.price
    return total


def check_caps(
    price: Decimal,
    *,
    task_budget: Decimal,
    property_spent: Decimal,
    property_budget: Decimal | None,
    host_spent: Decimal,
    host_cap: Decimal | None,
    widened: bool = False,
) -> None:
    """Raise BudgetExceeded naming the first cap this price would break."""
    limit = (task_budget * WIDEN_BUDGET).quantize(CENT) if widened else task_budget
    if price > limit:
        raise BudgetExceeded(f"{price} is above the task budget of {limit}.")
    if property_budget is not None and property_spent + price > property_budget:
        left = max(property_budget - property_spent, Decimal(0))
        raise BudgetExceeded(f"{price} is above what is left of the property's monthly budget ({left}).")
    if host_cap is not None and host_spent + price > host_cap:
        left = max(host_cap - host_spent, Decimal(0))
        raise BudgetExceeded(f"{price} is above what is left of the host's monthly cap ({left}).")
