"""`turnover chat`: a console REPL over the chat command table and, when a model is set, the agent.

Lines starting with `/` go to the command table (the same one the Slack and Telegram bots use);
free text goes to the agent when a model is configured, else a one-line hint. `agent` (and so
pydantic-ai) is imported only when free text arrives, so the chat starts fast. The chat ends on
end of input, `/quit` or Ctrl-C. The pipeline does not run here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Mapping
from typing import Any, TextIO

from channels.commands import CommandTable, Session, default_commands
from domain.errors import TurnoverError

log = logging.getLogger(__name__)

NO_MODEL = (
    "Natural-language chat needs a model: set ANTHROPIC_API_KEY or TURNOVER_MODEL=...; "
    "commands work without one, try /help"
)
HELP_FOOTER = (
    "/quit leaves (so do Ctrl-C and Ctrl-D). Anything that does not start with / goes to the assistant\n"
    "when a model is configured. The pipeline (sync, plan, hire) does not run inside `turnover chat`:\n"
    "`turnover demo` or the service runs it."
)
QUIT = frozenset({"/quit", "/exit", "/q"})


def console_commands() -> CommandTable:
    return default_commands(help_footer=HELP_FOOTER)


class Repl:
    """Reads lines from one stream and answers on another (both injectable, for tests).

    `model` is a pydantic-ai model string (checked with `agent.model_ready` when free text first
    arrives), a model object (tests pass a `FunctionModel`), or None for commands only.
    """

    def __init__(
        self,
        session: Session,
        *,
        model: Any = None,  # str | pydantic_ai Model | None (pydantic-ai stays inside agent/)
        agent_options: Mapping[str, Any] | None = None,
        table: CommandTable | None = None,
        prompt: str = "",
    ) -> None:
        self.session = session
        self.model = model
        self.agent_options = dict(agent_options or {})  # build_agent's keywords: max_tokens, history_limit
        self.table = table or console_commands()
        self.prompt = prompt
        self._agent: Any = None
        self._model_hint: str | None = None if model is not None else NO_MODEL

    @property
    def thread(self) -> str:
        return f"console:{self.session.ctx.actor.member_id}"

    async def run(self, stdin: TextIO, stdout: TextIO) -> int:
        """Answer every line until the input ends or the person quits. Returns the exit code (0)."""
        while True:
            if self.prompt:
                stdout.write(self.prompt)
                stdout.flush()
            line = await read_line(stdin)
            if not line:
                if self.prompt:
                    stdout.write("\n")  # Ctrl-D leaves the cursor on the prompt
                return 0
            text = line.strip()
            if not text:
                continue
            if text.lower() in QUIT:
                return 0
            print(await self.answer(text), file=stdout, flush=True)

    async def answer(self, text: str) -> str:
        """A command's text, or the agent's reply; one line when something fails, and the chat goes on."""
        try:
            if text.startswith("/"):
                return (await self.table.respond(self.session, text)).text  # domain errors: a friendly line
            return await self.chat(text)
        except TurnoverError as exc:
            return str(exc)
        except Exception as exc:  # a model, its transport or a bug: say so in one line, keep the chat going
            log.debug("a chat line failed", exc_info=True)  # TURNOVER_LOG_LEVEL=DEBUG shows the traceback
            detail = (str(exc).strip().splitlines() or [""])[0][:200]
            return f"That failed unexpectedly ({type(exc).__name__}{': ' + detail if detail else ''})."

    async def chat(self, text: str) -> str:
        """Free text: the agent's reply, or the hint when no model is usable."""
        if self._agent is None:
            if self._model_hint is None and isinstance(self.model, str):
                from agent import model_ready

                hint = model_ready(self.model)
                self._model_hint = None if hint is None else f"{hint} Commands work without a model: try /help."
            if self._model_hint is not None:
                return self._model_hint
            from agent import build_agent

            self._agent = build_agent(self.session.catalog, self.model, **self.agent_options)
        from agent import reply

        answer = await reply(self._agent, self.session.ctx, thread=self.thread, text=text)
        return render_reply(answer)


def render_reply(answer: Any) -> str:
    """The agent's text, and a pointer to the approval cards it opened."""
    text: str = answer.text.strip()
    waiting = len(answer.approvals or ())
    if waiting:
        cards = "an approval" if waiting == 1 else f"{waiting} approvals"
        text += f"\n({cards} now waiting for you: /approvals)"
    return text


async def read_line(stream: TextIO) -> str:
    """One line of `stream` ("" at its end) without blocking the event loop.

    A daemon thread reads, so Ctrl-C (which cancels the task awaiting here) never waits for Enter,
    and an abandoned read does not hold the process open at exit.
    """
    loop = asyncio.get_running_loop()
    done: asyncio.Future[str] = loop.create_future()

    def deliver(line: str, error: BaseException | None) -> None:
        if done.done():
            return
        if error is None:
            done.set_result(line)
        else:
            done.set_exception(error)

    def work() -> None:
        try:
            line, error = stream.readline(), None
        except Exception as exc:  # handed to the awaiting task
            line, error = "", exc
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody is waiting
            loop.call_soon_threadsafe(deliver, line, error)

    threading.Thread(target=work, name="console-input", daemon=True).start()
    return await done
