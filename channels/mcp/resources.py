"""Each property's upcoming schedule as an MCP resource, and a listing that names one per property.

The schedule is a resource template, `turnover://properties/{property_id}/schedule`, read for the
connection's actor. The SDK lists only static resources and templates, so a small server middleware
adds one concrete resource per property of the actor to `resources/list`: clients discover them there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError
from mcp.shared.exceptions import MCPError
from mcp_types import INTERNAL_ERROR, Resource

if TYPE_CHECKING:  # the domain and the tools load after the handshake (see channels.mcp.stdio)
    from channels.mcp.server import Runtime
    from domain.properties import Property

SCHEDULE_URI = "turnover://properties/{property_id}/schedule"
SCHEDULE_DESCRIPTION = (
    "The property's next two weeks as text: arrivals, departures, and each task with its window "
    "in local time, its status and the hired worker."
)


def add_schedule_resources(server: MCPServer[Any], runtime: Runtime) -> None:
    async def schedule(property_id: str, mcp_context: Context[Any, Any]) -> str:
        from domain.errors import TurnoverError
        from tools.schedule import property_schedule

        try:
            ctx = await runtime.context(mcp_context.request_context.request)
            return await property_schedule(ctx, property_id)
        except TurnoverError as err:
            raise ResourceError(str(err)) from None

    server.resource(
        SCHEDULE_URI,
        name="property_schedule",
        title="Property schedule",
        description=SCHEDULE_DESCRIPTION,
        mime_type="text/plain",
    )(schedule)

    async def list_schedules(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        result = await call_next(ctx)  # the wire form: {"resources": [...], ...}
        if ctx.method != "resources/list" or not isinstance(result, dict) or "resources" not in result:
            return result
        from domain.errors import TurnoverError
        from tools.schedule import schedule_properties

        try:
            props = await schedule_properties(await runtime.context(ctx.request))
        except TurnoverError as err:
            raise MCPError(code=INTERNAL_ERROR, message=str(err)) from None
        listed = [schedule_resource(p).model_dump(by_alias=True, mode="json", exclude_none=True) for p in props]
        return {**result, "resources": [*result["resources"], *listed]}

    server.middleware.append(list_schedules)


def schedule_resource(prop: Property) -> Resource:
    from tools.schedule import SCHEDULE_DAYS

    return Resource(
        uri=SCHEDULE_URI.format(property_id=prop.id),
        name=f"schedule_{prop.id}",
        title=f"{prop.name}: schedule",
        description=f"{prop.name} ({prop.city}): the next {SCHEDULE_DAYS} days.",
        mime_type="text/plain",
    )
