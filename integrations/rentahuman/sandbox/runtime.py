"""The sandbox's life on its event loop: background tasks, the outbound HTTP client, and closing.

Bound to the server's loop by the first request (`bind`). `SandboxServer.stop()` calls `aclose`
from its own thread (`close_from_thread`): held requests (`timeout`, `drop_after_commit` in `hang`
mode) wake up at once, webhook deliveries are cancelled and the client closed, so uvicorn can stop
without waiting for them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any

import httpx

WEBHOOK_TIMEOUT = httpx.Timeout(5.0, connect=2.0)


class Runtime:
    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self._closing: asyncio.Event | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._http: httpx.AsyncClient | None = None

    def bind(self) -> None:
        if self.loop is None:
            self.loop = asyncio.get_running_loop()
            self._closing = asyncio.Event()

    @property
    def closing(self) -> bool:
        return self._closing is not None and self._closing.is_set()

    async def hold(self, seconds: float | None) -> bool:
        """Wait `seconds` (None: until closing); True if the sandbox began closing meanwhile."""
        self.bind()
        assert self._closing is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)
        return self._closing.is_set()

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` in the background; it never blocks the request that started it."""
        self.bind()
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=WEBHOOK_TIMEOUT)
        return self._http

    def cancel_tasks(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    async def aclose(self) -> None:
        if self._closing is not None:
            self._closing.set()
        self.cancel_tasks()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=1.0)
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def close_from_thread(self, timeout: float = 2.0) -> None:
        """`aclose` on the server's loop, from another thread; harmless if the loop never ran."""
        loop = self.loop
        if loop is None or loop.is_closed() or not loop.is_running():
            return
        future = asyncio.run_coroutine_threadsafe(self.aclose(), loop)
        with contextlib.suppress(Exception):
            future.result(timeout)
