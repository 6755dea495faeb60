"""Rule 20: a stay booked on one platform shows up as a block on the others; it is one stay, one clean."""

from datetime import date

from domain.calendar import CalendarEvent, FeedSnapshot
from domain.feeds import Platform
from scheduler.pipeline import run_pipeline
from tests.conftest import World
from tools.feeds import add_feed

VRBO_URL = "https://calendar.example.test/vrbo/1.ics?token=secret"
BOOKING_URL = "https://calendar.example.test/booking/1.ics?token=secret"


async def test_a_stay_reflected_as_blocks_on_other_platforms_makes_one_booking_and_one_clean(world: World) -> None:
    await add_feed(world.ctx, property_id=world.property_id, url=VRBO_URL, platform=Platform.VRBO)
    await add_feed(world.ctx, property_id=world.property_id, url=BOOKING_URL, platform=Platform.BOOKING)
    world.publish(("airbnb-stay", date(2026, 11, 26), 2))
    start, end = date(2026, 11, 26), date(2026, 11, 28)
    world.fetcher.snapshots[VRBO_URL] = FeedSnapshot(events=(CalendarEvent("v1", start, end, "Blocked"),))
    world.fetcher.snapshots[BOOKING_URL] = FeedSnapshot(
        events=(CalendarEvent("b1", start, end, "CLOSED - Not available"),)
    )
    report = await run_pipeline(world.deps, force_sync=True)
    assert (report.sync.feeds, report.sync.new, report.plan.created, report.hire.booked) == (3, 1, 1, 1)
    async with world.deps.uow() as uow:
        feeds = await uow.feeds.list_for_property(world.property_id)
        blocks = [b for f in feeds for b in await uow.blocks.list_for_feed(f.id)]
    assert sorted(b.uid for b in blocks) == ["b1", "v1"]


async def test_closed_dates_seen_before_the_real_booking_are_announced_once_as_such(world: World) -> None:
    """Booking.com counted as bookings, its closure read a tick before Airbnb lists the stay."""
    stay = ("airbnb-stay", date(2026, 12, 3), 2)
    world.publish()  # Airbnb: nothing yet
    await run_pipeline(world.deps, force_sync=True)  # first imports: quiet
    await add_feed(world.ctx, property_id=world.property_id, url=BOOKING_URL, platform=Platform.BOOKING,
                   blocks_are_bookings=True)  # fmt: skip
    world.fetcher.snapshots[BOOKING_URL] = FeedSnapshot(events=(CalendarEvent("b0", date(2026, 11, 28),
                                                        date(2026, 11, 29), "CLOSED - Not available"),))  # fmt: skip
    await run_pipeline(world.deps, force_sync=True)  # Booking.com's first import: quiet
    world.fetcher.snapshots[BOOKING_URL] = FeedSnapshot(
        events=(
            CalendarEvent("b0", date(2026, 11, 28), date(2026, 11, 29), "CLOSED - Not available"),
            CalendarEvent("b1", date(2026, 12, 3), date(2026, 12, 5), "CLOSED - Not available"),
        )
    )
    await run_pipeline(world.deps, force_sync=True)
    world.publish(stay)
    report = await run_pipeline(world.deps, force_sync=True)
    messages = [e.message for e in world.notifier.sent if "New booking" in e.message]
    assert messages == [
        "New booking at Alfama loft: Thu 03 Dec → Sat 05 Dec",
        "New booking at Alfama loft: Thu 03 Dec → Sat 05 Dec, the stay on booking had already closed",
    ]
    assert report.plan.created == 0  # the closure's clean stays the one clean of the stay
    async with world.deps.uow() as uow:
        cleans = [t for t in await uow.tasks.list_for_property(world.property_id) if t.kind.value == "clean"]
    assert sorted((t.window_start.date().isoformat(), t.status.value) for t in cleans)[-1][0] == "2026-12-05"
    assert len([t for t in cleans if t.window_start.date() == date(2026, 12, 5)]) == 1
