"""`turnover approvals`, `approve`, `decline` as a user runs them: real subprocesses, a real database,
and the sandbox (the command starts its own, seeded like the one the approval was proposed with)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from channels.console.notifier import ConsoleNotifier
from domain.tasks import Task, TaskKind
from scheduler.hire import hire_tasks
from tests.turnover.test_cli import run
from tools.context import ToolContext
from tools.hosts import ensure_local_owner
from tools.properties import add_property
from turnover.bootstrap import bootstrap
from turnover.settings import load_settings

NOW = "2026-11-25T09:00:00Z"


def cli(data_dir: Path, *args: str) -> tuple[int, Any, str]:
    result = run(*args, env={"TURNOVER_DATA_DIR": str(data_dir), "TURNOVER_NOW": NOW}, timeout=120)
    payload = json.loads(result.stdout) if result.returncode == 0 and "--json" in args else result.stdout
    return result.returncode, payload, result.stderr


@pytest.fixture
async def proposed(tmp_path: Path) -> Path:
    """A clean in Austin priced above the property's auto-approve limit: an open approval."""
    now = datetime.fromisoformat(NOW)
    settings = load_settings(data_dir=tmp_path, database_url=None, now=now, rentahuman_api_key=None)
    async with bootstrap(settings, notifier=ConsoleNotifier(None)) as app:
        ctx = ToolContext(app.deps, await ensure_local_owner(app.deps, timezone="America/Chicago"))
        prop = await add_property(
            ctx, name="East Austin bungalow", city="Austin", timezone="America/Chicago",
            cleaning_budget=Decimal("110"), auto_approve_limit=Decimal("10"),
        )  # fmt: skip
        start = datetime(2026, 11, 27, 17, tzinfo=UTC)
        task = Task(
            id="task_cli", host_id=ctx.actor.host_id, property_id=prop.id, kind=TaskKind.CLEAN,
            natural_key=f"{prop.id}:clean:2026-11-27", window_start=start, deadline=start + timedelta(hours=5),
            budget=Decimal("110"), required_skills=("Cleaning",), created_at=now,
        )  # fmt: skip
        async with app.deps.uow() as uow:
            await uow.tasks.add(task)
            await uow.commit()
        assert (await hire_tasks(app.deps)).proposed == 1
    return tmp_path


def test_no_approvals_on_a_fresh_data_directory(tmp_path: Path) -> None:
    assert cli(tmp_path, "approvals", "--json")[:2] == (0, [])
    code, out, _ = cli(tmp_path, "approvals")
    assert (code, out.strip()) == (0, "No approvals waiting.")


def test_approving_from_the_command_line_books_the_worker_and_deciding_again_changes_nothing(proposed: Path) -> None:
    code, waiting, _ = cli(proposed, "approvals", "--json")
    assert code == 0 and [(a["task_id"], a["status"]) for a in waiting] == [("task_cli", "open")]
    approval_id = waiting[0]["id"]
    code, decided, err = cli(proposed, "approve", approval_id, "--note", "ok this once", "--json")
    assert code == 0, err
    assert (decided["status"], decided["hire_status"], decided["task_status"]) == ("approved", "booked", "booked")
    assert decided["message"].endswith("Booked.")
    assert cli(proposed, "approvals", "--json")[:2] == (0, [])
    code, again, _ = cli(proposed, "decline", approval_id, "--json")
    assert (code, again["status"], again["message"]) == (0, "approved", "Already approved.")


def test_declining_hands_the_task_back(proposed: Path) -> None:
    [waiting] = cli(proposed, "approvals", "--json")[1]
    code, out, _ = cli(proposed, "decline", waiting["id"])
    assert code == 0 and "declined" in out and "Declined by" in out


def test_an_unknown_approval_is_one_line_and_exit_code_1(proposed: Path) -> None:
    code, out, err = cli(proposed, "approve", "apr_nope")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "apr_nope" in err and "Traceback" not in err
