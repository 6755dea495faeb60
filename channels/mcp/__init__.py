"""The MCP channel: the tool catalog served to Claude Desktop and any MCP client.

- `server.py`: `build_mcp_server(catalog, deps)`, one MCP tool per model-facing tool, errors mapped once;
- `resources.py`: each property's upcoming schedule as a resource;
- `stdio.py`: `turnover mcp` for Claude Desktop (the database opens on first need);
- `http.py`: streamable HTTP with a bearer token per member (`mcp_http_app`, mountable by the service).

The `mcp` SDK is imported only here. May import: `tools`, `domain`, `mcp`, `starlette`, `uvicorn`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from channels.mcp.http import mcp_http_app
    from channels.mcp.server import build_mcp_server

__all__ = ["build_mcp_server", "mcp_http_app"]


def __getattr__(name: str) -> Any:
    """Load on use: `turnover mcp` over stdio must not import the HTTP layer (and the tools) before its handshake."""
    if name == "build_mcp_server":
        from channels.mcp.server import build_mcp_server

        return build_mcp_server
    if name == "mcp_http_app":
        from channels.mcp.http import mcp_http_app

        return mcp_http_app
    raise AttributeError(name)
