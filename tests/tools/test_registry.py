"""The registry: schemas come from signatures and docstrings, arguments are validated, people-only tools
stay with people."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from types import ModuleType

import pytest
from inline_snapshot import snapshot

from domain.errors import InvalidInput, NotFound
from domain.hosts import Channel
from tests.conftest import World
from tools.context import ToolContext
from tools.registry import Catalog, build_spec, split_docstring, tool


@tool(read_only=True)
async def echo_price(ctx: ToolContext, *, amount: Decimal, note: str = "", times: int = 1) -> dict[str, str]:
    """Say a price back.

    Longer explanation.

    Args:
        amount: the price,
            in euros.
        note: anything.
        times: how often.

    Returns:
        never read.
    """
    return {"said": f"{amount} {note}" * times}


def test_the_docstring_splits_into_description_and_argument_lines() -> None:
    description, args = split_docstring(echo_price.__doc__)
    assert description == "Say a price back.\n\nLonger explanation."
    assert args == {"amount": "the price, in euros.", "note": "anything.", "times": "how often."}


def test_the_arguments_schema_comes_from_the_signature() -> None:
    spec = build_spec(echo_price)
    assert (spec.name, spec.summary, spec.meta.read_only, spec.meta.idempotent) == (
        "echo_price", "Say a price back.", True, True,
    )  # fmt: skip
    assert spec.parameters_schema() == snapshot(
        {
            "additionalProperties": False,
            "properties": {
                "amount": {
                    "anyOf": [{"type": "number"}, {"type": "string"}],
                    "description": "the price, in euros.",
                    "title": "Amount",
                },
                "note": {"default": "", "description": "anything.", "title": "Note", "type": "string"},
                "times": {"default": 1, "description": "how often.", "title": "Times", "type": "integer"},
            },
            "required": ["amount"],
            "title": "echo_price_arguments",
            "type": "object",
        }
    )


def test_a_tool_without_a_documented_parameter_or_keyword_only_arguments_is_refused() -> None:
    @tool()
    async def undocumented(ctx: ToolContext, *, x: int) -> int:
        """No args section."""
        return x

    @tool()
    async def positional(ctx: ToolContext, x: int) -> int:
        """Positional.

        Args:
            x: a number.
        """
        return x

    for fn in (undocumented, positional):
        with pytest.raises(TypeError):
            build_spec(fn)
    with pytest.raises(TypeError):
        tool()(lambda ctx: None)  # type: ignore[arg-type]


async def test_bad_arguments_become_one_invalid_input_naming_each(world: World) -> None:
    catalog = Catalog()
    catalog.register(echo_price)
    with pytest.raises(InvalidInput) as caught:
        await catalog.call("echo_price", world.ctx, {"times": "many", "colour": "red"})
    assert str(caught.value) == snapshot(
        "echo_price: amount is required; times: Input should be a valid integer, unable to parse string as an "
        "integer; colour is not an argument of this tool."
    )
    assert await catalog.call("echo_price", world.ctx, {"amount": "12.50", "times": 2}) == {"said": "12.50 12.50 "}
    with pytest.raises(NotFound):
        await catalog.call("nope", world.ctx)


async def test_a_humans_only_tool_is_not_offered_to_models_and_refused_on_their_channels(world: World) -> None:
    @tool(humans_only=True)
    async def approve_everything(ctx: ToolContext) -> str:
        """Only people."""
        return "done"

    catalog = Catalog()
    catalog.register(approve_everything)
    assert catalog.for_models() == []
    for channel in (Channel.AGENT, Channel.MCP):
        model = ToolContext(world.deps, dataclasses.replace(world.ctx.actor, channel=channel))
        with pytest.raises(NotFound):
            await catalog.call("approve_everything", model)
    assert await catalog.call("approve_everything", world.ctx) == "done"


def test_registering_a_module_takes_its_tools_in_order_once() -> None:
    module = ModuleType("fake_tools")
    module.echo_price = echo_price  # type: ignore[attr-defined]
    module.__name__ = echo_price.__module__
    catalog = Catalog()
    catalog.register_module(module)
    assert catalog.names() == ["echo_price"]
    with pytest.raises(ValueError):
        catalog.register(echo_price)
