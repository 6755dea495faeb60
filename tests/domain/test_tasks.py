from datetime import timedelta

import pytest

from domain.errors import IllegalTransition, InvalidInput
from domain.tasks import TaskStatus
from tests.builders import NOW, a_task


def test_task_follows_the_happy_path_to_done() -> None:
    task = a_task()
    for status in (TaskStatus.HIRING, TaskStatus.BOOKED, TaskStatus.IN_PROGRESS, TaskStatus.DONE):
        task.transition(status, NOW)
    assert task.status is TaskStatus.DONE
    assert not task.is_open


def test_done_task_cannot_be_cancelled() -> None:
    task = a_task(status=TaskStatus.DONE)
    with pytest.raises(IllegalTransition):
        task.transition(TaskStatus.CANCELLED, NOW)


def test_planned_task_cannot_jump_to_booked() -> None:
    with pytest.raises(IllegalTransition):
        a_task().transition(TaskStatus.BOOKED, NOW)


def test_booked_task_goes_back_to_hiring_when_the_worker_cancels() -> None:
    task = a_task(status=TaskStatus.BOOKED)
    task.transition(TaskStatus.HIRING, NOW, "the worker cancelled")
    assert (task.status, task.status_reason) == (TaskStatus.HIRING, "the worker cancelled")


def test_cancelled_task_can_be_planned_again_when_its_reservation_returns() -> None:
    task = a_task(status=TaskStatus.CANCELLED)
    task.transition(TaskStatus.PLANNED, NOW)
    assert task.status is TaskStatus.PLANNED


def test_every_open_state_can_be_cancelled() -> None:
    for status in TaskStatus:
        if status not in (TaskStatus.DONE, TaskStatus.CANCELLED):
            a_task(status=status).transition(TaskStatus.CANCELLED, NOW)


def test_window_must_be_aware_and_ordered() -> None:
    with pytest.raises(InvalidInput):
        a_task(window_start=NOW.replace(tzinfo=None), deadline=NOW.replace(tzinfo=None) + timedelta(hours=1))
    with pytest.raises(InvalidInput):
        a_task(deadline=NOW - timedelta(hours=1))


def test_rescheduling_a_closed_task_is_refused() -> None:
    task = a_task(status=TaskStatus.DONE)
    with pytest.raises(IllegalTransition):
        task.reschedule(NOW + timedelta(days=1), NOW + timedelta(days=1, hours=3), NOW)


def test_rescheduling_to_the_same_window_reports_no_change() -> None:
    task = a_task()
    assert task.reschedule(task.window_start, task.deadline, NOW) is False
