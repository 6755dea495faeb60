"""`turnover chat` as a person runs it: a real subprocess on a fresh data directory."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from inline_snapshot import snapshot

from tests.turnover.test_cli import TURNOVER

NOW = "2026-11-25T09:00:00Z"


def environment(data_dir: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TURNOVER_") and k != "ANTHROPIC_API_KEY"}
    return clean | {"TURNOVER_DATA_DIR": str(data_dir), "TURNOVER_NOW": NOW}


def test_piped_commands_are_answered_free_text_without_a_model_gets_the_hint_and_quit_ends_it(tmp_path: Path) -> None:
    result = subprocess.run(
        [*TURNOVER, "chat"],
        input="/properties\n/tasks\nwhat is on today?\n/quit\n/help\n",
        env=environment(tmp_path) | {"TURNOVER_MODEL": ""},  # no model: commands only
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    properties, tasks, hint = result.stdout.splitlines()
    assert (properties, tasks) == snapshot(
        ("No properties yet. Add one with `turnover call add_property` or ask the assistant.", "No open tasks.")
    )
    assert hint.startswith("Natural-language chat needs a model") and result.stderr == ""


def test_ctrl_c_ends_the_chat_with_exit_code_0(tmp_path: Path) -> None:
    with subprocess.Popen(
        [*TURNOVER, "chat"],
        env=environment(tmp_path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as chat:
        assert chat.stdin is not None and chat.stdout is not None
        chat.stdin.write("/hires\n")
        chat.stdin.flush()
        assert chat.stdout.readline() == "No hires yet.\n"  # it answered, and waits for the next line
        chat.send_signal(signal.SIGINT)
        _, err = chat.communicate(timeout=30)
    assert chat.returncode == 0 and "Traceback" not in err
