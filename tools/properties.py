"""Properties and their calendar feeds."""

from __future__ import annotations

import dataclasses
from datetime import time
from decimal import Decimal

from pydantic import BaseModel

from domain.errors import InvalidInput, PermissionDenied
from domain.feeds import Feed
from domain.hosts import Role
from domain.properties import HiringPolicy, PlanningRules, Property
from tools.context import ToolContext, audit
from tools.feeds import FeedOut
from tools.registry import MODEL_CHANNELS, page, tool
from tools.scope import READERS, owned_property


class PropertyOut(BaseModel):
    id: str
    name: str
    city: str
    timezone: str
    check_in_time: str
    check_out_time: str
    cleaning_budget: Decimal
    auto_approve_limit: Decimal

    @classmethod
    def of(cls, prop: Property) -> PropertyOut:
        return cls(
            id=prop.id,
            name=prop.name,
            city=prop.city,
            timezone=prop.timezone,
            check_in_time=prop.check_in_time.strftime("%H:%M"),
            check_out_time=prop.check_out_time.strftime("%H:%M"),
            cleaning_budget=prop.cleaning_budget,
            auto_approve_limit=prop.policy.auto_approve_limit,
        )


def _parse_time(value: str, what: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{what} must look like 16:00, not {value!r}.") from exc


@tool(secret_args=("access_notes",))
async def add_property(
    ctx: ToolContext,
    *,
    name: str,
    city: str,
    timezone: str,
    address: str = "",
    check_in_time: str = "16:00",
    check_out_time: str = "11:00",
    cleaning_budget: Decimal = Decimal("90"),
    cleaning_minutes: int = 180,
    auto_approve_limit: Decimal = Decimal("120"),
    monthly_budget: Decimal | None = None,
    check_in_tasks: bool = False,
    check_out_tasks: bool = False,
    max_guests: int = 2,
    restock_every_stays: int | None = None,
    supplies_guest_nights: int | None = None,
    inspection_after_vacant_days: int | None = None,
    maintenance_every_days: int | None = None,
    access_notes: str = "",
    min_rating: float = 4.0,
    ack_hours: int = 12,
) -> PropertyOut:
    """Add a property the host rents out.

    Args:
        name: what the host calls it, e.g. "Alfama loft".
        city: the city workers are searched in.
        timezone: IANA timezone of the property, e.g. Europe/Lisbon.
        address: the exact address; private, sent to a worker only after a hire is confirmed.
        check_in_time: guests' check-in time, HH:MM local.
        check_out_time: guests' checkout time, HH:MM local.
        cleaning_budget: the most one clean may cost.
        cleaning_minutes: how long a clean takes.
        auto_approve_limit: hires at or under this price need no approval. A property an assistant adds
            starts at 0 (every hire waits for a person) until a person raises it.
        monthly_budget: the most all hires of this property may cost in a month.
        check_in_tasks: plan a check-in visit for every arrival.
        check_out_tasks: plan a check-out visit for every departure.
        max_guests: how many guests the property sleeps (a stay with no guest count counts as full).
        restock_every_stays: plan a restock after every N stays (unset: off).
        supplies_guest_nights: guest-nights the supplies last; a restock is planned at 80% (unset: off).
        inspection_after_vacant_days: inspect before an arrival that follows N or more empty days (unset: off).
        maintenance_every_days: plan maintenance every N days, on a vacant day (unset: off).
        access_notes: door codes, key box, Wi-Fi; private, sent to a worker only after a hire is confirmed.
        min_rating: the lowest worker rating hired without asking (0-5).
        ack_hours: a booking the worker has not confirmed this many hours before the window goes to someone else.
    """
    ctx.actor.require(Role.OWNER)
    if ctx.actor.channel in MODEL_CHANNELS:
        auto_approve_limit = Decimal(0)  # a person sets how much may be spent without asking
    if not 0 <= min_rating <= 5:
        raise InvalidInput("The minimum rating is between 0 and 5.")
    if ack_hours < 0:
        raise InvalidInput("The acknowledgement deadline cannot be negative.")
    prop = Property(
        id=ctx.deps.ids.new_id("prop"),
        host_id=ctx.actor.host_id,
        name=name.strip() or "Unnamed",
        city=city.strip(),
        timezone=timezone,
        created_at=ctx.deps.clock.now(),
        address=address,
        check_in_time=_parse_time(check_in_time, "check_in_time"),
        check_out_time=_parse_time(check_out_time, "check_out_time"),
        cleaning_budget=cleaning_budget,
        cleaning_minutes=cleaning_minutes,
        access_notes=access_notes,
        policy=HiringPolicy(
            auto_approve_limit=auto_approve_limit,
            monthly_budget=monthly_budget,
            min_rating=min_rating,
            ack_hours=ack_hours,
        ),
        max_guests=max_guests,
        planning=PlanningRules(
            check_in_tasks=check_in_tasks,
            check_out_tasks=check_out_tasks,
            restock_every_stays=restock_every_stays,
            supplies_guest_nights=supplies_guest_nights,
            inspection_after_vacant_days=inspection_after_vacant_days,
            maintenance_every_days=maintenance_every_days,
        ),
    )
    if max_guests < 1:
        raise InvalidInput("A property sleeps at least one guest.")
    async with ctx.deps.uow() as uow:
        await uow.properties.add(prop)
        await audit(uow, ctx, "add_property", {"name": prop.name, "city": prop.city}, prop.id)
        await uow.commit()
    return PropertyOut.of(prop)


@tool(read_only=True)
async def list_properties(ctx: ToolContext, *, limit: int = 50, offset: int = 0) -> list[PropertyOut]:
    """List the host's properties.

    Args:
        limit: page size, at most 200.
        offset: how many to skip.
    """
    limit, offset = page(limit, offset)
    async with ctx.deps.uow() as uow:
        props = await uow.properties.list_for_host(ctx.actor.host_id, limit=limit, offset=offset)
    return [PropertyOut.of(p) for p in props]


class PropertyDetailOut(PropertyOut):
    """Everything a host set for a property. Access notes are private: only whether they are set."""

    address: str
    cleaning_minutes: int
    monthly_budget: Decimal | None
    min_rating: float
    ack_hours: int
    max_guests: int
    check_in_tasks: bool
    check_out_tasks: bool
    restock_every_stays: int | None
    supplies_guest_nights: int | None
    inspection_after_vacant_days: int | None
    maintenance_every_days: int | None
    has_access_notes: bool
    feeds: list[FeedOut]

    @classmethod
    def detail(cls, prop: Property, feeds: list[Feed]) -> PropertyDetailOut:
        rules, policy = prop.planning, prop.policy
        return cls(
            **PropertyOut.of(prop).model_dump(), address=prop.address, cleaning_minutes=prop.cleaning_minutes,
            monthly_budget=policy.monthly_budget, min_rating=policy.min_rating, ack_hours=policy.ack_hours,
            max_guests=prop.max_guests, check_in_tasks=rules.check_in_tasks, check_out_tasks=rules.check_out_tasks,
            restock_every_stays=rules.restock_every_stays, supplies_guest_nights=rules.supplies_guest_nights,
            inspection_after_vacant_days=rules.inspection_after_vacant_days,
            maintenance_every_days=rules.maintenance_every_days, has_access_notes=bool(prop.access_notes.strip()),
            feeds=[FeedOut.of(f) for f in feeds],
        )  # fmt: skip


@tool(read_only=True)
async def get_property(ctx: ToolContext, *, property_id: str) -> PropertyDetailOut:
    """One property with all its settings (times, budgets, hiring policy, planning rules) and its feeds.

    Args:
        property_id: the property (from list_properties).
    """
    ctx.actor.require(*READERS)
    async with ctx.deps.uow() as uow:
        prop = await owned_property(uow, ctx, property_id)
        feeds = await uow.feeds.list_for_property(prop.id)
    return PropertyDetailOut.detail(prop, feeds)


def _raises_spend(prop: Property, new: Property) -> list[str]:
    """The changes that would let Turnover spend more or with less care (a person must make them)."""
    old_budget, new_budget = prop.policy.monthly_budget, new.policy.monthly_budget
    old_rules, new_rules = prop.planning, new.planning
    checks = {
        "auto_approve_limit": new.policy.auto_approve_limit > prop.policy.auto_approve_limit,
        "cleaning_budget": new.cleaning_budget > prop.cleaning_budget,
        "cleaning_minutes": new.cleaning_minutes > prop.cleaning_minutes,  # a clean is priced by the hour
        "monthly_budget": old_budget is not None and (new_budget is None or new_budget > old_budget),
        "min_rating": new.policy.min_rating < prop.policy.min_rating,
        "check_in_tasks": new_rules.check_in_tasks and not old_rules.check_in_tasks,
        "check_out_tasks": new_rules.check_out_tasks and not old_rules.check_out_tasks,
    }
    for rule in (
        "restock_every_stays",
        "supplies_guest_nights",
        "inspection_after_vacant_days",
        "maintenance_every_days",
    ):
        old_every, new_every = getattr(old_rules, rule), getattr(new_rules, rule)
        checks[rule] = new_every is not None and (old_every is None or new_every < old_every)  # more tasks
    return [name for name, raised in checks.items() if raised]


def _off(value: int | None, current: int | None) -> int | None:
    """None keeps the current value; 0 turns the rule off."""
    if value is None:
        return current
    return None if value == 0 else value


@tool(idempotent=True, secret_args=("access_notes",))
async def update_property(
    ctx: ToolContext,
    *,
    property_id: str,
    name: str | None = None,
    city: str | None = None,
    timezone: str | None = None,
    address: str | None = None,
    check_in_time: str | None = None,
    check_out_time: str | None = None,
    cleaning_budget: Decimal | None = None,
    cleaning_minutes: int | None = None,
    auto_approve_limit: Decimal | None = None,
    monthly_budget: Decimal | None = None,
    min_rating: float | None = None,
    ack_hours: int | None = None,
    max_guests: int | None = None,
    check_in_tasks: bool | None = None,
    check_out_tasks: bool | None = None,
    restock_every_stays: int | None = None,
    supplies_guest_nights: int | None = None,
    inspection_after_vacant_days: int | None = None,
    maintenance_every_days: int | None = None,
    access_notes: str | None = None,
) -> PropertyDetailOut:
    """Change a property's settings; only the arguments given change. Tasks are planned again with the
    new rules. Raising a budget or limit (or lowering the minimum rating) is for a person: an assistant
    cannot raise spending.

    Args:
        property_id: the property to change.
        name: what the host calls it.
        city: the city workers are searched in.
        timezone: IANA timezone, e.g. Europe/Lisbon.
        address: the exact address (private).
        check_in_time: guests' check-in time, HH:MM local.
        check_out_time: guests' checkout time, HH:MM local.
        cleaning_budget: the most one clean may cost.
        cleaning_minutes: how long a clean takes.
        auto_approve_limit: hires at or under this price need no approval.
        monthly_budget: the most all hires of this property may cost in a month; 0 removes the budget.
        min_rating: the lowest worker rating hired without asking (0-5).
        ack_hours: hours before the window by which a worker must confirm.
        max_guests: how many guests the property sleeps.
        check_in_tasks: plan a check-in visit for every arrival.
        check_out_tasks: plan a check-out visit for every departure.
        restock_every_stays: a restock after every N stays; 0 turns it off.
        supplies_guest_nights: guest-nights the supplies last; 0 turns it off.
        inspection_after_vacant_days: inspect before an arrival after N empty days; 0 turns it off.
        maintenance_every_days: maintenance every N days; 0 turns it off.
        access_notes: door codes, key box, Wi-Fi (private; sent to a worker only after a confirmed hire).
    """
    ctx.actor.require(Role.OWNER)
    if min_rating is not None and not 0 <= min_rating <= 5:
        raise InvalidInput("The minimum rating is between 0 and 5.")
    if (ack_hours is not None and ack_hours < 0) or (max_guests is not None and max_guests < 1):
        raise InvalidInput("ack_hours cannot be negative and a property sleeps at least one guest.")
    async with ctx.deps.uow() as uow:
        prop = await owned_property(uow, ctx, property_id)
        policy, rules = prop.policy, prop.planning
        new = dataclasses.replace(
            prop,
            name=(name.strip() or prop.name) if name is not None else prop.name,
            city=city.strip() if city is not None else prop.city,
            timezone=timezone if timezone is not None else prop.timezone,
            address=address if address is not None else prop.address,
            check_in_time=_parse_time(check_in_time, "check_in_time") if check_in_time else prop.check_in_time,
            check_out_time=_parse_time(check_out_time, "check_out_time") if check_out_time else prop.check_out_time,
            cleaning_budget=cleaning_budget if cleaning_budget is not None else prop.cleaning_budget,
            cleaning_minutes=cleaning_minutes if cleaning_minutes is not None else prop.cleaning_minutes,
            max_guests=max_guests if max_guests is not None else prop.max_guests,
            access_notes=access_notes if access_notes is not None else prop.access_notes,
            planned_on=None,  # plan again with the new rules
            policy=dataclasses.replace(
                policy,
                auto_approve_limit=policy.auto_approve_limit if auto_approve_limit is None else auto_approve_limit,
                monthly_budget=policy.monthly_budget if monthly_budget is None else (monthly_budget or None),
                min_rating=policy.min_rating if min_rating is None else min_rating,
                ack_hours=policy.ack_hours if ack_hours is None else ack_hours,
            ),
            planning=dataclasses.replace(
                rules,
                check_in_tasks=rules.check_in_tasks if check_in_tasks is None else check_in_tasks,
                check_out_tasks=rules.check_out_tasks if check_out_tasks is None else check_out_tasks,
                restock_every_stays=_off(restock_every_stays, rules.restock_every_stays),
                supplies_guest_nights=_off(supplies_guest_nights, rules.supplies_guest_nights),
                inspection_after_vacant_days=_off(inspection_after_vacant_days, rules.inspection_after_vacant_days),
                maintenance_every_days=_off(maintenance_every_days, rules.maintenance_every_days),
            ),
        )
        raised = _raises_spend(prop, new)
        if raised and ctx.actor.channel in MODEL_CHANNELS:
            raise PermissionDenied(
                f"Only a person can raise spending ({', '.join(raised)}): use `turnover call update_property`, "
                "a chat command or the web admin."
            )
        if new.policy.auto_approve_limit < 0 or (new.policy.monthly_budget or 0) < 0:
            raise InvalidInput("Limits and budgets cannot be negative.")
        await uow.properties.update(new)
        given = {k: v for k, v in _given(locals()).items() if k != "access_notes"}
        await audit(uow, ctx, "update_property", given, prop.id)
        await uow.commit()
        feeds = await uow.feeds.list_for_property(prop.id)
    return PropertyDetailOut.detail(new, feeds)


UPDATABLE = (
    "name", "city", "timezone", "address", "check_in_time", "check_out_time", "cleaning_budget", "cleaning_minutes",
    "auto_approve_limit", "monthly_budget", "min_rating", "ack_hours", "max_guests", "check_in_tasks",
    "check_out_tasks", "restock_every_stays", "supplies_guest_nights", "inspection_after_vacant_days",
    "maintenance_every_days", "access_notes",
)  # fmt: skip


def _given(arguments: dict[str, object]) -> dict[str, str]:
    """The arguments a call actually set, as text for the audit log."""
    return {name: str(arguments[name]) for name in UPDATABLE if arguments.get(name) is not None}
