from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain.planning import NOT_NEEDED, RESERVATION_GONE, PlanDiff, diff_plans, mirrors, plan_property
from domain.properties import PlanningRules, Property
from domain.reservations import Reservation, ReservationStatus
from domain.tasks import Task, TaskKind, TaskPlan, TaskStatus
from tests.builders import NOW, a_property, a_reservation

LISBON = ZoneInfo("Europe/Lisbon")
TODAY = date(2026, 11, 25)


def _as_tasks(plans: list[TaskPlan], status: TaskStatus = TaskStatus.PLANNED, start: int = 0) -> list[Task]:
    return [
        Task(
            id=f"t{start + i}",
            host_id="host_1",
            property_id=p.property_id,
            kind=p.kind,
            natural_key=p.natural_key,
            window_start=p.window_start,
            deadline=p.deadline,
            budget=p.budget,
            required_skills=p.required_skills,
            created_at=NOW,
            reservation_id=p.reservation_id,
            same_day_turnover=p.same_day_turnover,
            priority=p.priority,
            status=status,
        )
        for i, p in enumerate(plans)
    ]


def test_clean_window_runs_from_checkout_time_to_the_next_check_in_time() -> None:
    first = a_reservation(date(2026, 11, 26), 2)
    second = a_reservation(date(2026, 11, 30), 3)
    plans = plan_property(a_property(), [first, second], TODAY)
    clean = next(p for p in plans if p.reservation_id == first.id)
    assert clean.window_start == datetime(2026, 11, 28, 11, 0, tzinfo=LISBON)
    assert clean.deadline == datetime(2026, 11, 30, 16, 0, tzinfo=LISBON)
    assert not clean.same_day_turnover


def test_same_day_turnover_is_flagged_and_prioritised() -> None:
    first = a_reservation(date(2026, 11, 26), 2)
    second = a_reservation(date(2026, 11, 28), 1)
    clean = next(p for p in plan_property(a_property(), [first, second], TODAY) if p.reservation_id == first.id)
    assert clean.same_day_turnover
    assert clean.priority > 0
    assert clean.deadline == datetime(2026, 11, 28, 16, 0, tzinfo=LISBON)


def test_windows_follow_the_property_timezone_across_a_dst_change() -> None:
    prop = a_property(timezone="Europe/Paris", check_in_time=time(16), check_out_time=time(11))
    stay = a_reservation(date(2025, 10, 25), 1)
    clean = plan_property(prop, [stay], date(2025, 10, 20))[0]
    assert clean.window_start.isoformat() == "2025-10-26T11:00:00+01:00"
    assert clean.window_start.utcoffset() != datetime(2025, 10, 25, 11, tzinfo=ZoneInfo("Europe/Paris")).utcoffset()


def test_tentative_cancelled_and_past_stays_get_no_tasks() -> None:
    stays = [
        a_reservation(date(2026, 12, 1), 2, status=ReservationStatus.TENTATIVE),
        a_reservation(date(2026, 12, 5), 2, status=ReservationStatus.CANCELLED),
        a_reservation(date(2026, 11, 10), 2),
    ]
    assert plan_property(a_property(), stays, TODAY) == []


def test_check_in_and_check_out_visits_only_where_the_property_wants_them() -> None:
    stay = a_reservation(date(2026, 12, 1), 2)
    assert {p.kind for p in plan_property(a_property(), [stay], TODAY)} == {TaskKind.CLEAN}
    prop = a_property(planning=PlanningRules(check_in_tasks=True, check_out_tasks=True))
    assert {p.kind for p in plan_property(prop, [stay], TODAY)} == {
        TaskKind.CLEAN,
        TaskKind.CHECK_IN,
        TaskKind.CHECK_OUT,
    }


def _diff(prop: Property, stays: list[Reservation], tasks: list[Task], today: date = TODAY) -> PlanDiff:
    inactive = {r.id for r in stays if not r.is_active}
    return diff_plans(plan_property(prop, stays, today), tasks, inactive, today, prop.zone)


def _apply(diff: PlanDiff, tasks: list[Task]) -> None:
    """What the scheduler does with a diff, enough for the rules here."""
    for task, plan in diff.update + diff.reopen:
        if task.status is TaskStatus.CANCELLED:
            task.transition(TaskStatus.PLANNED, NOW)
        task.reschedule(plan.window_start, plan.deadline, NOW)
        task.reservation_id, task.natural_key = plan.reservation_id, plan.natural_key
        task.same_day_turnover, task.priority = plan.same_day_turnover, plan.priority
    for task, reason in diff.cancel:
        task.transition(TaskStatus.CANCELLED, NOW, reason)
    tasks += _as_tasks(diff.create, start=len(tasks))


