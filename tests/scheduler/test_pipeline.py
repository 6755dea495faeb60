from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from domain.events import EventKind
from domain.hires import HireStatus
from domain.tasks import TaskStatus
from scheduler.hire import hire_tasks
from scheduler.notify import notify
from scheduler.pipeline import run_pipeline
from scheduler.plan import PlanReport, plan_tasks
from scheduler.sync import sync_feeds
from scheduler.track import track_hires
from tests.conftest import World


async def _tasks(world: World):
    async with world.deps.uow() as uow:
        return await uow.tasks.list_for_host(world.ctx.actor.host_id, limit=200)


async def _hires(world: World):
    async with world.deps.uow() as uow:
        return await uow.hires.list_for_host(world.ctx.actor.host_id)


async def _events(world: World) -> list[EventKind]:
    async with world.deps.uow() as uow:
        return [e.kind for e in reversed(await uow.events.list_for_host(world.ctx.actor.host_id, limit=500))]


async def test_one_pass_syncs_plans_and_books_a_clean_for_each_checkout(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2), ("b", date(2026, 11, 28), 3))
    report = await run_pipeline(world.deps, force_sync=True)
    tasks = await _tasks(world)
    assert (report.sync.new, report.plan.created, report.hire.booked) == (2, 2, 2)
    assert {t.status for t in tasks} == {TaskStatus.BOOKED}
    assert [t.same_day_turnover for t in sorted(tasks, key=lambda t: t.window_start)] == [True, False]
    assert {h.worker_id for h in await _hires(world)} == {"w1"}


async def test_a_second_pass_changes_nothing_and_hires_nobody_twice(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2))
    await run_pipeline(world.deps, force_sync=True)
    again = await run_pipeline(world.deps, force_sync=True)
    assert (again.sync.new, again.sync.changed, again.plan.created, again.hire.booked) == (0, 0, 0, 0)
    assert len(world.market.bookings) == 1 and len(await _hires(world)) == 1


async def test_a_booking_whose_reply_was_lost_is_found_again_not_duplicated(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2))
    world.market.lose_next_response = True
    first = await run_pipeline(world.deps, force_sync=True)
    assert first.hire.booked == 0 and [h.status for h in await _hires(world)] == [HireStatus.REQUESTED]
    second = await hire_tasks(world.deps)
    assert second.booked == 1
    assert len(world.market.bookings) == 1
    assert len({r.idempotency_key for r in world.market.requests}) == 1


async def test_an_outage_leaves_the_hire_requested_for_the_next_run(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2))
    world.market.unavailable_times = 1
    report = await run_pipeline(world.deps, force_sync=True)
    assert report.hire.errors and [t.status for t in await _tasks(world)] == [TaskStatus.HIRING]
    assert (await hire_tasks(world.deps)).booked == 1


async def test_a_refused_booking_tries_the_next_worker_then_hands_the_task_to_the_host(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2))
    world.market.refuse_with = "Human not available"
    await run_pipeline(world.deps, force_sync=True)
    assert [t.status for t in await _tasks(world)] == [TaskStatus.HIRING]
    await run_pipeline(world.deps)  # the second worker in budget is refused too
    await run_pipeline(world.deps)  # nobody else fits, even widened
    assert [t.status for t in await _tasks(world)] == [TaskStatus.NEEDS_HOST]
    assert [(h.worker_id, h.status) for h in await _hires(world)] == [
        ("w1", HireStatus.FAILED),
        ("w2", HireStatus.FAILED),
    ]
    assert EventKind.TASK_NEEDS_HOST in await _events(world)


async def test_a_price_above_the_auto_approve_limit_waits_for_an_approver(world: World) -> None:
    async with world.deps.uow() as uow:
        prop = await uow.properties.get(world.property_id)
        assert prop is not None
        prop.policy.auto_approve_limit = Decimal("50")
        await uow.properties.update(prop)
        await uow.commit()
    world.publish(("a", date(2026, 11, 26), 2))
    report = await run_pipeline(world.deps, force_sync=True)
    assert (report.hire.proposed, report.hire.booked, world.market.requests) == (1, 0, [])
    assert [t.status for t in await _tasks(world)] == [TaskStatus.AWAITING_APPROVAL]
    async with world.deps.uow() as uow:
        [approval] = await uow.approvals.list_open(world.ctx.actor.host_id)
    assert approval.amount == Decimal("75.00")


async def test_no_matching_worker_even_after_widening_needs_the_host(world: World) -> None:
    world.market.workers.clear()
    world.publish(("a", date(2026, 11, 26), 2))
    report = await run_pipeline(world.deps, force_sync=True)
    assert report.hire.needs_host == 1
    assert [t.status_reason for t in await _tasks(world)] == [
        "no worker matched, even after widening the budget and rating"
    ]


