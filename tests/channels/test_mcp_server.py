"""The MCP server through the SDK's in-memory client, over the shared world (a memory store)."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

import pytest
from inline_snapshot import snapshot
from mcp import Client
from mcp.shared.exceptions import MCPError

from channels.mcp import build_mcp_server
from scheduler.pipeline import run_pipeline
from tests.conftest import World
from tools.catalog import default_catalog
from tools.context import ToolContext
from tools.properties import add_property
from tools.registry import Catalog, tool


def client(world: World, catalog: Catalog | None = None) -> Client:
    return Client(build_mcp_server(catalog or default_catalog(), world.deps))


def payload(result: Any) -> Any:
    assert not result.is_error, result.content[0].text
    return json.loads(result.content[0].text)


def error(result: Any) -> str:
    assert result.is_error
    return str(result.content[0].text)


async def test_the_tools_are_the_catalogs_model_tools_with_their_annotations(world: World) -> None:
    catalog = default_catalog()
    async with client(world, catalog) as c:
        tools = (await c.list_tools()).tools
    assert [t.name for t in tools] == [spec.name for spec in catalog.for_models()]
    assert "decide_approval" in catalog and "decide_approval" not in [t.name for t in tools]
    for listed in tools:
        meta = catalog.get(listed.name).meta
        hints = listed.annotations
        assert hints is not None
        assert (hints.read_only_hint, hints.destructive_hint, hints.idempotent_hint) == (
            meta.read_only,
            meta.destructive,
            meta.idempotent,
        )
    flags = {t.name: t.annotations.model_dump(exclude_none=True) for t in tools if t.annotations}
    assert {name: flags[name] for name in ("list_properties", "add_property")} == snapshot(
        {
            "list_properties": {
                "read_only_hint": True,
                "destructive_hint": False,
                "idempotent_hint": True,
                "open_world_hint": False,
            },
            "add_property": {
                "read_only_hint": False,
                "destructive_hint": False,
                "idempotent_hint": False,
                "open_world_hint": False,
            },
        }
    )


async def test_a_catalog_factory_is_built_after_the_handshake_into_the_same_tools(world: World) -> None:
    built: list[Catalog] = []

    def factory() -> Catalog:
        built.append(default_catalog())
        return built[-1]

    server = build_mcp_server(factory, world.deps)
    assert built == []
    async with Client(server, mode="legacy") as c:
        names = [t.name for t in (await c.list_tools()).tools]
        listed = json.loads((await c.call_tool("list_properties", {})).content[0].text)
    assert len(built) == 1 and names == [spec.name for spec in built[0].for_models()]
    assert [p["name"] for p in listed] == ["Alfama loft"]


async def test_each_input_schema_is_the_registry_schema(world: World) -> None:
    catalog = default_catalog()
    async with client(world, catalog) as c:
        tools = (await c.list_tools()).tools
    for listed in tools:
        expected = catalog.get(listed.name).parameters_schema()
        assert listed.input_schema.get("properties", {}) == expected.get("properties", {}), listed.name
        assert listed.input_schema.get("required", []) == expected.get("required", []), listed.name
        assert listed.description == catalog.get(listed.name).description


async def test_list_properties_runs_as_the_local_owner(world: World) -> None:
    async with client(world) as c:
        listed = payload(await c.call_tool("list_properties", {}))
    assert listed == snapshot(
        [
            {
                "id": "prop_3",
                "name": "Alfama loft",
                "city": "Lisbon",
                "timezone": "Europe/Lisbon",
                "check_in_time": "16:00",
                "check_out_time": "11:00",
                "cleaning_budget": "90",
                "auto_approve_limit": "120",
            }
        ]
    )


async def test_a_change_is_audited_on_the_mcp_channel(world: World) -> None:
    async with client(world) as c:
        added = payload(
            await c.call_tool("add_property", {"name": "Porto flat", "city": "Porto", "timezone": "Europe/Lisbon"})
        )
    async with world.deps.uow() as uow:
        entries = await uow.audit.list_for_host(world.ctx.actor.host_id)
    assert [(e.action, e.channel, e.actor, e.result) for e in entries if e.result == added["id"]] == [
        ("add_property", "mcp", world.ctx.actor.member_id, added["id"])
    ]


async def test_a_domain_error_comes_back_as_a_tool_error_with_its_message(world: World) -> None:
    async with client(world) as c:
        result = await c.call_tool(
            "add_property", {"name": "Moon base", "city": "Tranquility", "timezone": "Moon/Base"}
        )
    assert error(result) == snapshot(
        "Error executing tool add_property: Unknown timezone 'Moon/Base': use an IANA name such as Europe/Paris."
    )


async def test_another_hosts_property_is_not_found(world: World) -> None:
    stranger = await world.another_host()
    theirs = await add_property(stranger, name="Their place", city="Paris", timezone="Europe/Paris")
    async with client(world) as c:
        result = await c.call_tool("feed_health", {"property_id": theirs.id})
    assert error(result) == snapshot("Error executing tool feed_health: No property with id 'prop_7'.")


async def test_arguments_of_the_wrong_type_are_refused_before_the_tool_runs(world: World) -> None:
    async with client(world) as c:
        result = await c.call_tool("list_properties", {"limit": "many"})
    assert error(result).splitlines()[:2] == snapshot(
        ["Error executing tool list_properties: 1 validation error for list_propertiesArguments", "limit"]
    )


async def test_an_unknown_argument_is_refused_not_ignored(world: World) -> None:
    async with client(world) as c:
        result = await c.call_tool("feed_health", {"propertyId": world.property_id})
    assert error(result) == snapshot(
        "Error executing tool feed_health: feed_health: propertyId is not an argument of this tool."
    )


async def test_a_humans_only_tool_cannot_be_called(world: World) -> None:
    async with client(world) as c:
        result = await c.call_tool("decide_approval", {"approval_id": "apr_1", "approve": True})
    assert error(result) == snapshot("Unknown tool: decide_approval")


@tool(read_only=True)
async def explode(ctx: ToolContext, *, what: str) -> str:
    """Fail the way a bug does.

    Args:
        what: the detail that must not reach the client.
    """
    raise RuntimeError(f"internal detail: {what}")


async def test_an_unexpected_error_hides_its_message_and_logs_the_traceback(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    catalog = Catalog()
    catalog.register(explode)
    with caplog.at_level(logging.ERROR):
        async with client(world, catalog) as c:
            result = await c.call_tool("explode", {"what": "db password"})
    assert error(result) == snapshot("Error executing tool explode")
    assert [type(r.exc_info[1].__cause__) for r in caplog.records if r.exc_info and r.exc_info[1]] == [RuntimeError]


async def test_the_schedule_resource_shows_stays_tasks_and_workers_in_local_time(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2), ("b", date(2026, 11, 28), 3), ("c", date(2026, 12, 12), 2))
    await run_pipeline(world.deps, force_sync=True)
    uri = f"turnover://properties/{world.property_id}/schedule"
    async with client(world) as c:
        listed = [(r.uri, r.title) for r in (await c.list_resources()).resources]
        templates = [t.uri_template for t in (await c.list_resource_templates()).resource_templates]
        contents = (await c.read_resource(uri)).contents
    assert listed == [(uri, "Alfama loft: schedule")]
    assert templates == ["turnover://properties/{property_id}/schedule"]
    assert contents[0].text == snapshot("""\
Alfama loft (Lisbon): the next 14 days, Wed 25 Nov to Tue 8 Dec 2026
Times are local (Europe/Lisbon). Check-in 16:00, checkout 11:00.

Thu 26 Nov
  16:00  arrival · 2 nights  [res_8]

Sat 28 Nov
  11:00  departure  [res_8]
  11:00–16:00  clean · booked · hired: Worker w1 · same-day turnover  [task_12]
  16:00  arrival · 3 nights  [res_9]

Tue 1 Dec
  11:00  departure  [res_9]
  11:00–Sat 12 Dec 16:00  clean · booked · hired: Worker w1  [task_13]
""")


async def test_the_schedule_of_another_hosts_property_is_not_found(world: World) -> None:
    stranger = await world.another_host()
    theirs = await add_property(stranger, name="Their place", city="Paris", timezone="Europe/Paris")
    async with client(world) as c:
        listed = [r.uri for r in (await c.list_resources()).resources]
        with pytest.raises(MCPError) as raised:
            await c.read_resource(f"turnover://properties/{theirs.id}/schedule")
    assert theirs.id not in " ".join(listed)
    assert raised.value.error.message == snapshot("No property with id 'prop_7'.")
