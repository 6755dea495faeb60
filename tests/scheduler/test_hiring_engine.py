"""The hiring engine end to end on the in-memory store and the edge fake marketplace: approvals,
acknowledgement deadlines, no-shows, worker cancellations, outcomes, private access details."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.approvals import ApprovalStatus
from domain.errors import AlreadyDecided, BudgetExceeded, NotFound, PermissionDenied
from domain.events import EventKind
from domain.hires import Hire, HireStatus
from domain.hosts import Actor, Channel, Role
from domain.tasks import Task, TaskStatus
from scheduler.hire import hire_tasks
from scheduler.pipeline import run_pipeline
from scheduler.plan import plan_tasks
from scheduler.sync import sync_feeds
from scheduler.track import track_hires
from tests.conftest import World
from tools.approvals import decide_approval, list_approvals
from tools.context import ToolContext

CLEAN_STARTS = datetime(2026, 11, 28, 11, 0, tzinfo=UTC)  # checkout day of a stay from the 26th, Lisbon = UTC


async def _task(world: World) -> Task:
    async with world.deps.uow() as uow:
        [task] = await uow.tasks.list_for_host(world.ctx.actor.host_id)
    return task


async def _hires(world: World) -> list[Hire]:
    async with world.deps.uow() as uow:
        return sorted(await uow.hires.list_for_host(world.ctx.actor.host_id), key=lambda h: h.attempt)


async def _events(world: World) -> list[tuple[EventKind, str]]:
    async with world.deps.uow() as uow:
        events = await uow.events.list_for_host(world.ctx.actor.host_id, limit=500)
    return [(e.kind, e.message) for e in reversed(events)]


async def _edit_property(world: World, **changes: object) -> None:
    async with world.deps.uow() as uow:
        prop = await uow.properties.get(world.property_id)
        assert prop is not None
        for name, value in changes.items():
            target = prop.policy if hasattr(prop.policy, name) else prop
            setattr(target, name, value)
        await uow.properties.update(prop)
        await uow.commit()


async def _booked_clean(world: World) -> Hire:
    world.publish(("a", date(2026, 11, 26), 2))
    await run_pipeline(world.deps, force_sync=True)
    [hire] = await _hires(world)
    assert hire.status is HireStatus.BOOKED and (await _task(world)).status is TaskStatus.BOOKED
    return hire


# --- acknowledgement deadline, no-shows, cancellations, outcomes ------------------------------


async def test_a_booking_not_confirmed_by_the_deadline_goes_to_the_next_worker_and_the_host_hears(
    world: World,
) -> None:
    first = await _booked_clean(world)
    world.clock.set(CLEAN_STARTS - timedelta(hours=12, minutes=1))
    await run_pipeline(world.deps)
    assert world.market.bookings[first.booking_id or ""].status == "pending"  # still time to confirm
    world.clock.set(CLEAN_STARTS - timedelta(hours=12))
    report = await run_pipeline(world.deps)
    assert report.track.redispatched == 1
    assert world.market.bookings[first.booking_id or ""].status == "cancelled"
    hires = await _hires(world)
    assert [(h.worker_id, h.status) for h in hires] == [("w1", HireStatus.CANCELLED), ("w2", HireStatus.BOOKED)]
    assert (await _task(world)).status is TaskStatus.BOOKED
    [(_, message)] = [e for e in await _events(world) if e[0] is EventKind.HIRE_REDISPATCHED]
    assert message.startswith("Worker w1 did not confirm clean at Alfama loft (Sat 28 Nov 11:00) in time")


async def test_the_acknowledgement_deadline_is_a_property_setting(world: World) -> None:
    await _edit_property(world, ack_hours=2)
    first = await _booked_clean(world)
    world.clock.set(CLEAN_STARTS - timedelta(hours=3))
    await run_pipeline(world.deps)
    assert world.market.bookings[first.booking_id or ""].status == "pending"
    world.clock.set(CLEAN_STARTS - timedelta(hours=2))
    assert (await run_pipeline(world.deps)).track.redispatched == 1


async def test_a_confirmed_worker_who_never_starts_is_a_no_show_and_someone_else_is_hired(world: World) -> None:
    await _edit_property(world, cleaning_minutes=120)  # a 2 h clean still fits after the no-show
    first = await _booked_clean(world)
    world.market.set_status(first.booking_id or "", "confirmed")
    world.clock.set(CLEAN_STARTS + timedelta(minutes=30))
    await run_pipeline(world.deps)
    assert (await _hires(world))[0].status is HireStatus.CONFIRMED  # within the grace period
    world.clock.set(CLEAN_STARTS + timedelta(minutes=45))
    report = await run_pipeline(world.deps)
    assert report.track.no_shows == 1
    first_now, second = await _hires(world)
    assert (first_now.status, first_now.no_show, second.worker_id) == (HireStatus.CANCELLED, True, "w2")
    assert any(k is EventKind.HIRE_REDISPATCHED and "did not show up" in m for k, m in await _events(world))


async def test_a_no_show_too_late_to_replace_goes_to_the_host(world: World) -> None:
    first = await _booked_clean(world)
    world.market.set_status(first.booking_id or "", "confirmed")
    world.clock.set(CLEAN_STARTS + timedelta(hours=3))  # 2 h left of a 3 h clean
    await run_pipeline(world.deps)
    task = await _task(world)
    assert task.status is TaskStatus.NEEDS_HOST
    assert "did not show up" in task.status_reason and "too late" in task.status_reason
    assert [h.no_show for h in await _hires(world)] == [True]


async def test_a_worker_cancellation_is_rehired_in_the_same_pass(world: World) -> None:
    first = await _booked_clean(world)
    world.market.set_status(first.booking_id or "", "cancelled")
    report = await run_pipeline(world.deps)
    assert (report.track.changed, report.hire.booked) == (1, 1)
    assert [(h.worker_id, h.status) for h in await _hires(world)] == [
        ("w1", HireStatus.CANCELLED),
        ("w2", HireStatus.BOOKED),
    ]
    assert any(k is EventKind.HIRE_CANCELLED and "looking for someone else" in m for k, m in await _events(world))


async def test_completion_records_the_outcome_time_evidence_and_cost(world: World) -> None:
    first = await _booked_clean(world)
    booking = first.booking_id or ""
    world.market.set_status(booking, "in_progress")
    await track_hires(world.deps)
    assert (await _task(world)).status is TaskStatus.IN_PROGRESS
    photos = ("https://evidence.example/1.jpg", "https://evidence.example/2.jpg")
    world.market.set_status(
        booking, "completed", evidence=photos, total=Decimal("72.50"), at=CLEAN_STARTS + timedelta(hours=3)
    )
    await track_hires(world.deps)
    [hire] = await _hires(world)
    assert (hire.status, hire.completed_on_time, hire.final_cost, hire.evidence) == (
        HireStatus.COMPLETED, True, Decimal("72.50"), photos
    )  # fmt: skip
    assert hire.completed_at == CLEAN_STARTS + timedelta(hours=3)
    assert (await _task(world)).status is TaskStatus.DONE
    [(_, message)] = [e for e in await _events(world) if e[0] is EventKind.HIRE_COMPLETED]
    assert message == "Worker w1 finished clean at Alfama loft: on time, 2 photo(s)/note(s), 72.50."


async def test_work_finished_after_the_deadline_is_recorded_late(world: World) -> None:
    first = await _booked_clean(world)
    world.market.set_status(first.booking_id or "", "completed", at=CLEAN_STARTS + timedelta(hours=6))
    await track_hires(world.deps)
    [hire] = await _hires(world)
    assert (hire.completed_on_time, hire.final_cost, hire.evidence) == (False, hire.price, ())


async def test_an_unknown_marketplace_status_goes_to_the_host_untouched(world: World) -> None:
    first = await _booked_clean(world)
    world.market.set_status(first.booking_id or "", "disputed")
    await track_hires(world.deps)
    assert (await _task(world)).status is TaskStatus.NEEDS_HOST
    assert [h.status for h in await _hires(world)] == [HireStatus.BOOKED]


# --- private access details -----------------------------------------------------------------


async def test_access_details_go_privately_to_the_confirmed_worker_once(world: World) -> None:
    await _edit_property(world, address="Rua da Saudade 12, 2º Esq", access_notes="Key box 4711, Wi-Fi pass lisboa22")
    first = await _booked_clean(world)
    assert world.market.messages == []  # pending: nothing private yet
    assert all("4711" not in r.description and "Saudade" not in r.description for r in world.market.requests)
    world.market.set_status(first.booking_id or "", "confirmed")
    assert (await track_hires(world.deps)).access_sent == 1
    await track_hires(world.deps)
    [message] = world.market.messages
    assert (message.worker_id, message.idempotency_key) == ("w1", f"{first.idempotency_key}-access")
    assert "Key box 4711" in message.text and "Rua da Saudade 12" in message.text
    [hire] = await _hires(world)
    assert (hire.conversation_id, hire.access_sent_at) == ("conv1", world.clock.now())
    assert all("4711" not in m and "Saudade" not in m for _, m in await _events(world))


async def test_nothing_private_is_sent_when_the_property_has_no_access_details(world: World) -> None:
    first = await _booked_clean(world)
    world.market.set_status(first.booking_id or "", "confirmed")
    await track_hires(world.deps)
    assert world.market.messages == []


# --- approvals ------------------------------------------------------------------------------


async def _proposed(world: World) -> str:
    await _edit_property(world, auto_approve_limit=Decimal("50"))
    world.publish(("a", date(2026, 11, 26), 2))
    await run_pipeline(world.deps, force_sync=True)
    [approval] = await list_approvals(world.ctx)
    assert (approval.worker, approval.amount, approval.task_status) == ("Worker w1", "75.00", "awaiting_approval")
    return approval.id


def _as(world: World, *, role: Role = Role.OWNER, channel: Channel = Channel.CONSOLE, host: str = "") -> ToolContext:
    actor = world.ctx.actor
    return ToolContext(world.deps, Actor(host or actor.host_id, actor.member_id, role, channel))


async def test_approving_books_the_worker_at_once(world: World) -> None:
    approval_id = await _proposed(world)
    assert world.market.requests == []
    out = await decide_approval(_as(world), approval_id=approval_id, approve=True, note="fine")
    assert (out.status, out.hire_status, out.task_status) == ("approved", "booked", "booked")
    assert out.message.endswith("Booked.")
    assert [r.worker_id for r in world.market.requests] == ["w1"]
    assert await list_approvals(world.ctx) == []
    async with world.deps.uow() as uow:
        [entry] = [a for a in await uow.audit.list_for_host(world.ctx.actor.host_id) if a.action == "decide_approval"]
    assert (entry.channel, entry.arguments["approve"]) == ("console", True)


async def test_deciding_twice_changes_nothing(world: World) -> None:
    approval_id = await _proposed(world)
    await decide_approval(_as(world), approval_id=approval_id, approve=True)
    again = await decide_approval(_as(world), approval_id=approval_id, approve=False)
    assert (again.status, again.message) == ("approved", "Already approved.")
    assert len(world.market.requests) == 1


async def test_declining_hands_the_task_to_the_host(world: World) -> None:
    approval_id = await _proposed(world)
    out = await decide_approval(_as(world, role=Role.APPROVER), approval_id=approval_id, approve=False)
    assert (out.status, out.hire_status, out.task_status) == ("declined", "cancelled", "needs_host")
    assert world.market.requests == []


@pytest.mark.parametrize("channel", [Channel.AGENT, Channel.SCHEDULER])
async def test_the_agent_and_the_scheduler_can_never_approve(world: World, channel: Channel) -> None:
    approval_id = await _proposed(world)
    with pytest.raises(PermissionDenied, match="Only a person"):
        await decide_approval(_as(world, channel=channel), approval_id=approval_id, approve=True)
    assert world.market.requests == []
    assert [a.status for a in await list_approvals(world.ctx)] == ["open"]


async def test_a_viewer_or_another_host_cannot_decide(world: World) -> None:
    approval_id = await _proposed(world)
    with pytest.raises(PermissionDenied):
        await decide_approval(_as(world, role=Role.VIEWER), approval_id=approval_id, approve=True)
    with pytest.raises(NotFound):
        await decide_approval(_as(world, host="host_other"), approval_id=approval_id, approve=True)
    assert world.market.requests == []


async def test_approving_checks_the_caps_again(world: World) -> None:
    approval_id = await _proposed(world)
    await _edit_property(world, monthly_budget=Decimal("60"))
    with pytest.raises(BudgetExceeded, match="monthly budget"):
        await decide_approval(_as(world), approval_id=approval_id, approve=True)
    assert world.market.requests == []
    assert [a.status for a in await list_approvals(world.ctx)] == ["open"]


async def test_an_approval_nobody_decides_expires_and_the_host_takes_over(world: World) -> None:
    approval_id = await _proposed(world)
    world.clock.advance(timedelta(hours=25))
    report = await run_pipeline(world.deps)
    assert report.hire.approvals_expired == 1
    task = await _task(world)
    assert (task.status, task.status_reason) == (TaskStatus.NEEDS_HOST, "nobody decided on Worker w1 at 75.00 in time")
    late = await decide_approval(_as(world), approval_id=approval_id, approve=True)
    assert (late.status, late.message) == ("expired", "Already expired.")
    assert world.market.requests == []


async def test_cancelling_the_stay_withdraws_a_pending_approval(world: World) -> None:
    approval_id = await _proposed(world)
    world.publish(("b", date(2026, 12, 10), 2))  # the stay is gone (a non-empty feed, so it is applied)
    await sync_feeds(world.deps, force=True)
    await plan_tasks(world.deps)
    await track_hires(world.deps)
    async with world.deps.uow() as uow:
        approval = await uow.approvals.get(approval_id)
    assert approval is not None and approval.status is ApprovalStatus.EXPIRED
    assert (await _hires(world))[0].status is HireStatus.CANCELLED
    late = await decide_approval(_as(world), approval_id=approval_id, approve=True)
    assert (late.status, late.hire_status) == ("expired", "cancelled")
    assert world.market.requests == []


async def test_an_approval_whose_task_was_cancelled_before_tracking_cannot_be_approved(world: World) -> None:
    approval_id = await _proposed(world)
    world.publish(("b", date(2026, 12, 10), 2))
    await sync_feeds(world.deps, force=True)
    await plan_tasks(world.deps)  # cancelled; tracking has not run yet
    with pytest.raises(AlreadyDecided, match="no longer applies: the task is cancelled"):
        await decide_approval(_as(world), approval_id=approval_id, approve=True)
    assert world.market.requests == []


async def test_a_cancelled_task_whose_booking_reply_was_lost_still_cancels_that_booking(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2))
    world.market.lose_next_response = True
    await run_pipeline(world.deps, force_sync=True)
    [lost] = await _hires(world)
    assert lost.status is HireStatus.REQUESTED and len(world.market.bookings) == 1  # made, but we never heard
    world.publish(("b", date(2026, 12, 10), 2))  # stay "a" is cancelled
    await sync_feeds(world.deps, force=True)
    await plan_tasks(world.deps)
    assert (await track_hires(world.deps)).cancelled == 1
    async with world.deps.uow() as uow:
        hire = await uow.hires.get(lost.id)
    assert hire is not None and hire.status is HireStatus.CANCELLED
    assert world.market.bookings[world.market.by_key[lost.idempotency_key]].status == "cancelled"


async def test_two_hiring_runs_at_once_book_each_task_once(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2), ("b", date(2026, 12, 1), 2), ("c", date(2026, 12, 5), 2))
    await sync_feeds(world.deps, force=True)
    await plan_tasks(world.deps)
    first, second = await asyncio.gather(hire_tasks(world.deps), hire_tasks(world.deps))
    assert first.booked + second.booked == 3
    hires = await _hires(world)
    assert len({h.task_id for h in hires}) == len(hires) == 3
    assert len(world.market.bookings) == 3


# --- a task that moves ----------------------------------------------------------------------


async def test_a_moved_stay_cancels_the_booking_for_the_old_time_and_books_the_new_one(world: World) -> None:
    first = await _booked_clean(world)
    world.publish(("a", date(2026, 11, 26), 3))  # the guest stays a night longer: the clean moves a day
    report = await run_pipeline(world.deps, force_sync=True)
    assert (report.track.rescheduled, report.hire.booked) == (1, 1)
    assert world.market.bookings[first.booking_id or ""].status == "cancelled"
    old, new = await _hires(world)
    assert (old.status, old.rescheduled, new.worker_id, new.status) == (
        HireStatus.CANCELLED, True, "w1", HireStatus.BOOKED
    )  # fmt: skip
    assert new.request is not None and new.request.start == CLEAN_STARTS + timedelta(days=1)
    assert world.market.requests[-1].start == CLEAN_STARTS + timedelta(days=1)
    assert any(k is EventKind.HIRE_REDISPATCHED and "moved to Sun 29 Nov 11:00" in m for k, m in await _events(world))


async def test_a_task_that_moved_while_its_create_went_unanswered_is_booked_for_the_new_time(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2))
    world.market.lose_next_response = True
    await run_pipeline(world.deps, force_sync=True)
    [lost] = await _hires(world)
    assert lost.status is HireStatus.REQUESTED and lost.request is not None
    world.publish(("a", date(2026, 11, 26), 3))
    await run_pipeline(
        world.deps, force_sync=True
    )  # the old send is found again and cancelled, never resent for the new time
    await run_pipeline(world.deps)
    old, new = await _hires(world)
    assert (old.status, old.rescheduled) == (HireStatus.CANCELLED, True)
    assert world.market.bookings[world.market.by_key[old.idempotency_key]].status == "cancelled"
    assert (new.status, new.request.start if new.request else None) == (
        HireStatus.BOOKED, CLEAN_STARTS + timedelta(days=1)
    )  # fmt: skip
    live = [b for b in world.market.bookings.values() if b.status != "cancelled"]
    assert len(live) == 1


async def test_a_retry_sends_exactly_the_stored_request_even_after_the_property_changed(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2))
    world.market.unavailable_times = 1
    await run_pipeline(world.deps, force_sync=True)
    await _edit_property(world, bedrooms=3)  # would change the public description
    await run_pipeline(world.deps)
    first, retry = world.market.requests
    assert first == retry  # same key, same body: the marketplace replays instead of refusing a mismatch


# --- nothing left in limbo ------------------------------------------------------------------


async def test_a_window_that_ends_while_the_marketplace_is_down_goes_to_the_host(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2))
    world.market.lose_next_response = True  # the create is made, its answer lost...
    await run_pipeline(world.deps, force_sync=True)
    world.market.unavailable_times = 1000  # ...and every resend fails until the window is over
    world.clock.set(CLEAN_STARTS + timedelta(hours=2))
    await run_pipeline(world.deps)
    assert (await _task(world)).status is TaskStatus.HIRING  # still time: it keeps trying
    world.clock.set(CLEAN_STARTS + timedelta(hours=5))
    report = await run_pipeline(world.deps)
    task = await _task(world)
    assert (task.status, task.status_reason) == (
        TaskStatus.NEEDS_HOST, "its window ended and nobody could be booked in time"
    )  # fmt: skip
    assert report.hire.needs_host == 1
    [hire] = await _hires(world)
    assert hire.status is HireStatus.REQUESTED  # the marketplace could not be asked about it yet
    world.market.unavailable_times = 0  # back up: the booking the lost create made is found and cancelled
    await run_pipeline(world.deps)
    [hire] = await _hires(world)
    assert hire.status is HireStatus.CANCELLED
    assert [b.status for b in world.market.bookings.values()] == ["cancelled"]  # nobody turns up late
    assert (await _task(world)).status is TaskStatus.NEEDS_HOST


async def test_work_started_but_never_reported_finished_goes_to_the_host_and_still_completes(world: World) -> None:
    first = await _booked_clean(world)
    world.market.set_status(first.booking_id or "", "in_progress")
    world.clock.set(CLEAN_STARTS + timedelta(hours=16))
    await run_pipeline(world.deps)
    assert (await _task(world)).status is TaskStatus.IN_PROGRESS
    world.clock.set(CLEAN_STARTS + timedelta(hours=17))
    await run_pipeline(world.deps)
    task = await _task(world)
    assert task.status is TaskStatus.NEEDS_HOST and "has not finished 12 h after the deadline" in task.status_reason
    world.market.set_status(first.booking_id or "", "completed", at=CLEAN_STARTS + timedelta(hours=18))
    await run_pipeline(world.deps)
    assert (await _task(world)).status is TaskStatus.DONE
    assert (await _hires(world))[0].completed_on_time is False


# --- races and stale answers (found in review) ------------------------------------------------


async def test_a_stale_status_read_after_a_newer_one_changes_nothing_and_aborts_nothing(world: World) -> None:
    first = await _booked_clean(world)
    world.market.set_status(first.booking_id or "", "in_progress")
    await track_hires(world.deps)
    world.market.set_status(first.booking_id or "", "confirmed")  # an older answer, read late
    report = await track_hires(world.deps)
    assert report.errors == []
    assert ((await _hires(world))[0].status, (await _task(world)).status) == (
        HireStatus.IN_PROGRESS, TaskStatus.IN_PROGRESS
    )  # fmt: skip


async def test_a_late_approval_gives_the_worker_time_to_confirm(world: World) -> None:
    world.clock.set(CLEAN_STARTS - timedelta(hours=20))
    approval_id = await _proposed(world)
    world.clock.set(CLEAN_STARTS - timedelta(hours=10))  # approved past window - 12 h
    assert (await decide_approval(_as(world), approval_id=approval_id, approve=True)).hire_status == "booked"
    world.clock.advance(timedelta(minutes=5))
    assert (await track_hires(world.deps)).redispatched == 0  # half the time left: until window - 5 h
    world.clock.set(CLEAN_STARTS - timedelta(hours=5))
    assert (await track_hires(world.deps)).redispatched == 1


async def test_a_stay_that_returns_while_its_booking_could_not_be_cancelled_is_not_hired_twice(world: World) -> None:
    first = await _booked_clean(world)
    world.market.cancels_unavailable = 1
    world.publish(("b", date(2026, 12, 10), 2))  # stay "a" is cancelled, but the marketplace is down
    await run_pipeline(world.deps, force_sync=True)
    world.publish(("a", date(2026, 11, 26), 2), ("b", date(2026, 12, 10), 2))  # ...and it comes back
    await run_pipeline(world.deps, force_sync=True)
    clean = next(t for t in await _tasks_of(world) if t.window_start == CLEAN_STARTS)
    assert clean.status is TaskStatus.BOOKED  # it follows the booking that was never cancelled
    world.market.set_status(first.booking_id or "", "completed", at=CLEAN_STARTS + timedelta(hours=2))
    await run_pipeline(world.deps)
    clean = next(t for t in await _tasks_of(world) if t.window_start == CLEAN_STARTS)
    assert clean.status is TaskStatus.DONE
    assert [h.worker_id for h in await _hires(world) if h.task_id == clean.id] == ["w1"]


async def test_a_booking_made_after_its_task_was_cancelled_is_cancelled_when_its_answer_arrives(world: World) -> None:
    world.market.hold_creates = asyncio.Event()
    world.publish(("a", date(2026, 11, 26), 2))
    await sync_feeds(world.deps, force=True)
    await plan_tasks(world.deps)
    hiring = asyncio.create_task(hire_tasks(world.deps))
    await asyncio.sleep(0.05)  # the create is out, unanswered
    world.publish(("b", date(2026, 12, 10), 2))  # the stay is cancelled meanwhile
    await sync_feeds(world.deps, force=True)
    await plan_tasks(world.deps)
    await track_hires(world.deps)  # finds no booking yet: the hire is dropped
    world.market.hold_creates.set()
    await hiring
    assert world.market.live() == []
    [hire] = [h for h in await _hires(world) if h.booking_id]
    assert hire.status is HireStatus.CANCELLED


async def test_a_resend_looks_for_the_lost_booking_first_even_if_keys_are_not_honoured(world: World) -> None:
    world.market.ignore_keys = True
    world.market.lose_next_response = True
    world.publish(("a", date(2026, 11, 26), 2))
    await run_pipeline(world.deps, force_sync=True)
    await run_pipeline(world.deps)
    assert len(world.market.live()) == 1 and len(world.market.requests) == 1
    assert [h.status for h in await _hires(world)] == [HireStatus.BOOKED]


async def test_a_booking_charged_above_the_checked_price_is_cancelled_and_someone_else_tried(world: World) -> None:
    world.market.price_rise = Decimal("40")  # the worker raised their rate after the search
    world.publish(("a", date(2026, 11, 26), 2))
    report = await run_pipeline(world.deps, force_sync=True)
    assert report.hire.booked == 0
    first = (await _hires(world))[0]
    assert first.status is HireStatus.CANCELLED and "above the 75.00 checked" in first.history[-1].note
    assert world.market.live() == []
    assert (await _task(world)).status is TaskStatus.HIRING


async def test_no_one_is_booked_when_too_little_of_the_window_is_left(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2))
    await sync_feeds(world.deps, force=True)
    await plan_tasks(world.deps)
    world.clock.set(CLEAN_STARTS + timedelta(hours=1, minutes=30))  # 3.5 h left for a 3 h clean and the search
    await hire_tasks(world.deps)
    task = await _task(world)
    assert (task.status, task.status_reason) == (
        TaskStatus.NEEDS_HOST, "too little of its window is left to book someone"
    )  # fmt: skip
    assert world.market.requests == []


async def _tasks_of(world: World) -> list[Task]:
    async with world.deps.uow() as uow:
        return await uow.tasks.list_for_host(world.ctx.actor.host_id)
