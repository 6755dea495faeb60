"""`SandboxServer`: the sandbox on a real loopback port, in a background thread; `serve`: in the foreground.

    with SandboxServer(seed=7) as server:          # starts in well under a second
        client = RentAHumanClient(http, base_url=server.api_url, api_key="rah_test", agent_id="turnover")
        httpx.post(f"{server.base_url}/_sim/reset", json={"seed": 7})

`base_url` is `http://127.0.0.1:PORT` (the `/_sim` controls live there); `api_url` adds `/api`.
The socket is bound before the thread starts (port 0 picks a free port), so the URL is known at
once and no port can be lost to a race. `stop()` first wakes requests held by faults and cancels
webhook deliveries (`runtime.Runtime.aclose`), then waits for uvicorn to close its connections.
uvicorn's "returned without completing response" error, which every `drop_after_commit` fault
causes on purpose, is filtered out of its log.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from datetime import datetime
from types import TracebackType
from typing import Self

import uvicorn

from integrations.rentahuman.sandbox.app import create_sandbox_app

STARTUP_TIMEOUT = 10.0
DROPPED_ON_PURPOSE = "ASGI callable returned without completing response."


class _DroppedOnPurpose(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != DROPPED_ON_PURPOSE


def _quiet_dropped_connections() -> None:
    error_log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _DroppedOnPurpose) for f in error_log.filters):
        error_log.addFilter(_DroppedOnPurpose())


class SandboxServer:
    def __init__(self, *, seed: int = 7, now: datetime | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = create_sandbox_app(seed=seed, now=now)
        self._host, self._port = host, port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._url: str | None = None

    @property
    def base_url(self) -> str:
        if self._url is None:
            raise RuntimeError("the sandbox server is not running; call start() first")
        return self._url

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api"

    def start(self) -> str:
        """Bind, serve in a daemon thread, wait until uvicorn accepts connections; returns `base_url`."""
        if self._url is not None:
            return self._url
        _quiet_dropped_connections()
        # IPPROTO_TCP, not 0: asyncio only disables Nagle on sockets that say they are TCP, and
        # without that every keep-alive request waits ~40 ms for a delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self._host, self._port))
        except OSError:
            sock.close()
            raise
        port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app, log_config=None, log_level="warning", access_log=False, lifespan="off", ws="none",
            timeout_graceful_shutdown=2,
        )  # fmt: skip
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="rentahuman-sandbox", daemon=True)
        thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                server.should_exit = True
                thread.join(timeout=STARTUP_TIMEOUT)
                sock.close()
                raise RuntimeError("the RentAHuman sandbox server did not start")
            time.sleep(0.005)
        self._server, self._thread = server, thread
        self._url = f"http://{self._host}:{port}"
        return self._url

    def stop(self) -> None:
        """Stop accepting, close open connections, and join the thread. Safe to call twice."""
        server, thread = self._server, self._thread
        self._server = self._thread = self._url = None
        if server is None or thread is None:
            return
        self.app.state.runtime.close_from_thread()
        server.should_exit = True
        thread.join(timeout=10)
        if thread.is_alive():  # a connection that would not close: stop waiting for it
            server.force_exit = True
            thread.join(timeout=5)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def serve(port: int, seed: int) -> None:
    """Run the sandbox on 127.0.0.1:`port` until interrupted (`turnover sandbox --port N --seed N`)."""
    _quiet_dropped_connections()
    uvicorn.run(create_sandbox_app(seed=seed), host="127.0.0.1", port=port, log_level="info", lifespan="off", ws="none")