def _is_noop(diff: PlanDiff) -> bool:
    return (diff.create, diff.update, diff.cancel, diff.reopen) == ([], [], [], [])


def test_planning_twice_changes_nothing() -> None:
    stays = [a_reservation(date(2026, 12, 1), 2), a_reservation(date(2026, 12, 3), 4)]
    prop = a_property(planning=PlanningRules(check_in_tasks=True, check_out_tasks=True, restock_every_stays=1,
                                             inspection_after_vacant_days=1, maintenance_every_days=30))  # fmt: skip
    tasks = _as_tasks(plan_property(prop, stays, TODAY))
    assert _is_noop(_diff(prop, stays, tasks))


def test_a_moved_stay_reschedules_its_clean_instead_of_making_a_new_one() -> None:
    before = a_reservation(date(2026, 12, 1), 2, uid="u1")
    tasks = _as_tasks(plan_property(a_property(), [before], TODAY))
    after = a_reservation(date(2026, 12, 1), 1, uid="u1")  # early checkout under the same UID
    diff = _diff(a_property(), [after], tasks)
    assert diff.create == [] and diff.cancel == [] and [t.id for t, _ in diff.update] == [tasks[0].id]
    assert diff.update[0][1].window_start == datetime(2026, 12, 2, 11, 0, tzinfo=LISBON)
    _apply(diff, tasks)
    assert _is_noop(_diff(a_property(), [after], tasks))


def test_a_stay_moved_a_year_on_keeps_its_tasks() -> None:
    prop = a_property(planning=PlanningRules(check_in_tasks=True))
    before = a_reservation(date(2026, 11, 25), 4, uid="u1")
    tasks = _as_tasks(plan_property(prop, [before], TODAY))
    after = a_reservation(date(2027, 3, 3), 4, uid="u1")
    diff = _diff(prop, [after], tasks)
    assert (diff.create, diff.cancel) == ([], [])
    assert sorted(t.kind for t, _ in diff.update) == [TaskKind.CHECK_IN, TaskKind.CLEAN]


def test_cancel_and_rebook_on_the_same_dates_keeps_the_clean_and_its_hire() -> None:
    """Rule 9: same dates, new UID and code: one cancellation, one new booking, the same clean task."""
    old = a_reservation(date(2026, 12, 21), 2, uid="old", code="HMAAAA1111")
    tasks = _as_tasks(plan_property(a_property(), [old], TODAY), status=TaskStatus.BOOKED)
    old.status = ReservationStatus.CANCELLED
    new = a_reservation(date(2026, 12, 21), 2, uid="new", code="HMBBBB2222")
    diff = _diff(a_property(), [old, new], tasks)
    assert (diff.create, diff.cancel) == ([], [])
    assert [(t.id, p.reservation_id) for t, p in diff.update] == [(tasks[0].id, new.id)]


def test_a_cancelled_stay_cancels_its_open_tasks_and_a_returning_one_reopens_them() -> None:
    stay = a_reservation(date(2026, 12, 1), 2)
    tasks = _as_tasks(plan_property(a_property(), [stay], TODAY))
    stay.status = ReservationStatus.CANCELLED
    diff = _diff(a_property(), [stay], tasks)
    assert diff.cancel == [(tasks[0], RESERVATION_GONE)]
    _apply(diff, tasks)
    stay.status = ReservationStatus.CONFIRMED
    diff = _diff(a_property(), [stay], tasks)
    assert [t.id for t, _ in diff.reopen] == [tasks[0].id]


def test_a_stay_returning_with_new_dates_reopens_its_task_there() -> None:
    stay = a_reservation(date(2026, 12, 1), 2, uid="u1")
    tasks = _as_tasks(plan_property(a_property(), [stay], TODAY))
    stay.status = ReservationStatus.CANCELLED
    _apply(_diff(a_property(), [stay], tasks), tasks)
    back = a_reservation(date(2027, 2, 1), 3, uid="u1")
    diff = _diff(a_property(), [back], tasks)
    assert diff.create == [] and [t.id for t, _ in diff.reopen] == [tasks[0].id]
    assert diff.reopen[0][1].window_start.date() == date(2027, 2, 4)


def test_a_clean_the_host_cancelled_is_not_reopened() -> None:
    stay = a_reservation(date(2026, 12, 1), 2)
    tasks = _as_tasks(plan_property(a_property(), [stay], TODAY))
    tasks[0].transition(TaskStatus.CANCELLED, NOW, "host cleans herself")
    assert _is_noop(_diff(a_property(), [stay], tasks))


def test_tasks_of_past_stays_are_left_alone() -> None:
    stay = a_reservation(date(2026, 11, 20), 2)
    tasks = _as_tasks(plan_property(a_property(), [stay], date(2026, 11, 19)))
    stay.status = ReservationStatus.CANCELLED
    assert _is_noop(_diff(a_property(), [stay], tasks))


