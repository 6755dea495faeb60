"""MCP over streamable HTTP, behind a bearer token per member.

`mcp_http_app(...)` is a plain ASGI app: the SDK's streamable-HTTP app wrapped in a small auth layer.
Every HTTP request must carry `Authorization: Bearer <token>`; the token is looked up by its hash
(`tools.hosts.member_for_token`), and a missing or unknown one is answered 401 before anything runs.
The actor travels in the ASGI scope, which the SDK hands to each tool call as its HTTP request
(a contextvar would not cross into the session's task).

Standalone (`turnover mcp --http`) the app's lifespan starts the session manager. Mounted inside
another app, whose sub-app lifespans do not run, enter `app.running()` in that app's lifespan.
"""

from __future__ import annotations

import logging
from contextlib import AbstractAsyncContextManager
from typing import Any

from mcp.server.mcpserver import MCPServer
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from channels.mcp.server import ACTOR_KEY, DepsSource, LogLevel, build_mcp_server
from domain.hosts import Actor
from tools.context import AppDeps
from tools.hosts import member_for_token
from tools.registry import Catalog

log = logging.getLogger(__name__)
MISSING = "This MCP endpoint needs `Authorization: Bearer <token>`; `turnover mcp token` issues one."
UNKNOWN = "That bearer token is not valid (issuing a new token replaces the old one)."


class McpHttpApp:
    """The streamable-HTTP MCP app; only requests with a member's bearer token reach it."""

    def __init__(self, server: MCPServer[Any], app: ASGIApp, deps: DepsSource) -> None:
        self.server = server
        self._app = app
        self._deps = deps

    def running(self) -> AbstractAsyncContextManager[None]:
        """The session manager's lifetime, for an app that mounts this one."""
        return self.server.session_manager.run()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":  # the SDK app starts its session manager
            await self._app(scope, receive, send)
            return
        if scope["type"] != "http":
            await send({"type": "websocket.close", "code": 1008})  # MCP is plain HTTP; nothing else gets in
            return
        token = bearer_token(scope)
        actor = await self._member(token) if token else None
        if actor is None:
            log.info("MCP request refused: %s bearer token", "unknown" if token else "no")
            response = JSONResponse(
                {"error": "invalid_token", "error_description": UNKNOWN if token else MISSING},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="turnover"'},
            )
            await response(scope, receive, send)
            return
        await self._app({**scope, ACTOR_KEY: actor}, receive, send)

    async def _member(self, token: str) -> Actor | None:
        deps = await self._deps() if callable(self._deps) else self._deps
        return await member_for_token(deps, token)


def bearer_token(scope: Scope) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    for name, value in headers:
        if name.lower() == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
            return None
    return None


def mcp_http_app(
    catalog: Catalog,
    deps: DepsSource,
    *,
    path: str = "/mcp",
    host: str = "127.0.0.1",
    stateless: bool = False,
    version: str = "",
    log_level: LogLevel = "WARNING",
) -> McpHttpApp:
    """The MCP server at `path`, over streamable HTTP, for members with a bearer token.

    `host` is where it listens: on a loopback address the SDK also refuses other Host headers
    (DNS-rebinding protection). `stateless` serves each request on its own (no session id), for
    several instances behind one address.
    """
    server = build_mcp_server(catalog, deps, local_owner=False, version=version, log_level=log_level)
    app = server.streamable_http_app(streamable_http_path=path, host=host, stateless_http=stateless)
    return McpHttpApp(server, app, deps)


async def serve_http(
    catalog: Catalog, deps: AppDeps, *, host: str, port: int, version: str = "", log_level: LogLevel = "WARNING"
) -> None:
    """Serve `mcp_http_app` with uvicorn until interrupted."""
    import uvicorn

    app = mcp_http_app(catalog, deps, host=host, version=version, log_level=log_level)
    config = uvicorn.Config(app, host=host, port=port, log_config=None, log_level=log_level.lower(), lifespan="on")
    await uvicorn.Server(config).serve()
