"""The `turnover` command as a user runs it: a real subprocess, real environment variables."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

TURNOVER = [sys.executable, "-m", "turnover.cli"]


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TURNOVER_")}
    return subprocess.run(
        [*TURNOVER, *args], env=clean | (env or {}), capture_output=True, text=True, timeout=timeout, check=False
    )


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("demo", "db", "sandbox", "version"):
        assert command in result.stdout


@pytest.mark.parametrize(
    "command", [["demo"], ["db"], ["db", "upgrade"], ["sandbox"], ["version"], ["approvals"], ["approve"], ["decline"]]
)
def test_every_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout


def test_an_invalid_setting_is_one_line_naming_the_variable_with_exit_code_2(tmp_path: Path) -> None:
    result = run("db", "upgrade", env={"TURNOVER_DATA_DIR": str(tmp_path), "TURNOVER_NOW": "next tuesday"})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "TURNOVER_NOW" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_naive_frozen_clock_is_refused(tmp_path: Path) -> None:
    result = run("db", "upgrade", env={"TURNOVER_DATA_DIR": str(tmp_path), "TURNOVER_NOW": "2026-11-25T09:00:00"})
    assert result.returncode == 2 and "timezone" in result.stderr


def test_an_unreachable_postgresql_is_one_line_with_exit_code_2(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://postgres:hunter2@127.0.0.1:1/test"
    result = run("db", "upgrade", env={"TURNOVER_DATA_DIR": str(tmp_path), "TURNOVER_DATABASE_URL": url})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "127.0.0.1:1" in result.stderr
    assert "hunter2" not in result.stderr and "Traceback" not in result.stderr


def test_db_upgrade_creates_the_database_and_is_repeatable(tmp_path: Path) -> None:
    env = {"TURNOVER_DATA_DIR": str(tmp_path / "data")}
    first, second = run("db", "upgrade", env=env), run("db", "upgrade", env=env)
    assert (first.returncode, second.returncode) == (0, 0)
    assert (tmp_path / "data" / "turnover.sqlite").exists()
    assert first.stdout == second.stdout


def test_a_database_from_a_newer_turnover_is_refused(tmp_path: Path) -> None:
    env = {"TURNOVER_DATA_DIR": str(tmp_path)}
    assert run("db", "upgrade", env=env).returncode == 0
    with sqlite3.connect(tmp_path / "turnover.sqlite") as db:
        db.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    result = run("db", "upgrade", env=env)
    assert result.returncode == 2 and "newer" in result.stderr and "Traceback" not in result.stderr


def test_version_prints_the_version() -> None:
    from turnover import __version__

    assert run("version").stdout.strip() == f"turnover {__version__}"


def test_demo_once_json_counts_come_from_a_real_pass(tmp_path: Path) -> None:
    result = run("demo", "--json", env={"TURNOVER_NOW": "2026-11-25T09:00:00Z"}, timeout=120)
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout)
    assert set(counts) == {"reservations", "tasks", "hires", "notifications"}
    assert all(counts[k] > 0 for k in counts), counts
    assert counts["tasks"] >= counts["hires"]


def test_demo_once_shows_both_properties_and_their_tables() -> None:
    result = run("demo", "--once", env={"TURNOVER_NOW": "2026-11-25T09:00:00Z"}, timeout=120)
    assert result.returncode == 0, result.stderr
    for text in ("Alfama loft", "East Austin bungalow", "== Reservations", "== Tasks", "== Hires", "same-day"):
        assert text in result.stdout
    assert "(sandbox)" in result.stdout


def test_demo_keeps_ticking_until_interrupted_and_then_exits_cleanly() -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TURNOVER_")}
    env = clean | {"TURNOVER_TICK_SECONDS": "1", "TURNOVER_NOW": "2026-11-25T09:00:00Z"}
    with subprocess.Popen([*TURNOVER, "demo"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as p:
        assert p.stdout is not None
        for line in p.stdout:  # wait for the scheduler to start, however long the first pass takes
            if "Ctrl-C stops the demo" in line:
                break
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=30)
    assert p.returncode == 130
    assert "Traceback" not in err
