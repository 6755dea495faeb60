"""`turnover mcp` over stdio, for Claude Desktop: the handshake first, the database on first need.

A client spawns the server and gives up if `initialize` is slow, so nothing heavy runs before it:
the app's ports (database, marketplace, sandbox) are opened by the first request that needs them,
in a task of their own that also closes them when the client hangs up. stdout carries only protocol.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, TypeAlias

import anyio
from anyio.abc import TaskStatus

from channels.mcp.server import LogLevel, build_mcp_server

if TYPE_CHECKING:
    from tools.context import AppDeps
    from tools.registry import Catalog

Opener: TypeAlias = "Callable[[], AbstractAsyncContextManager[AppDeps]]"


@contextlib.asynccontextmanager
async def lazy_deps(opener: Opener) -> AsyncIterator[Callable[[], Awaitable[AppDeps]]]:
    """A getter that opens the deps on its first call (later calls share them); closed on exit.

    The deps are entered and exited by one holder task, whichever request first asked for them.
    A failure to open reaches that request (and the next one tries again).
    """
    closing = anyio.Event()
    lock = anyio.Lock()
    opened: list[AppDeps] = []

    async def hold(*, task_status: TaskStatus[AppDeps] = anyio.TASK_STATUS_IGNORED) -> None:
        async with opener() as deps:
            task_status.started(deps)
            await closing.wait()

    async with anyio.create_task_group() as holders:

        async def get() -> AppDeps:
            async with lock:
                if not opened:
                    opened.append(await holders.start(hold))
            return opened[0]

        try:
            yield get
        finally:
            closing.set()


async def serve_stdio(
    catalog: Callable[[], Catalog], opener: Opener, *, version: str = "", log_level: LogLevel = "WARNING"
) -> None:
    """Serve MCP on stdin/stdout until the client closes it, as the local owner.

    The catalog is built after the handshake, and the deps opened on first need.
    """
    async with lazy_deps(opener) as deps:
        server = build_mcp_server(catalog, deps, local_owner=True, version=version, log_level=log_level)
        await server.run_stdio_async()
