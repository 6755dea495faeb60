"""Properties and their calendar feeds."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from pydantic import BaseModel

from domain.errors import InvalidInput, NotFound
from domain.feeds import Feed, FeedOptions, Platform
from domain.hosts import Role
from domain.properties import HiringPolicy, PlanningRules, Property
from tools.context import ToolContext, audit
from tools.registry import page, tool


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


class FeedOut(BaseModel):
    id: str
    property_id: str
    platform: Platform
    url: str  # redacted: the path and query of a feed URL are its access token

    @classmethod
    def of(cls, feed: Feed) -> FeedOut:
        return cls(id=feed.id, property_id=feed.property_id, platform=feed.platform, url=feed.redacted_url)


def _parse_time(value: str, what: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{what} must look like 16:00, not {value!r}.") from exc


@tool()
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
        auto_approve_limit: hires at or under this price need no approval.
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


@tool()
async def add_feed(
    ctx: ToolContext,
    *,
    property_id: str,
    url: str,
    platform: Platform = Platform.AIRBNB,
    blocks_are_bookings: bool = False,
    honour_event_times: bool = False,
    dtend_is_last_night: bool = False,
) -> FeedOut:
    """Connect a calendar feed (iCal export URL) to a property.

    Args:
        property_id: the property the calendar belongs to.
        url: the iCal export URL; a secret, never shown back in full.
        platform: airbnb, vrbo, booking or generic.
        blocks_are_bookings: treat closed dates as stays (Booking.com, some PMS exports); a closed range
            that mirrors a reservation of another feed of the property still makes no second set of tasks.
        honour_event_times: use the check-in/out times the feed's events carry (Guesty, Hospitable, Hostaway).
        dtend_is_last_night: the feed's end date is the last night, not the checkout day (some PMS exports).
    """
    ctx.actor.require(Role.OWNER)
    if not url.startswith(("http://", "https://")):
        raise InvalidInput("A feed URL must start with http:// or https://.")
    async with ctx.deps.uow() as uow:
        prop = await uow.properties.get(property_id)
        if prop is None or prop.host_id != ctx.actor.host_id:
            raise NotFound("property", property_id)
        feed = Feed(
            id=ctx.deps.ids.new_id("feed"),
            property_id=prop.id,
            platform=platform,
            url=url,
            created_at=ctx.deps.clock.now(),
            options=FeedOptions(
                blocks_are_bookings=blocks_are_bookings,
                honour_event_times=honour_event_times,
                dtend_is_last_night=dtend_is_last_night,
            ),
        )
        await uow.feeds.add(feed)
        await audit(uow, ctx, "add_feed", {"property_id": prop.id, "platform": platform.value}, feed.id)
        await uow.commit()
    return FeedOut.of(feed)
