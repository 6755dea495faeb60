"""`turnover tools` and `turnover call` as a script or a cron job runs them: real subprocesses on a
fresh data directory (stdout holds only JSON); the refusals that happen before any database opens
are also driven in-process through the same `main`."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from inline_snapshot import snapshot

from integrations.calendars.feed_server import FeedServer
from tests.turnover.test_cli import TURNOVER, run
from tools.catalog import default_catalog
from turnover.cli import main
from turnover.tools_cli import listing, needs_sandbox

NOW = "2026-11-25T09:00:00Z"
CALENDAR = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Airbnb Inc//Hosting Calendar 1.0//EN\r\n"
    b"BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261126\r\nDTEND;VALUE=DATE:20261128\r\n"
    b"UID:stay-1@airbnb.com\r\nSUMMARY:Reserved\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def call(data_dir: Path, tool: str, arguments: dict[str, Any] | None = None, *, stdin: str | None = None) -> Any:
    """Run `turnover call` (arguments from stdin when `stdin` is given) and return its parsed stdout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TURNOVER_")}
    env |= {"TURNOVER_DATA_DIR": str(data_dir), "TURNOVER_NOW": NOW}
    args = [tool, "-"] if stdin is not None else [tool] if arguments is None else [tool, json.dumps(arguments)]
    result = subprocess.run(
        [*TURNOVER, "call", *args], input=stdin, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_tools_json_lists_every_tool_with_its_flags_and_parameter_schema() -> None:
    result = run("tools", "--json")
    assert result.returncode == 0, result.stderr
    tools = {t["name"]: t for t in json.loads(result.stdout)}
    assert list(tools) == default_catalog().names()
    for name in ("add_property", "update_property", "add_feed", "list_properties", "list_reservations"):
        assert name in tools
    assert {"list_tasks", "list_hires", "decide_approval"} <= set(tools)
    assert tools["list_properties"] == snapshot(
        {
            "name": "list_properties",
            "description": "List the host's properties.",
            "flags": {
                "read_only": True,
                "destructive": False,
                "idempotent": True,
                "spends_money": False,
                "needs_approval": False,
                "humans_only": False,
                "open_world": False,
                "secret_args": [],
            },
            "parameters": {
                "additionalProperties": False,
                "properties": {
                    "limit": {
                        "default": 50,
                        "description": "page size, at most 200.",
                        "title": "Limit",
                        "type": "integer",
                    },
                    "offset": {"default": 0, "description": "how many to skip.", "title": "Offset", "type": "integer"},
                },
                "title": "list_properties_arguments",
                "type": "object",
            },
        }
    )


def test_the_listing_shows_each_tools_flags_and_first_sentence() -> None:
    lines = {line.split()[0]: line for line in listing(default_catalog()).splitlines()}
    assert [lines[name] for name in ("list_properties", "create_booking", "remove_feed", "decide_approval")] == (
        snapshot(
            [
                "list_properties        read-only                                List the host's properties.",
                "create_booking         spends money, needs approval, calls out  Book a worker for a task on the marketplace.",  # noqa: E501
                "remove_feed            destructive                              Disconnect a calendar feed.",
                "decide_approval        spends money, humans only, calls out     Approve or decline a proposed hire.",
            ]
        )
    )


def test_the_sandbox_is_started_only_for_tools_that_may_reach_the_marketplace() -> None:
    catalog = default_catalog()
    started = {spec.name for spec in catalog if needs_sandbox(spec)}
    assert {"list_properties", "list_tasks", "list_hires", "feed_health", "get_summary"}.isdisjoint(started)
    assert {"search_humans", "get_booking_status", "create_booking", "decide_approval", "cancel_task"} <= started


def test_a_property_and_its_feed_round_trip_and_a_sync_brings_its_stays_and_tasks(tmp_path: Path) -> None:
    with FeedServer() as server:
        server.set("/loft.ics", CALENDAR)
        added = call(tmp_path, "add_property", {"name": "Alfama loft", "city": "Lisbon", "timezone": "Europe/Lisbon"})
        changed = call(tmp_path, "update_property", {"property_id": added["id"], "auto_approve_limit": "60"})
        feed = call(tmp_path, "add_feed", {"property_id": added["id"], "url": server.url("/loft.ics?t=s3cr3t-token")})
        assert "s3cr3t-token" not in json.dumps(feed)
        synced = call(tmp_path, "sync_now")
    assert call(tmp_path, "list_properties") == [added | {"auto_approve_limit": "60"}]
    assert changed["auto_approve_limit"] == "60" and synced["feeds"] == 1
    stays = call(tmp_path, "list_reservations")
    assert [(s["check_in"], s["check_out"], s["platform"]) for s in stays] == [("2026-11-26", "2026-11-28", "airbnb")]
    tasks = call(tmp_path, "list_tasks", stdin='{"kind": "clean", "limit": 5}')
    assert [(t["kind"], t["start"], t["property_name"]) for t in tasks] == [
        ("clean", "2026-11-28T11:00:00+00:00", "Alfama loft")
    ]
    assert call(tmp_path, "list_hires") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list_properties", '{"limit": }'], "not valid JSON: Expecting value at line 1 column 11"),
        (["list_properties", "[50]"], "must be a JSON object"),
        (["list_propertes"], "Did you mean list_properties"),
        (["list_properties", '{"limit": "many", "colour": "red"}'], "colour is not an argument of this tool"),
    ],
)
def test_a_refused_call_is_exit_1_with_one_line_on_stderr_and_nothing_on_stdout(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["call", *args]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and message in err


def test_a_domain_error_from_the_tool_is_exit_1_with_one_line_on_stderr(tmp_path: Path) -> None:
    env = {"TURNOVER_DATA_DIR": str(tmp_path), "TURNOVER_NOW": NOW}
    result = run("call", "get_task", '{"task_id": "task_nope"}', env=env)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == snapshot("turnover: No task with id 'task_nope'.\n")
