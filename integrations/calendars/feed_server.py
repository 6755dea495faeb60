"""`FeedServer`: a tiny real HTTP server on 127.0.0.1 serving calendar bodies that tests and the demo set.

    with FeedServer() as server:
        server.set("/cal/airbnb.ics", body)                 # 200 text/calendar
        server.set("/cal/airbnb.ics", b"oops", status=503)  # the next fetch fails
        url = server.url("/cal/airbnb.ics?t=token")          # the query is ignored when matching

Standard library only (a `ThreadingHTTPServer` in a background thread). Paths are matched
without their query string; an unknown path is a 404. Every request is recorded in `requests`.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

CALENDAR_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes
    content_type: str = CALENDAR_TYPE
    delay: float = 0.0  # seconds to wait before answering (timeout tests)


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    path: str  # with the query string
    user_agent: str


class FeedServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._routes: dict[str, Response] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.requests: list[RecordedRequest] = []
        self._httpd = _Server((host, port), _handler_for(self))
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + (path if path.startswith("/") else f"/{path}")

    def set(
        self, path: str, body: bytes, status: int = 200, *, content_type: str = CALENDAR_TYPE, delay: float = 0.0
    ) -> None:
        """Serve `body` at `path` from now on (replacing what was there)."""
        with self._lock:
            self._routes[_route(path)] = Response(status, body, content_type, delay)

    def remove(self, path: str) -> None:
        with self._lock:
            self._routes.pop(_route(path), None)

    def start(self) -> Self:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="feed-server", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake delayed answers, and wait for every handler thread."""
        self._stopping.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _answer(self, raw_path: str, user_agent: str) -> Response:
        with self._lock:
            self.requests.append(RecordedRequest(raw_path, user_agent))
            response = self._routes.get(_route(raw_path))
        if response is None:
            return Response(404, b"not found", "text/plain; charset=utf-8")
        if response.delay:
            self._stopping.wait(response.delay)
        return response


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True  # server_close() joins the handler threads

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout tests) is not worth a traceback on stderr; anything else is."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


def _handler_for(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 5.0  # a silent client cannot hold a handler thread (and stop()) for long

        def do_GET(self) -> None:
            response = server._answer(self.path, self.headers.get("User-Agent", ""))
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(response.body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: tests and the demo print what matters themselves."""

    return Handler


def _route(path: str) -> str:
    return urlsplit(path).path or "/"