async def test_tasks_beyond_the_hiring_horizon_are_planned_but_not_hired(world: World) -> None:
    world.publish(("far", date(2027, 1, 20), 2))
    report = await run_pipeline(world.deps, force_sync=True)
    assert (report.plan.created, report.hire.booked) == (1, 0)


async def test_a_cancelled_stay_cancels_its_clean_and_the_booked_hire(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2), ("b", date(2026, 12, 1), 2))
    await run_pipeline(world.deps, force_sync=True)
    world.publish(("b", date(2026, 12, 1), 2))
    await sync_feeds(world.deps, force=True)
    assert (await plan_tasks(world.deps)).cancelled == 1
    assert (await track_hires(world.deps)).cancelled == 1
    assert sorted(b.status for b in world.market.bookings.values()) == ["cancelled", "pending"]
    cancelled = [h for h in await _hires(world) if h.status is HireStatus.CANCELLED]
    assert len(cancelled) == 1


async def test_a_worker_cancellation_sends_the_task_back_to_hiring_with_someone_else(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2))
    await run_pipeline(world.deps, force_sync=True)
    world.market.set_status("bk1", "cancelled")
    await track_hires(world.deps)
    assert [t.status for t in await _tasks(world)] == [TaskStatus.HIRING]
    assert (await hire_tasks(world.deps)).booked == 1
    assert [h.worker_id for h in sorted(await _hires(world), key=lambda h: h.attempt)] == ["w1", "w2"]


async def test_a_failed_fetch_changes_nothing_and_three_raise_one_alert(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2))
    await run_pipeline(world.deps, force_sync=True)
    world.fetcher.snapshots.clear()
    for _ in range(4):
        report = await sync_feeds(world.deps, force=True)
        assert report.failed == 1
    assert (await plan_tasks(world.deps)).cancelled == 0
    assert (await _events(world)).count(EventKind.FEED_UNHEALTHY) == 1


async def test_an_empty_calendar_after_stays_is_held_and_reported_once(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2))
    await run_pipeline(world.deps, force_sync=True)
    world.publish()
    assert (await sync_feeds(world.deps, force=True)).held == 1
    assert (await sync_feeds(world.deps, force=True)).held == 1
    assert (await _events(world)).count(EventKind.FEED_DIFF_HELD) == 1
    assert [t.status for t in await _tasks(world)] == [TaskStatus.BOOKED]


async def test_a_moved_checkout_moves_the_clean(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 3))
    await run_pipeline(world.deps, force_sync=True)
    world.publish(("a", date(2026, 11, 26), 2))
    await sync_feeds(world.deps, force=True)
    assert (await plan_tasks(world.deps)).rescheduled == 1
    [task] = await _tasks(world)
    assert task.window_start.date() == date(2026, 11, 28)


async def test_notifications_go_out_once_and_a_failed_send_is_retried(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2))
    world.notifier.fail_next = 1
    first = await run_pipeline(world.deps, force_sync=True)
    assert len(first.notify.errors) == 1
    second = await notify(world.deps)
    assert second.sent == 1 and second.errors == []
    assert (await notify(world.deps)).sent == 0
    assert len({e.id for e in world.notifier.sent}) == len(world.notifier.sent)


async def test_feeds_are_not_fetched_again_before_their_interval(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2))
    await sync_feeds(world.deps)
    assert (await sync_feeds(world.deps)).feeds == 0
    world.clock.advance(timedelta(minutes=15))
    assert (await sync_feeds(world.deps)).feeds == 1


async def test_the_hosts_monthly_cap_stops_hiring_and_asks_the_host(world: World) -> None:
    async with world.deps.uow() as uow:
        host = await uow.hosts.get(world.ctx.actor.host_id)
        assert host is not None
        host.monthly_cap = Decimal("100")
        await uow.hosts.update(host)
        await uow.commit()
    world.publish(("a", date(2026, 11, 26), 2), ("b", date(2026, 11, 29), 2))
    report = await run_pipeline(world.deps, force_sync=True)
    assert (report.hire.booked, report.hire.needs_host) == (1, 1)
    reasons = [t.status_reason for t in await _tasks(world) if t.status is TaskStatus.NEEDS_HOST]
    assert reasons == ["75.00 is above what is left of the host's monthly cap (25.00)."]


async def test_a_worker_found_only_by_widening_needs_an_approver(world: World) -> None:
    world.market.workers[:] = [world.market.workers[2]]  # 50/h: 150 for 3 h, above the 90 budget
    async with world.deps.uow() as uow:
        prop = await uow.properties.get(world.property_id)
        assert prop is not None
        prop.cleaning_budget = Decimal("130")
        await uow.properties.update(prop)
        await uow.commit()
    world.publish(("a", date(2026, 11, 26), 2))
    report = await run_pipeline(world.deps, force_sync=True)
    assert (report.hire.proposed, report.hire.booked, world.market.requests) == (1, 0, [])