def test_a_task_no_stay_wants_any_more_is_cancelled_as_not_needed() -> None:
    prop = a_property(planning=PlanningRules(check_out_tasks=True))
    stay = a_reservation(date(2026, 12, 1), 2)
    tasks = _as_tasks(plan_property(prop, [stay], TODAY))
    diff = _diff(a_property(), [stay], tasks)  # the host turned check-out visits off
    assert [(t.kind, reason) for t, reason in diff.cancel] == [(TaskKind.CHECK_OUT, NOT_NEEDED)]


def test_manual_tasks_are_not_the_planner_s() -> None:
    manual = _as_tasks(plan_property(a_property(), [a_reservation(date(2026, 12, 1), 2)], TODAY))[0]
    manual.natural_key, manual.reservation_id = "manual:fix-the-tap", None
    assert _is_noop(_diff(a_property(), [], [manual]))


# Restocks, inspections, maintenance


def _stays_from(start: date, *nights: int, gap: int = 0, **kw: Any) -> list[Reservation]:
    stays, day = [], start
    for n in nights:
        stays.append(a_reservation(day, n, **kw))
        day += timedelta(days=n + gap)
    return stays


def test_restock_every_n_stays_lands_in_the_turnover_after_the_nth() -> None:
    prop = a_property(planning=PlanningRules(restock_every_stays=3))
    stays = _stays_from(date(2026, 12, 1), 1, 2, 1, 3, 1, 1, 2)
    restocks = [p for p in plan_property(prop, stays, TODAY) if p.kind is TaskKind.RESTOCK]
    assert [p.reservation_id for p in restocks] == [stays[2].id, stays[5].id]
    clean = next(p for p in plan_property(prop, stays, TODAY) if p.reservation_id == stays[2].id)
    assert (restocks[0].window_start, restocks[0].deadline) == (clean.window_start, clean.deadline)
    assert restocks[0].same_day_turnover and restocks[0].budget == prop.planning.restock_budget


def test_restock_when_guests_have_used_80_percent_of_the_supplies() -> None:
    # supplies last 20 guest-nights: restock once 16 are used; unknown guest counts count as a full house (4)
    prop = a_property(max_guests=4, planning=PlanningRules(supplies_guest_nights=20))
    stays = [
        a_reservation(date(2026, 12, 1), 3, guests=2),  # 6
        a_reservation(date(2026, 12, 4), 2, guests=3),  # 12
        a_reservation(date(2026, 12, 6), 1),  # 16: restock after this one
        a_reservation(date(2026, 12, 7), 2, guests=1),  # 2
    ]
    restocks = [p for p in plan_property(prop, stays, TODAY) if p.kind is TaskKind.RESTOCK]
    assert [p.reservation_id for p in restocks] == [stays[2].id]


def test_restock_counting_includes_past_stays_so_it_is_stable() -> None:
    prop = a_property(planning=PlanningRules(restock_every_stays=2))
    stays = _stays_from(date(2026, 11, 20), 1, 2, 2, 2)  # two past stays, then 11-23→25 and 11-25→27
    restocks = [p for p in plan_property(prop, stays, TODAY) if p.kind is TaskKind.RESTOCK]
    assert [p.reservation_id for p in restocks] == [stays[3].id]


def test_inspection_before_an_arrival_after_enough_vacant_days() -> None:
    prop = a_property(planning=PlanningRules(inspection_after_vacant_days=5))
    stays = [a_reservation(date(2026, 12, 1), 2), a_reservation(date(2026, 12, 8), 2),  # 5 days empty
             a_reservation(date(2026, 12, 14), 2)]  # fmt: skip  # 4 days empty
    inspections = [p for p in plan_property(prop, stays, TODAY) if p.kind is TaskKind.INSPECTION]
    assert [p.reservation_id for p in inspections] == [stays[1].id]
    assert inspections[0].window_start == datetime(2026, 12, 7, 11, 0, tzinfo=LISBON)
    assert inspections[0].deadline == datetime(2026, 12, 8, 16, 0, tzinfo=LISBON)


def test_no_inspection_without_an_earlier_stay_to_measure_from() -> None:
    prop = a_property(planning=PlanningRules(inspection_after_vacant_days=1))
    assert not [p for p in plan_property(prop, [a_reservation(date(2026, 12, 8), 2)], TODAY)
                if p.kind is TaskKind.INSPECTION]  # fmt: skip


