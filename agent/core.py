"""`build_agent(catalog, model)`: the pydantic-ai agent over the tool catalog, and `model_ready`.

```python
agent = build_agent(default_catalog(), settings.model, max_tokens=settings.agent_max_tokens,
                    history_limit=settings.agent_history_messages)
if (hint := model_ready(settings.model)) is None:
    answer = await reply(agent, ctx, thread="console:owner", text="What's on this week?")   # agent.chat
```
The model is a pydantic-ai model string (`anthropic:claude-sonnet-4-6`, `ollama:llama3.2`...) or a
`Model` (tests pass `FunctionModel`). It is checked when a run starts, not here, so an agent is built
without an API key; `model_ready` tells a person what is missing first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic_ai import Agent, DeferredToolRequests, UserError
from pydantic_ai.models import Model, infer_model
from pydantic_ai.settings import ModelSettings

from agent.instructions import RULES, today
from agent.toolset import model_tools
from tools.context import ToolContext
from tools.registry import Catalog

DEFAULT_MAX_TOKENS = 2048  # pydantic-ai would otherwise ask for the model's maximum (128000 for sonnet)
DEFAULT_HISTORY_LIMIT = 40  # model messages kept per chat thread
TOOL_RETRIES = 3  # a tool may send the model back this many times in a run (bad arguments, refusals)

TurnoverOutput = str | DeferredToolRequests


@dataclass(frozen=True, slots=True)
class TurnoverAgent:
    """What the channels hold: the pydantic-ai agent, the catalog it was built from, the history limit."""

    agent: Agent[ToolContext, TurnoverOutput]
    catalog: Catalog
    history_limit: int = DEFAULT_HISTORY_LIMIT


def build_agent(
    catalog: Catalog,
    model: str | Model,
    *,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    history_limit: int = DEFAULT_HISTORY_LIMIT,
) -> TurnoverAgent:
    """The agent: every tool a model may be offered, the rules, today's date in the host's timezone."""
    agent: Agent[ToolContext, TurnoverOutput] = Agent(
        model,
        deps_type=ToolContext,
        output_type=[str, DeferredToolRequests],
        instructions=[RULES, today],
        tools=model_tools(catalog),
        model_settings=ModelSettings(max_tokens=max_tokens),
        retries={"tools": TOOL_RETRIES},
        defer_model_check=True,
        name="turnover",
    )
    return TurnoverAgent(agent=agent, catalog=catalog, history_limit=history_limit)


def model_ready(model: str) -> str | None:
    """None when `model` names a model this installation can call (its package is installed, its key or
    base URL is set); otherwise one line telling a person what to do. Nothing is sent anywhere."""
    try:
        infer_model(model)
    except ImportError as exc:
        package = re.search(r'"(pydantic-ai-slim\[\w+\])"', str(exc))
        if package:
            return f"The model {model} needs an extra package: pip install '{package.group(1)}'. {_SWITCH}"
        return f"The model {model} cannot be used: {_sentence(str(exc))} {_SWITCH}"
    except UserError as exc:
        variable = re.search(r"`([A-Z][A-Z0-9_]+)`", str(exc))
        if variable:
            return f"The model {model} needs the {variable.group(1)} environment variable. {_SWITCH}"
        return f"The model {model} cannot be used: {_sentence(str(exc))} {_SWITCH}"
    return None


_SWITCH = "Or set TURNOVER_MODEL to another pydantic-ai model, e.g. ollama:llama3.2."


def _sentence(message: str) -> str:
    """The first sentence of an error message, ending with a period."""
    lines = message.strip().splitlines()
    first = lines[0] if lines else "unknown reason"
    cut = first.find(". ")
    first = first[: cut + 1] if cut >= 0 else first
    return first if first.endswith(".") else f"{first}."
