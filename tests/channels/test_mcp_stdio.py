"""`turnover mcp` as Claude Desktop runs it: a real subprocess on a fresh data directory, over stdio."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

ROOT = Path(__file__).resolve().parents[2]
FEED_URL = "https://calendar.example.test/ical/77.ics?s=feedsecret0123456789"


def server(data_dir: Path) -> StdioServerParameters:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TURNOVER_")}
    env = clean | {
        "TURNOVER_DATA_DIR": str(data_dir),
        "TURNOVER_NOW": "2026-11-25T09:00:00Z",
        "TURNOVER_LOG_LEVEL": "INFO",
    }
    return StdioServerParameters(command=sys.executable, args=["-m", "turnover.cli", "mcp"], env=env, cwd=ROOT)


def payload(result: Any) -> Any:
    assert not result.is_error, result.content[0].text
    return json.loads(result.content[0].text)


async def test_a_fresh_data_directory_serves_the_tools_over_stdio_with_only_protocol_on_stdout(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    stderr = tmp_path / "stderr.txt"
    with stderr.open("w") as errlog, caplog.at_level(logging.WARNING, logger="mcp.client"):
        transport = stdio_client(server(tmp_path / "data"), errlog=errlog)
        async with Client(transport, mode="legacy") as c:  # legacy: the initialize handshake Claude Desktop uses
            names = [t.name for t in (await c.list_tools()).tools]
            added = payload(
                await c.call_tool("add_property", {"name": "Loft", "city": "Lisbon", "timezone": "Europe/Lisbon"})
            )
            feed = payload(await c.call_tool("add_feed", {"property_id": added["id"], "url": FEED_URL}))
            listed = payload(await c.call_tool("list_properties", {}))
            schedules = [r.uri for r in (await c.list_resources()).resources]
    not_protocol = [r.getMessage() for r in caplog.records if r.name.startswith("mcp.client")]  # unparsable lines
    assert {"add_property", "list_properties", "add_feed"} <= set(names) and "decide_approval" not in names
    assert [p["name"] for p in listed] == ["Loft"]
    assert schedules == [f"turnover://properties/{added['id']}/schedule"]
    assert feed["url"] == "https://calendar.example.test/…"
    assert not_protocol == []
    logged = stderr.read_text()
    assert "feedsecret0123456789" not in logged and "Traceback" not in logged
    assert (tmp_path / "data" / "turnover.sqlite").exists()


async def test_a_bad_setting_still_lets_the_client_connect_and_says_what_to_fix(tmp_path: Path) -> None:
    params = server(tmp_path / "data")
    params.env = (params.env or {}) | {"TURNOVER_DATABASE_URL": "mysql://nope"}
    with (tmp_path / "stderr.txt").open("w") as errlog:
        async with Client(stdio_client(params, errlog=errlog), mode="legacy") as c:
            result = await c.call_tool("list_properties", {})
    assert result.is_error
    assert "TURNOVER_DATABASE_URL" in result.content[0].text
