"""The agent's tools: one pydantic-ai tool per catalog tool a model may be offered, nothing written twice.

Each tool keeps its spec's name, description and argument schema (`ToolSpec.parameters_schema()`),
and runs `spec.run` as the chatting member on the `agent` channel. The domain's errors go back to
the model as a retry with their message (`ModelRetry`), so it can correct itself; anything else is a
bug and propagates.

Money: a tool marked `needs_approval` has an approval gate. When the gate says the call costs more
than the property lets anyone book without asking, the call is not run: it raises pydantic-ai's
`ApprovalRequired`, the run ends with `DeferredToolRequests`, and `agent.chat` turns each deferred
call into an approval card (the gate's `propose` tool) that a person must press. The agent never
approves and never resumes a deferred call. The domain refuses model channels above the limit as
well: this is the second lock on the same door.

Destructive tools (cancel, remove) are not run either when the model calls them: they raise
`ApprovalRequired` with `CONFIRM_KEY`, and `agent.chat` asks the person (see `agent.confirm`). Only
when the person said yes does the run resume with the call approved (`ctx.tool_call_approved`), and
then it runs like any other tool. The money gate is checked first and whatever was approved: a
person's yes in a chat never approves spending.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic_ai import ApprovalRequired, ModelRetry, RunContext, Tool

from agent.confirm import CONFIRM_KEY
from domain.errors import TurnoverError
from domain.hosts import Channel
from tools.context import ToolContext
from tools.hires import booking_needs_approval
from tools.registry import Catalog, ToolSpec


@dataclass(frozen=True, slots=True)
class ApprovalGate:
    """When a money tool must wait for a person, and which tool proposes it to one instead."""

    needs_approval: Callable[..., Awaitable[bool]]  # (ctx, **the tool's arguments) -> bool
    propose: str  # a tool taking the same arguments that opens an approval card


APPROVAL_GATES: dict[str, ApprovalGate] = {
    "create_booking": ApprovalGate(needs_approval=booking_needs_approval, propose="propose_hire"),
}
PROPOSE_KEY = "propose"  # in a deferred call's metadata: the tool that turns it into an approval card


def agent_context(ctx: ToolContext) -> ToolContext:
    """The chatting member, acting through the agent: what every tool the model calls runs as."""
    return dataclasses.replace(ctx, actor=dataclasses.replace(ctx.actor, channel=Channel.AGENT))


def model_tools(catalog: Catalog) -> list[Tool[ToolContext]]:
    """The pydantic-ai tools of every catalog tool a model may be offered (never the humans-only ones)."""
    return [model_tool(spec, catalog) for spec in catalog.for_models()]


def model_tool(spec: ToolSpec, catalog: Catalog) -> Tool[ToolContext]:
    gate = APPROVAL_GATES.get(spec.name)
    if spec.meta.needs_approval and (gate is None or gate.propose not in catalog):
        raise TypeError(f"tool {spec.name} needs approval, but the agent has no approval gate for it")

    async def call(ctx: RunContext[ToolContext], **arguments: Any) -> Any:
        tool_ctx = agent_context(ctx.deps)
        try:
            if gate is not None and await gate.needs_approval(tool_ctx, **spec.validate(arguments)):
                raise ApprovalRequired(metadata={PROPOSE_KEY: gate.propose})  # whatever was confirmed
            if spec.meta.destructive and not ctx.tool_call_approved:
                spec.validate(arguments)  # a call with bad arguments goes back to the model, not to the person
                raise ApprovalRequired(metadata={CONFIRM_KEY: True})
            return spec.to_json(await spec.run(tool_ctx, arguments))
        except TurnoverError as err:
            raise ModelRetry(str(err)) from err

    call.__name__ = spec.name
    return Tool.from_schema(
        call,
        name=spec.name,
        description=spec.description,
        json_schema=spec.parameters_schema(),
        takes_ctx=True,
        sequential=not spec.meta.read_only,  # writes run one at a time, in the order the model asked
    )