async def test_public_booking_text_never_carries_the_address_or_access_notes(world: World) -> None:
    async with world.deps.uow() as uow:
        prop = await uow.properties.get(world.property_id)
        assert prop is not None
        prop.address, prop.access_notes = "Rua das Flores 12, 3º esq", "door code 4482#"
        await uow.properties.update(prop)
        await uow.commit()
    world.publish(("a", date(2026, 11, 26), 2))
    await run_pipeline(world.deps, force_sync=True)
    [request] = world.market.requests
    public = request.title + request.description
    assert "Lisbon" in public
    assert "Flores" not in public and "4482" not in public
    assert request.estimated_hours == 3.0


async def test_windows_stay_put_across_the_property_s_dst_change(world: World) -> None:
    """Lisbon moves to summer time on 2027-03-28: windows are local wall-clock times, planned once."""
    lisbon = ZoneInfo("Europe/Lisbon")
    world.clock.set(datetime(2027, 3, 25, 9, 0, tzinfo=UTC))
    world.publish(("a", date(2027, 3, 25), 2), ("b", date(2027, 3, 28), 2), ("c", date(2027, 3, 31), 1))
    await sync_feeds(world.deps, force=True)
    await plan_tasks(world.deps)
    before = {t.id: (t.window_start, t.deadline) for t in await _tasks(world)}
    cleans = sorted(before.values())
    assert [(s.astimezone(lisbon).isoformat(), d.astimezone(lisbon).isoformat()) for s, d in cleans] == [
        ("2027-03-27T11:00:00+00:00", "2027-03-28T16:00:00+01:00"),  # the clocks jump in between
        ("2027-03-30T11:00:00+01:00", "2027-03-31T16:00:00+01:00"),
        ("2027-04-01T11:00:00+01:00", "2027-04-01T16:00:00+01:00"),
    ]
    for day in (26, 27, 28, 29):  # daily ticks through the change
        world.clock.set(datetime(2027, 3, day, 23, 30, tzinfo=UTC))
        await sync_feeds(world.deps, force=True)
        report = await plan_tasks(world.deps)
        assert (report.created, report.rescheduled, report.cancelled) == (0, 0, 0)
    assert {t.id: (t.window_start, t.deadline) for t in await _tasks(world)} == before


async def test_the_pipeline_plans_again_only_properties_whose_stays_changed_or_whose_day_turned(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2))
    assert (await run_pipeline(world.deps, force_sync=True)).plan.created == 1
    world.clock.advance(timedelta(minutes=20))
    async with world.deps.uow() as uow:
        prop = await uow.properties.get(world.property_id)
        assert prop is not None and prop.planned_on == date(2026, 11, 25)
        prop.cleaning_budget = Decimal("95")  # a settings change that does not go through a tool clears nothing
        await uow.properties.update(prop)
        await uow.commit()
    assert (await run_pipeline(world.deps, force_sync=True)).plan == PlanReport()
    world.publish(("a", date(2026, 11, 26), 2), ("b", date(2026, 12, 1), 2))  # a new stay: planned at once
    assert (await run_pipeline(world.deps, force_sync=True)).plan.created == 1
    async with world.deps.uow() as uow:
        prop = await uow.properties.get(world.property_id)
    assert prop is not None and prop.planned_on == date(2026, 11, 25)
    world.clock.set(datetime(2026, 11, 26, 0, 30, tzinfo=UTC))  # a new day in Lisbon: planned again
    await run_pipeline(world.deps)
    async with world.deps.uow() as uow:
        prop = await uow.properties.get(world.property_id)
        tasks = await uow.tasks.list_for_property(world.property_id)
    assert prop is not None and prop.planned_on == date(2026, 11, 26)
    assert {t.budget for t in tasks} == {Decimal("95")}  # the new budget reached the tasks with the new day


async def test_a_first_import_records_its_plan_as_one_line_that_never_waits_in_the_outbox(world: World) -> None:
    world.publish(*((f"s{n}", date(2026, 11, 26) + timedelta(days=3 * n), 2) for n in range(8)))
    await sync_feeds(world.deps, force=True)
    assert (await plan_tasks(world.deps)).created == 8
    async with world.deps.uow() as uow:
        planned = [
            e for e in await uow.events.list_for_host(world.ctx.actor.host_id) if e.kind is EventKind.TASK_PLANNED
        ]
        waiting = await uow.events.list_unnotified()
    assert [e.message for e in planned] == ["Planned 8 tasks at Alfama loft (8 clean), Sat 28 Nov to Sat 19 Dec"]
    assert planned[0].notified_at is not None and EventKind.TASK_PLANNED not in {e.kind for e in waiting}
