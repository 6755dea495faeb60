"""Properties and the rules a host sets for each: times, budgets, hiring policy, planning."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import InvalidInput
from domain.tasks import TaskKind

DEFAULT_SKILLS: dict[TaskKind, tuple[str, ...]] = {
    TaskKind.CLEAN: ("Cleaning",),
    TaskKind.CHECK_IN: ("House Sitting",),
    TaskKind.CHECK_OUT: ("House Sitting",),
    TaskKind.RESTOCK: ("Restocking",),
    TaskKind.INSPECTION: ("Handyman",),
    TaskKind.MAINTENANCE: ("Handyman",),
}


@dataclass(slots=True)
class HiringPolicy:
    """How far the pipeline may spend alone for one property."""

    auto_approve_limit: Decimal = Decimal("120")  # hire at once at or under this price
    monthly_budget: Decimal | None = None  # all hires of the property in a calendar month
    min_rating: float = 4.0
    ack_hours: int = 12  # a booking not confirmed this long before the window is re-dispatched


@dataclass(slots=True)
class PlanningRules:
    """Which tasks the planner makes for a property (None: that kind of task is off)."""

    check_in_tasks: bool = False
    check_out_tasks: bool = False
    restock_every_stays: int | None = None  # a restock after every N stays...
    supplies_guest_nights: int | None = None  # ...or once guests have used 80% of what the supplies last
    inspection_after_vacant_days: int | None = None  # inspect before an arrival after N empty days
    maintenance_every_days: int | None = None  # recurring maintenance, counted from the property's creation
    restock_budget: Decimal = Decimal("60")
    inspection_budget: Decimal = Decimal("40")
    maintenance_budget: Decimal = Decimal("80")

    def __post_init__(self) -> None:
        for name in ("restock_every_stays", "supplies_guest_nights", "inspection_after_vacant_days",
                     "maintenance_every_days"):  # fmt: skip
            value = getattr(self, name)
            if value is not None and value < 1:
                raise InvalidInput(f"{name.replace('_', ' ').capitalize()} must be at least 1 (or unset).")
        for name in ("restock_budget", "inspection_budget", "maintenance_budget"):
            if getattr(self, name) < 0:
                raise InvalidInput(f"The {name.replace('_', ' ')} cannot be negative.")


@dataclass(slots=True)
class Property:
    id: str
    host_id: str
    name: str
    city: str
    timezone: str
    created_at: datetime
    address: str = ""  # private: never goes into public task text
    country: str = ""
    bedrooms: int = 1
    bathrooms: int = 1
    max_guests: int = 2
    check_in_time: time = time(16, 0)
    check_out_time: time = time(11, 0)
    cleaning_budget: Decimal = Decimal("90")
    cleaning_minutes: int = 180
    access_notes: str = ""  # door codes and the like: private, sent only after a hire is confirmed
    required_skills: dict[TaskKind, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_SKILLS))
    policy: HiringPolicy = field(default_factory=HiringPolicy)
    planning: PlanningRules = field(default_factory=PlanningRules)
    planned_on: date | None = None  # the local date of the last full planning; None: plan again at once

    def __post_init__(self) -> None:
        validate_timezone(self.timezone)
        if self.cleaning_budget < 0:
            raise InvalidInput("The cleaning budget cannot be negative.")
        if self.cleaning_minutes <= 0:
            raise InvalidInput("The cleaning duration must be positive.")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def skills_for(self, kind: TaskKind) -> tuple[str, ...]:
        return self.required_skills.get(kind) or DEFAULT_SKILLS[kind]


def validate_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(f"Unknown timezone {name!r}: use an IANA name such as Europe/Paris.") from exc
