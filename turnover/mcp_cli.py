"""`turnover mcp`: the tools for Claude Desktop (stdio) or remote MCP clients (`--http`), and their tokens.

Over stdio, stdout carries nothing but the protocol: logs go to stderr at the settings' log level,
and the server answers `initialize` before it opens the database (see `channels.mcp.stdio`). Over
HTTP every request needs a member's bearer token, which `turnover mcp token` prints once. Only the
standard library is imported at module level, so `turnover --help` stays fast; the `mcp` SDK is
reached through `channels.mcp` inside the handlers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from turnover.logs import LogLevel, log_to_stderr

if TYPE_CHECKING:
    from tools.context import AppDeps
    from tools.registry import Catalog
    from turnover.settings import Settings


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mcp = commands.add_parser(
        "mcp",
        help="serve the tools to Claude Desktop and other MCP clients",
        description=(
            "Serve every tool to an MCP client. Without options: over stdio, for Claude Desktop, as the local "
            "owner. With --http: streamable HTTP at /mcp, where each request needs a member's bearer token "
            "(`turnover mcp token`)."
        ),
    )
    mcp.add_argument("--http", action="store_true", help="serve streamable HTTP at /mcp instead of stdio")
    mcp.add_argument("--host", default="127.0.0.1", help="address to listen on with --http (default 127.0.0.1)")
    mcp.add_argument("--port", type=int, default=8765, help="port to listen on with --http (default 8765)")
    mcp.set_defaults(handler=_serve)
    mcp_commands = mcp.add_subparsers(dest="mcp_command", metavar="COMMAND")
    token = mcp_commands.add_parser(
        "token",
        help="issue a bearer token for MCP over HTTP",
        description=(
            "Print a new bearer token for MCP over HTTP, for the local owner or another member. It is shown "
            "once: only its hash is stored. A new token replaces the member's previous one."
        ),
    )
    token.add_argument("--member", metavar="ID", help="the member's id (default: the local owner)")
    token.set_defaults(handler=_token)


def _serve(args: argparse.Namespace) -> int:
    if args.http:
        from turnover.settings import load_settings

        settings = load_settings()
        asyncio.run(_serve_http(settings, args.host, args.port, log_to_stderr(settings.log_level)))
        return 0
    from channels.mcp.stdio import serve_stdio
    from turnover import __version__

    # Over stdio the settings are read after the handshake (with the database): a bad value then
    # comes back as the first tool call's error, which the client shows, instead of a silent exit.
    level = log_to_stderr(os.environ.get("TURNOVER_LOG_LEVEL", "WARNING"))
    asyncio.run(serve_stdio(_catalog, _open_with_settings, version=__version__, log_level=level))
    return 0


@contextlib.asynccontextmanager
async def _open_with_settings() -> AsyncIterator[AppDeps]:
    from turnover.settings import load_settings

    async with _open(load_settings()) as deps:
        yield deps


def _catalog() -> Catalog:
    from tools.catalog import default_catalog  # built after the handshake: the tools are not needed to answer it

    return default_catalog()


@contextlib.asynccontextmanager
async def _open(settings: Settings, *, start_sandbox: bool = True) -> AsyncIterator[AppDeps]:
    """The app's ports for MCP: notifications go to stderr, never to the protocol's stdout."""
    from channels.console.notifier import ConsoleNotifier
    from turnover.bootstrap import bootstrap

    async with bootstrap(settings, notifier=ConsoleNotifier(sys.stderr), start_sandbox=start_sandbox) as app:
        yield app.deps


async def _serve_http(settings: Settings, host: str, port: int, level: LogLevel) -> None:
    from channels.mcp.http import serve_http
    from tools.catalog import default_catalog
    from turnover import __version__

    async with _open(settings) as deps:
        print(f"MCP over streamable HTTP on http://{host}:{port}/mcp (bearer token required)", file=sys.stderr)
        await serve_http(default_catalog(), deps, host=host, port=port, version=__version__, log_level=level)


def _token(args: argparse.Namespace) -> int:
    from turnover.settings import load_settings

    member_id, token = asyncio.run(_issue(load_settings(), args.member))
    print(token)
    print(
        f"Bearer token for member {member_id}. It will not be shown again: only its hash is stored, and "
        "issuing a new one replaces it. MCP clients send it as `Authorization: Bearer <token>`.",
        file=sys.stderr,
    )
    return 0


async def _issue(settings: Settings, member_id: str | None) -> tuple[str, str]:
    from tools.hosts import ensure_local_owner, issue_mcp_token

    async with _open(settings, start_sandbox=False) as deps:
        if member_id is None:
            member_id = (await ensure_local_owner(deps)).member_id
        return member_id, await issue_mcp_token(deps, member_id)
