"""`turnover chat`: the console channel, a REPL with the chat command table and the agent.

It runs as the local owner on the console channel (a person at the keyboard: approving is allowed).
Only the standard library is imported at module level, so `turnover --help` stays fast.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

GREETING = "Turnover chat as the local owner. /help lists the commands; /quit leaves."


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    chat = commands.add_parser(
        "chat",
        help="chat with Turnover in the terminal (/help lists the commands)",
        description=(
            "A console chat: /today, /tasks, /approvals, /approve N ... and free text to the assistant when a "
            "model is configured (ANTHROPIC_API_KEY, or TURNOVER_MODEL for any pydantic-ai model). The pipeline "
            "does not run inside it."
        ),
    )
    chat.set_defaults(handler=_chat)


def _chat(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_run())
    except KeyboardInterrupt:  # Ctrl-C ends the chat like /quit does
        print(file=sys.stdout)
        return 0


async def _run() -> int:
    from channels.commands import Session
    from channels.console.notifier import ConsoleNotifier
    from channels.console.repl import Repl
    from domain.hosts import Channel
    from tools.catalog import default_catalog
    from tools.context import ToolContext
    from tools.hosts import ensure_local_owner
    from turnover.bootstrap import bootstrap
    from turnover.logs import log_to_stderr
    from turnover.settings import load_settings

    settings = load_settings()
    log_to_stderr(settings.log_level)  # DEBUG shows why a chat line failed; never SQL parameters or URLs
    async with bootstrap(settings, notifier=ConsoleNotifier(sys.stdout)) as app:
        owner = await ensure_local_owner(app.deps, channel=Channel.CONSOLE)
        session = Session(default_catalog(), ToolContext(app.deps, owner))
        interactive = sys.stdin.isatty()
        if interactive:
            print(GREETING, flush=True)
        options = {"max_tokens": settings.agent_max_tokens, "history_limit": settings.agent_history_messages}
        repl = Repl(session, model=settings.model or None, agent_options=options, prompt="> " if interactive else "")
        return await repl.run(sys.stdin, sys.stdout)
