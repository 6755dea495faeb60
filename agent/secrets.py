"""What never goes into a stored transcript: a tool's secret arguments and URLs in the person's words.

Feed URLs carry their access token and access notes carry door codes (the registry marks such
arguments `secret_args`). The tool itself received them; the history kept for the next turn (and
`AgentReply.calls`) holds a placeholder instead, and URLs a person typed are cut to scheme and host.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic_ai.messages import ModelMessage, ModelResponse, ToolCallPart, UserPromptPart

from tools.feed_preview import scrub
from tools.registry import Catalog

Secrets = Mapping[str, frozenset[str]]  # tool name -> its secret argument names
PLACEHOLDER = "[secret: not kept]"


def secret_args(catalog: Catalog) -> Secrets:
    return {spec.name: frozenset(spec.meta.secret_args) for spec in catalog if spec.meta.secret_args}


def redact_args(tool: str, args: Mapping[str, Any], secrets: Secrets) -> dict[str, Any]:
    hidden = secrets.get(tool, frozenset())
    return {name: PLACEHOLDER if name in hidden and value else value for name, value in args.items()}


def redact_messages(messages: Sequence[ModelMessage], secrets: Secrets) -> list[ModelMessage]:
    """The messages with secret arguments replaced and URLs in the person's words cut (copies; the run's own
    messages are left alone). A call still waiting for confirmation keeps its arguments: no destructive tool
    takes a secret."""
    return [_redact(message, secrets) for message in messages]


def _redact(message: ModelMessage, secrets: Secrets) -> ModelMessage:
    if isinstance(message, ModelResponse):
        response_parts = [_call(part, secrets) if isinstance(part, ToolCallPart) else part for part in message.parts]
        return dataclasses.replace(message, parts=response_parts)
    request_parts = [_prompt(part) if isinstance(part, UserPromptPart) else part for part in message.parts]
    return dataclasses.replace(message, parts=request_parts)


def _call(part: ToolCallPart, secrets: Secrets) -> ToolCallPart:
    if part.tool_name not in secrets:
        return part
    return ToolCallPart(part.tool_name, redact_args(part.tool_name, part.args_as_dict(), secrets), part.tool_call_id)


def _prompt(part: UserPromptPart) -> UserPromptPart:
    return dataclasses.replace(part, content=scrub(part.content)) if isinstance(part.content, str) else part
