"""The channel-facing call: one message of a chat thread in, the agent's answer out.

```python
answer = await reply(agent, ctx, thread="slack:T1:C1:1700000000.1", text="Book Ana for Friday's clean")
answer.text         # what to show the person
answer.approvals    # approval ids the run proposed (cards waiting for an approver)
answer.tool_calls   # the tools the model called, in order
answer.confirm      # a destructive call waiting for the person's yes: the question (None otherwise)
```
The thread's history is loaded first and saved after (trimmed, per host). A call that needs a
person's approval (see `agent.toolset`) is never run: it becomes an approval card through the
gate's `propose` tool, and the answer says it waits for an approver, with the worker and price.
A destructive call (cancel, remove) is not run either: the answer asks the person to confirm it,
and the thread's next message says yes or drops it (`agent.confirm`).
A model that cannot be reached, or misbehaves, gives an answer saying so, and nothing is saved
(except that a pending confirmation it answered is closed).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field
from pydantic_ai import (
    AgentRunError,
    DeferredToolRequests,
    ModelAPIError,
    UnexpectedModelBehavior,
    UsageLimitExceeded,
    UserError,
    capture_run_messages,
)
from pydantic_ai.messages import ModelMessage, ModelRequest, ModelResponse, TextPart, ToolCallPart, ToolReturnPart

from agent.confirm import CONFIRM_KEY, affirmative, answers, dropped, open_calls, question
from agent.core import TurnoverAgent, TurnoverOutput
from agent.history import load_history, save_history
from agent.secrets import secret_args
from agent.toolset import PROPOSE_KEY, agent_context
from domain.conversations import check_thread
from domain.errors import TurnoverError
from tools.context import ToolContext
from tools.registry import Catalog

log = logging.getLogger(__name__)
NOT_RUN = "Not run: the chat failed before it could."


class ToolCall(BaseModel):
    """One tool call the model made (or the agent made for it: a proposal), with its arguments."""

    tool: str
    args: dict[str, Any] = Field(default_factory=dict)


class AgentReply(BaseModel):
    """The agent's answer to one message, for a channel to render."""

    text: str
    approvals: list[str] = Field(default_factory=list)  # approval ids proposed in this run
    tool_calls: list[str] = Field(default_factory=list)  # tool names, in the order they were called
    calls: list[ToolCall] = Field(default_factory=list)  # the same calls with their arguments (evals); may hold
    # secrets (a feed URL): never log or store them, the stored history keeps them redacted
    failed: bool = False  # the model could not finish (unreachable, misbehaving): `text` says so
    confirm: str | None = None  # a destructive call waits for the person's yes: the question (also in `text`)


async def reply(agent: TurnoverAgent, ctx: ToolContext, *, thread: str, text: str) -> AgentReply:
    """Answer one message of `thread` for `ctx.actor`; tools run as that member on the agent channel.

    When the thread's last answer asked to confirm a destructive call, this message answers it (see
    `agent.confirm`): the run resumes with the call approved on a yes, denied otherwise, and goes on
    with this message as a request.
    """
    thread = check_thread(thread)
    secrets = secret_args(agent.catalog)
    history = await load_history(ctx, thread)
    pending = open_calls(history)
    results = answers(agent.catalog, pending, yes=affirmative(text)) if pending else None
    ran = [_call(c) for c in pending if results is not None and results.approvals[c.tool_call_id] is True]
    with capture_run_messages() as captured:
        try:
            result = await agent.agent.run(text, deps=ctx, message_history=history, deferred_tool_results=results)
        except (AgentRunError, UserError) as exc:
            failed = _failed(agent, exc, thread, captured[len(history) :], ran)
            if pending:  # the question was answered all the same: close it, never carry it further
                closed = [*history, *_closed(pending, captured, failed.text)]
                await save_history(ctx, thread, closed, limit=agent.history_limit, secrets=secrets)
            return failed
    answer, closing = await _answer(agent, ctx, result.new_messages(), result.output, ran)
    if pending and not ran:
        answer.text = f"{dropped(agent.catalog, pending)}\n{answer.text}".strip()
    await save_history(ctx, thread, [*result.all_messages(), *closing], limit=agent.history_limit, secrets=secrets)
    return answer


async def _answer(
    agent: TurnoverAgent, ctx: ToolContext, new: list[ModelMessage], output: TurnoverOutput, ran: list[ToolCall]
) -> tuple[AgentReply, list[ModelMessage]]:
    """The reply to a finished run, and the messages that close its deferred calls in the history.

    A money call is closed with what became of it (a card); a call waiting for a yes stays open.
    """
    calls = [*ran, *_calls(new)]
    closing: list[ModelMessage] = []
    confirm = None
    if isinstance(output, DeferredToolRequests):
        done = await _propose(agent, ctx, output)
        confirm = question(agent.catalog, done.confirm) if done.confirm else None
        text = "\n".join(line for line in [_last_text(new), *done.lines, confirm] if line)
        closing = [ModelRequest(parts=done.returns)] if done.returns else []
        if confirm is None:  # nothing stays open: the answer ends the turn
            closing.append(ModelResponse(parts=[TextPart(text)]))
        new, calls = [*new, *closing], [*calls, *done.calls]
    else:
        text = output
    approvals = _approvals(agent.catalog, new)
    tools = [c.tool for c in calls]
    return AgentReply(text=text.strip(), approvals=approvals, tool_calls=tools, calls=calls, confirm=confirm), closing


