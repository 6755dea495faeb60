"""MCP over streamable HTTP: a real uvicorn server on 127.0.0.1, a bearer token per member."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx2
import pytest
import uvicorn
from inline_snapshot import snapshot
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from channels.mcp import mcp_http_app
from domain.hosts import Actor, Channel, Host, Member, Role
from tests.conftest import World
from tools.catalog import default_catalog
from tools.context import ToolContext
from tools.hosts import issue_mcp_token
from tools.properties import add_property

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}},
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


@pytest.fixture
async def url(world: World) -> AsyncIterator[str]:
    """`mcp_http_app` over the world's memory store, served by uvicorn in the test's own loop."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen()  # connections wait in the backlog until uvicorn accepts: no polling for readiness
    app = mcp_http_app(default_catalog(), world.deps)
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, lifespan="on", ws="none"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/mcp"
    server.should_exit = True
    await serving


@asynccontextmanager
async def connect(url: str, token: str) -> AsyncIterator[Client]:
    async with (
        httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        yield client


def payload(result: Any) -> Any:
    assert not result.is_error, result.content[0].text
    return json.loads(result.content[0].text)


async def member_of(world: World, host_id: str | None, role: Role) -> Actor:
    """A member of `host_id` (a new host when None), stored."""
    now = world.clock.now()
    async with world.deps.uow() as uow:
        if host_id is None:
            host = Host(id=world.deps.ids.new_id("host"), name="Another host", timezone="Europe/Paris", created_at=now)
            await uow.hosts.add(host)
            host_id = host.id
        member = Member(id=world.deps.ids.new_id("mem"), host_id=host_id, name=role.value, role=role, created_at=now)
        await uow.members.add(member)
        await uow.commit()
    return Actor(host_id, member.id, role, Channel.CLI)


async def property_names(world: World, host_id: str) -> list[str]:
    async with world.deps.uow() as uow:
        return [p.name for p in await uow.properties.list_for_host(host_id)]


async def test_a_members_token_lists_and_calls_tools_as_that_member(world: World, url: str) -> None:
    token = await issue_mcp_token(world.deps, world.ctx.actor.member_id)
    async with connect(url, token) as c:
        names = [t.name for t in (await c.list_tools()).tools]
        added = payload(
            await c.call_tool("add_property", {"name": "Porto flat", "city": "Porto", "timezone": "Europe/Lisbon"})
        )
        listed = payload(await c.call_tool("list_properties", {}))
    assert names == [spec.name for spec in default_catalog().for_models()]
    assert [p["name"] for p in listed] == ["Alfama loft", "Porto flat"]
    async with world.deps.uow() as uow:
        entries = await uow.audit.list_for_host(world.ctx.actor.host_id)
    assert [(e.channel, e.actor) for e in entries if e.result == added["id"]] == [("mcp", world.ctx.actor.member_id)]


async def test_two_hosts_each_see_only_their_own_properties_and_schedules(world: World, url: str) -> None:
    other = await member_of(world, None, Role.OWNER)
    theirs = await add_property(
        ToolContext(world.deps, other), name="Marais studio", city="Paris", timezone="Europe/Paris"
    )
    seen: dict[str, Any] = {}
    for actor in (world.ctx.actor, other):
        async with connect(url, await issue_mcp_token(world.deps, actor.member_id)) as c:
            listed = payload(await c.call_tool("list_properties", {}))
            schedules = [r.uri for r in (await c.list_resources()).resources]
            foreign = await c.call_tool(
                "feed_health", {"property_id": theirs.id if actor is world.ctx.actor else world.property_id}
            )
            seen[actor.host_id] = ([p["name"] for p in listed], len(schedules), foreign.content[0].text)
    assert seen == {
        world.ctx.actor.host_id: (
            ["Alfama loft"],
            1,
            f"Error executing tool feed_health: No property with id {theirs.id!r}.",
        ),
        other.host_id: (
            ["Marais studio"],
            1,
            f"Error executing tool feed_health: No property with id {world.property_id!r}.",
        ),
    }


async def test_a_viewers_token_cannot_add_a_property(world: World, url: str) -> None:
    viewer = await member_of(world, world.ctx.actor.host_id, Role.VIEWER)
    async with connect(url, await issue_mcp_token(world.deps, viewer.member_id)) as c:
        listed = payload(await c.call_tool("list_properties", {}))
        refused = await c.call_tool("add_property", {"name": "Sneaky", "city": "Lisbon", "timezone": "Europe/Lisbon"})
    assert [p["name"] for p in listed] == ["Alfama loft"]
    assert refused.is_error and refused.content[0].text == snapshot(
        "Error executing tool add_property: This needs the owner role; you are viewer."
    )


@pytest.mark.parametrize("header", ["Bearer tov_not-a-real-token", "Bearer", "Basic dXNlcjpwYXNz", None])
async def test_a_wrong_or_missing_token_gets_401_and_runs_nothing(world: World, url: str, header: str | None) -> None:
    await issue_mcp_token(world.deps, world.ctx.actor.member_id)
    call = {
        "jsonrpc": "2.0",
        "id": 2,
        "method": "tools/call",
        "params": {"name": "add_property", "arguments": {"name": "Intruder", "city": "Lisbon", "timezone": "UTC"}},
    }
    auth = {"Authorization": header} if header is not None else {}
    async with httpx2.AsyncClient(headers=MCP_HEADERS | auth) as http:
        responses = [await http.post(url, json=message) for message in (INITIALIZE, call)]
    assert [r.status_code for r in responses] == [401, 401]
    assert responses[0].headers["www-authenticate"] == 'Bearer realm="turnover"'
    assert responses[0].json()["error"] == "invalid_token"
    assert await property_names(world, world.ctx.actor.host_id) == ["Alfama loft"]


async def test_issuing_a_new_token_revokes_the_previous_one(world: World, url: str) -> None:
    first = await issue_mcp_token(world.deps, world.ctx.actor.member_id)
    second = await issue_mcp_token(world.deps, world.ctx.actor.member_id)
    async with httpx2.AsyncClient(headers=MCP_HEADERS) as http:
        statuses = [
            (await http.post(url, json=INITIALIZE, headers={"Authorization": f"Bearer {token}"})).status_code
            for token in (first, second)
        ]
    assert statuses == [401, 200]
    assert first.startswith("tov_") and first != second
    async with world.deps.uow() as uow:
        member = await uow.members.get(world.ctx.actor.member_id)
    assert member is not None and second not in member.identities.values()
