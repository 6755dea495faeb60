"""Hiring rules: candidates, prices, the spending caps and the property's approval policy.

Caps live here so every channel (pipeline, chat, MCP, agent) meets the same limits.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from domain.errors import BudgetExceeded
from domain.hires import SPENDING_HIRE, Hire, Worker
from domain.properties import HiringPolicy, Property
from domain.tasks import Task, TaskKind

WIDEN_BUDGET = Decimal("1.2")
WIDEN_RATING = 0.5
CENT = Decimal("0.01")


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


def task_hours(task: Task, prop: Property) -> float:
    if task.kind is TaskKind.CLEAN:
        return prop.cleaning_minutes / 60
    return 1.0


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


def rank_candidates(
    workers: Iterable[Worker], criteria: SearchCriteria, *, exclude: frozenset[str] = frozenset()
) -> list[Candidate]:
    """Workers with the skill, in the city, rated enough and within budget; best first.

    Score: rating 50%, review depth 20%, cheapness within the budget 30%. Ties break on id.
    """
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
        score = 0.5 * worker.rating / 5 + 0.2 * min(worker.review_count, 100) / 100 + 0.3 * cheapness
        ranked.append(Candidate(worker, price, round(score, 6)))
    return sorted(ranked, key=lambda c: (-c.score, c.price, c.worker.id))


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