def _failed(
    agent: TurnoverAgent, exc: Exception, thread: str, messages: list[ModelMessage], ran: list[ToolCall]
) -> AgentReply:
    """The answer when the model could not finish: why, and the calls made before (nothing is saved,
    but a confirmation it answered, which is closed)."""
    log.warning("The model failed in chat thread %s: %s", thread, type(exc).__name__)
    calls = [*ran, *_calls(messages)]
    text = f"I could not finish that: {_reason(exc)}"
    if calls:
        text += " Some steps may have been done already: ask me what happened."
    return AgentReply(
        text=text,
        tool_calls=[c.tool for c in calls],
        calls=calls,
        approvals=_approvals(agent.catalog, messages),
        failed=True,
    )


def _closed(pending: list[ToolCallPart], captured: list[ModelMessage], text: str) -> list[ModelMessage]:
    """What closes pending calls after a failed run: each one's result if it ran, else that it did not."""
    results = {part.tool_call_id: part for part in _parts(captured, ToolReturnPart)}
    returns = [
        results.get(call.tool_call_id) or ToolReturnPart(call.tool_name, NOT_RUN, tool_call_id=call.tool_call_id)
        for call in pending
    ]
    return [ModelRequest(parts=returns), ModelResponse(parts=[TextPart(text)])]


def _call(part: ToolCallPart) -> ToolCall:
    return ToolCall(tool=part.tool_name, args=part.args_as_dict())


def _calls(messages: list[ModelMessage]) -> list[ToolCall]:
    return [_call(part) for part in _parts(messages, ToolCallPart)]


@dataclass
class _Proposals:
    returns: list[ToolReturnPart] = field(default_factory=list)  # closes each deferred call: what became of it
    lines: list[str] = field(default_factory=list)  # one line per call for the person
    calls: list[ToolCall] = field(default_factory=list)  # the proposals made for them
    confirm: list[ToolCallPart] = field(default_factory=list)  # calls left open for the person's yes


async def _propose(agent: TurnoverAgent, ctx: ToolContext, requests: DeferredToolRequests) -> _Proposals:
    """Turn each deferred money call into an approval card with its gate's `propose` tool (never run the
    call); leave the ones waiting for a confirmation open."""
    agent_ctx = agent_context(ctx)
    done = _Proposals()
    for call in [*requests.approvals, *requests.calls]:
        meta = requests.metadata.get(call.tool_call_id, {})
        if meta.get(CONFIRM_KEY):
            done.confirm.append(call)
            continue
        target = meta.get(PROPOSE_KEY)
        content: Any
        if target is None:  # not one of ours: nothing raises another kind of deferral
            content = line = f"Not run: {call.tool_name} needs a person."
        else:
            try:
                card = await agent.catalog.call(target, agent_ctx, call.args_as_dict())
            except TurnoverError as err:
                content = line = f"Not booked, and not proposed either: {err}"
            else:
                content, line = {"outcome": "not booked: sent to an approver", target: card}, _waiting(card)
                done.calls.append(ToolCall(tool=target, args=call.args_as_dict()))
        done.lines.append(line)
        done.returns.append(ToolReturnPart(call.tool_name, content, tool_call_id=call.tool_call_id))
    return done


def _waiting(card: Any) -> str:
    if not isinstance(card, dict):
        return "Sent to an approver."
    who, price, approval = card.get("worker_name") or card.get("worker_id"), card.get("price"), card.get("approval_id")
    task = card.get("task_id")
    return (
        f"Above the auto-approve limit, so not booked: {who} at {price} for task {task} "
        f"waits for an approver (approval {approval})."
    )


def _approvals(catalog: Catalog, messages: list[ModelMessage]) -> list[str]:
    """Approval ids in the results of money tools (a proposal, or a booking the domain turned into a
    card); a listing that mentions an older card is not a proposal."""
    money = {spec.name for spec in catalog if spec.meta.spends_money}
    found: list[str] = []
    for part in _parts(messages, ToolReturnPart):
        if part.tool_name not in money:
            continue
        for value in _dicts(part.content):
            approval = value.get("approval_id")
            if isinstance(approval, str) and approval and approval not in found:
                found.append(approval)
    return found


def _dicts(content: Any) -> list[dict[str, Any]]:
    if isinstance(content, dict):
        return [content, *[d for v in content.values() for d in _dicts(v)]]
    if isinstance(content, list):
        return [d for item in content for d in _dicts(item)]
    return []


def _parts(messages: list[ModelMessage], kind: type[Any]) -> list[Any]:
    return [part for message in messages for part in message.parts if isinstance(part, kind)]


def _last_text(messages: list[ModelMessage]) -> str:
    responses = [m for m in messages if isinstance(m, ModelResponse)]
    if not responses:
        return ""
    return "\n".join(p.content for p in responses[-1].parts if isinstance(p, TextPart)).strip()


def _reason(exc: Exception) -> str:
    """What went wrong, for a person (the library's own text is written for developers)."""
    if isinstance(exc, UsageLimitExceeded):
        return "it needed too many steps."
    if isinstance(exc, ModelAPIError):
        status = getattr(exc, "status_code", None)
        return "the model service did not answer" + (f" (HTTP {status})." if status else ".")
    if isinstance(exc, UnexpectedModelBehavior):
        return "the model kept calling the tools the wrong way."
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if text.endswith(".") else f"{text}."