def test_maintenance_every_n_days_moves_to_a_vacant_day() -> None:
    created = datetime(2026, 11, 1, 9, tzinfo=UTC)
    prop = a_property(created_at=created, planning=PlanningRules(maintenance_every_days=30))
    # due 2026-12-01; guests 11-29→12-03, so the first fully empty day is 12-04
    stays = [a_reservation(date(2026, 11, 29), 4), a_reservation(date(2026, 12, 5), 2)]
    plans = [p for p in plan_property(prop, stays, TODAY) if p.kind is TaskKind.MAINTENANCE]
    assert len(plans) == 1 and plans[0].reservation_id is None
    assert plans[0].window_start == datetime(2026, 12, 4, 11, 0, tzinfo=LISBON)
    free = [a_reservation(date(2026, 11, 29), 2)]
    plans = [p for p in plan_property(prop, free, TODAY) if p.kind is TaskKind.MAINTENANCE]
    assert plans[0].window_start == datetime(2026, 12, 2, 11, 0, tzinfo=LISBON)  # 12-01 is checkout day


def test_a_past_maintenance_occurrence_is_left_alone_when_the_next_one_is_planned() -> None:
    prop = a_property(created_at=datetime(2026, 10, 1, tzinfo=UTC), planning=PlanningRules(maintenance_every_days=30))
    tasks = _as_tasks(plan_property(prop, [], date(2026, 10, 20)))  # due 10-31
    diff = _diff(prop, [], tasks, today=TODAY)  # the next one is due 11-30
    assert diff.cancel == [] and [p.kind for p in diff.create] == [TaskKind.MAINTENANCE]


# Cross-feed mirrors, clipped starts, event times


def test_a_block_counted_as_a_booking_that_mirrors_a_real_stay_gets_no_tasks() -> None:
    prop = a_property(planning=PlanningRules(check_in_tasks=True, check_out_tasks=True))
    real = a_reservation(date(2026, 12, 22), 2, uid="airbnb")
    mirror = a_reservation(date(2026, 12, 22), 2, uid="booking", feed_id="feed_2", from_block=True)
    other = a_reservation(date(2026, 12, 22), 2, uid="guesty", feed_id="feed_3", from_block=True)
    plans = plan_property(prop, [real, mirror, other], TODAY)
    assert sorted(p.kind for p in plans) == [TaskKind.CHECK_IN, TaskKind.CHECK_OUT, TaskKind.CLEAN]
    assert {p.reservation_id for p in plans} == {real.id}
    assert mirrors([real, mirror, other]) == {mirror.id, other.id}
    assert mirrors([mirror, other]) == {other.id}  # of two mirrors alone, one stands for the stay


def test_a_clipped_start_is_not_an_arrival() -> None:
    prop = a_property(planning=PlanningRules(check_in_tasks=True, check_out_tasks=True))
    before = a_reservation(date(2026, 11, 20), 5, uid="before")
    clipped = a_reservation(date(2026, 11, 25), 6, uid="range", start_clipped=True)
    plans = plan_property(prop, [before, clipped], TODAY)
    assert sorted((p.kind, p.reservation_id) for p in plans) == [
        (TaskKind.CHECK_OUT, before.id), (TaskKind.CHECK_OUT, clipped.id),
        (TaskKind.CLEAN, before.id), (TaskKind.CLEAN, clipped.id),
    ]  # fmt: skip
    assert not next(p for p in plans if p.reservation_id == before.id).same_day_turnover


def test_event_times_from_a_feed_that_carries_them_set_the_windows() -> None:
    paris = ZoneInfo("Europe/Paris")
    prop = a_property(timezone="Europe/Paris", planning=PlanningRules(check_in_tasks=True))
    first = a_reservation(date(2026, 12, 1), 2, check_out_at=datetime(2026, 12, 3, 10, 30, tzinfo=paris))
    second = a_reservation(date(2026, 12, 3), 2, check_in_at=datetime(2026, 12, 3, 14, 0, tzinfo=paris))
    plans = plan_property(prop, [first, second], TODAY)
    clean = next(p for p in plans if p.kind is TaskKind.CLEAN and p.reservation_id == first.id)
    assert (clean.window_start, clean.deadline) == (
        datetime(2026, 12, 3, 10, 30, tzinfo=paris), datetime(2026, 12, 3, 14, 0, tzinfo=paris)
    )  # fmt: skip
    visit = next(p for p in plans if p.kind is TaskKind.CHECK_IN and p.reservation_id == second.id)
    assert visit.window_start == datetime(2026, 12, 3, 13, 0, tzinfo=paris)


def test_a_stay_beyond_the_feed_horizon_keeps_its_tasks() -> None:
    stay = a_reservation(date(2027, 11, 20), 2)
    tasks = _as_tasks(plan_property(a_property(), [stay], TODAY))
    stay.status = ReservationStatus.OUT_OF_WINDOW
    assert _is_noop(_diff(a_property(), [stay], tasks))
