"""Destructive tools wait for the person's yes: the question, the pending call, and how it is answered.

A tool marked `destructive` (cancel a task or a hire, remove a feed) is not run when the model calls
it: `agent.toolset` raises `ApprovalRequired` with `CONFIRM_KEY` in its metadata, the run ends with
`DeferredToolRequests`, and `agent.chat` asks the person a plain question built here from the tool
and its arguments. The call stays open at the end of the thread's stored history (pydantic-ai's own
messages). The thread's next message answers it, and only that message: "yes" (or y, ok, confirm,
/confirm) resumes the run with the call approved, anything else with it denied, and that message is
then handled as a new request. Spending is never confirmed here: approval cards stay with people.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from pydantic_ai import DeferredToolResults, ToolDenied
from pydantic_ai.messages import ModelMessage, ModelResponse, RetryPromptPart, ToolCallPart, ToolReturnPart

from domain.errors import TurnoverError
from tools.registry import Catalog, ToolSpec

CONFIRM_KEY = "confirm"  # in a deferred call's metadata: the person must confirm it in the chat
AFFIRMATIVE = frozenset({"yes", "y", "confirm", "ok", "/confirm"})
DENIED = "The person did not confirm."
REPLY_HINT = "Reply yes to go ahead, anything else to drop it."


def affirmative(text: str) -> bool:
    """Whether a message says yes to a pending confirmation (trimmed, any case, a final . or ! allowed)."""
    return text.strip().rstrip(".!").strip().lower() in AFFIRMATIVE


def open_calls(history: Sequence[ModelMessage]) -> list[ToolCallPart]:
    """The calls of the history's last model response that nothing answered yet: the pending confirmations."""
    last = next((i for i in range(len(history) - 1, -1, -1) if isinstance(history[i], ModelResponse)), None)
    if last is None:
        return []
    answered = {
        part.tool_call_id
        for message in history[last + 1 :]
        for part in message.parts
        if isinstance(part, ToolReturnPart | RetryPromptPart)
    }
    calls = [part for part in history[last].parts if isinstance(part, ToolCallPart)]
    return [call for call in calls if call.tool_call_id not in answered]


def answers(catalog: Catalog, pending: Sequence[ToolCallPart], *, yes: bool) -> DeferredToolResults:
    """Approve the pending destructive calls when the person said yes; deny everything else."""
    results = DeferredToolResults()
    for call in pending:
        approve = yes and _destructive(catalog, call.tool_name)
        results.approvals[call.tool_call_id] = True if approve else ToolDenied(DENIED)
    return results


def question(catalog: Catalog, calls: Sequence[ToolCallPart]) -> str:
    """What the person is asked: exactly the calls that would run, each with what its tool does."""
    if len(calls) == 1:
        [one] = calls
        parts = [f"Confirm: {describe(catalog, one)}?", _what(catalog, one.tool_name), REPLY_HINT]
        return " ".join(part for part in parts if part)
    lines = [f"- {describe(catalog, call)}: {_what(catalog, call.tool_name)}" for call in calls]
    return "\n".join(["Confirm all of these?", *lines, "Reply yes to go ahead with all, anything else to drop them."])


def dropped(catalog: Catalog, calls: Sequence[ToolCallPart]) -> str:
    """The note when the person did not say yes."""
    return "Not done, as you did not confirm: " + "; ".join(describe(catalog, call) for call in calls) + "."


def describe(catalog: Catalog, call: ToolCallPart) -> str:
    """`cancel_task task_12 (reason: guest left early)`: the tool, its id argument bare, the others named."""
    args = call.args_as_dict()
    spec = _spec(catalog, call.tool_name)
    if spec is not None:
        with contextlib.suppress(TurnoverError):  # else shown as the model sent them
            args = spec.validate(args)
    shown = {name: value for name, value in args.items() if value is not None and value != ""}
    first = next(iter(shown), None)
    head = [call.tool_name]
    if first is not None and first.endswith("_id") and isinstance(shown[first], str):
        head.append(shown.pop(first))
    named = ", ".join(f"{name}: {_value(value)}" for name, value in shown.items())
    return " ".join(head) + (f" ({named})" if named else "")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _what(catalog: Catalog, name: str) -> str:
    """The first sentence of the tool's description (what a person reads about it)."""
    spec = _spec(catalog, name)
    if spec is None:
        return ""
    summary = spec.summary
    cut = summary.find(". ")
    return summary[: cut + 1] if cut >= 0 else summary


def _destructive(catalog: Catalog, name: str) -> bool:
    spec = _spec(catalog, name)
    return spec is not None and spec.meta.destructive and not spec.meta.needs_approval


def _spec(catalog: Catalog, name: str) -> ToolSpec | None:
    return catalog.get(name) if name in catalog else None
