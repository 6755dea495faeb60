"""A scripted model for agent tests: each model turn is a list of tool calls or a text answer.

```python
script = Script([call("list_properties")], "You have one property.")
agent = build_agent(default_catalog(), script.model)
answer = await reply(agent, world.ctx, thread="console:owner", text="What do I have?")
script.returns()   # what the tools sent back to the model, in order: {tool: content}
```
Every turn the script records what the model was shown (messages, tools, instructions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic_ai.messages import ModelMessage, ModelRequest, ModelResponse, TextPart, ToolCallPart, ToolReturnPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

Turn = list[ToolCallPart] | str


def call(tool: str, **args: Any) -> ToolCallPart:
    return ToolCallPart(tool, args)


@dataclass
class Script:
    turns: list[Turn]
    seen: list[tuple[list[ModelMessage], AgentInfo]] = field(default_factory=list)

    def __init__(self, *turns: Turn) -> None:
        self.turns, self.seen = list(turns), []

    def __call__(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        self.seen.append((list(messages), info))
        turn = self.turns.pop(0) if self.turns else "Done."
        if isinstance(turn, str):
            return ModelResponse(parts=[TextPart(turn)])
        return ModelResponse(parts=list(turn))

    @property
    def model(self) -> FunctionModel:
        return FunctionModel(self)

    @property
    def info(self) -> AgentInfo:
        return self.seen[-1][1]

    def tool_names(self) -> list[str]:
        """The tools offered to the model on its last turn."""
        return [tool.name for tool in self.info.function_tools]

    def returns(self) -> list[tuple[str, Any]]:
        """(tool, what it returned or the retry message) for every tool result the model was shown."""
        if not self.seen:
            return []
        messages = self.seen[-1][0]
        return [
            (part.tool_name, part.content)
            for message in messages
            if isinstance(message, ModelRequest)
            for part in message.parts
            if isinstance(part, ToolReturnPart)
        ]
