from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from domain.planning import RESERVATION_GONE, diff_plans, plan_property
from domain.properties import PlanningRules
from domain.reservations import ReservationStatus
from domain.tasks import Task, TaskKind, TaskStatus
from tests.builders import NOW, a_property, a_reservation

LISBON = ZoneInfo("Europe/Lisbon")
TODAY = date(2026, 11, 25)


def _as_tasks(plans: list, status: TaskStatus = TaskStatus.PLANNED) -> list[Task]:
    return [
        Task(
            id=f"t{i}",
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


def test_planning_twice_changes_nothing() -> None:
    stays = [a_reservation(date(2026, 12, 1), 2), a_reservation(date(2026, 12, 3), 4)]
    plans = plan_property(a_property(), stays, TODAY)
    diff = diff_plans(plans, _as_tasks(plans), set())
    assert (diff.create, diff.reschedule, diff.cancel, diff.reopen, diff.reprioritise) == ([], [], [], [], [])


def test_a_moved_stay_reschedules_its_clean_instead_of_making_a_new_one() -> None:
    before = a_reservation(date(2026, 12, 1), 2, uid="u1")
    tasks = _as_tasks(plan_property(a_property(), [before], TODAY))
    after = a_reservation(date(2026, 12, 1), 1, uid="u1")
    diff = diff_plans(plan_property(a_property(), [after], TODAY), tasks, set())
    assert diff.create == [] and len(diff.reschedule) == 1
    assert diff.reschedule[0][1].window_start == datetime(2026, 12, 2, 11, 0, tzinfo=LISBON)


def test_a_cancelled_stay_cancels_its_open_tasks_and_a_returning_one_reopens_them() -> None:
    stay = a_reservation(date(2026, 12, 1), 2)
    tasks = _as_tasks(plan_property(a_property(), [stay], TODAY))
    stay.status = ReservationStatus.CANCELLED
    diff = diff_plans(plan_property(a_property(), [stay], TODAY), tasks, {stay.id})
    assert [t.id for t in diff.cancel] == [tasks[0].id]
    tasks[0].transition(TaskStatus.CANCELLED, NOW, RESERVATION_GONE)
    stay.status = ReservationStatus.CONFIRMED
    diff = diff_plans(plan_property(a_property(), [stay], TODAY), tasks, set())
    assert [t.id for t, _ in diff.reopen] == [tasks[0].id]


def test_a_clean_the_host_cancelled_is_not_reopened() -> None:
    stay = a_reservation(date(2026, 12, 1), 2)
    tasks = _as_tasks(plan_property(a_property(), [stay], TODAY))
    tasks[0].transition(TaskStatus.CANCELLED, NOW, "host cleans herself")
    diff = diff_plans(plan_property(a_property(), [stay], TODAY), tasks, set())
    assert (diff.reopen, diff.create) == ([], [])


def test_tasks_of_past_stays_are_left_alone() -> None:
    stay = a_reservation(date(2026, 11, 20), 2)
    tasks = _as_tasks(plan_property(a_property(), [stay], date(2026, 11, 19)))
    diff = diff_plans(plan_property(a_property(), [stay], TODAY), tasks, set())
    assert diff.cancel == []
