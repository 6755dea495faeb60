"""The console REPL driven with in-memory streams: commands, free text with and without a model."""

from __future__ import annotations

import io
from datetime import date

import pydantic_ai.models
import pytest
from inline_snapshot import snapshot

from channels.console.repl import Repl
from scheduler.plan import plan_tasks
from scheduler.sync import sync_feeds
from tests.agent.script import Script, call
from tests.channels.test_commands import busy_day, session
from tests.conftest import World


@pytest.fixture(autouse=True)
def no_model_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pydantic_ai.models, "ALLOW_MODEL_REQUESTS", False)


async def chat(repl: Repl, *lines: str) -> str:
    out = io.StringIO()
    assert await repl.run(io.StringIO("".join(f"{line}\n" for line in lines)), out) == 0
    return out.getvalue()


async def test_commands_are_answered_until_quit(world: World) -> None:
    repl = Repl(await busy_day(world))
    assert await chat(repl, "/approvals", "", "/approve 1", "/quit", "/help") == snapshot("""\
1 approval waiting:
  1. Worker w1 for clean at Graça studio, Sun 29 Nov 11:00: 75.00 (above the auto-approve limit of 50); decide within 24 h
/approve N or /decline N, with a note if you like.
Approved by Owner via console: Worker w1 for clean at Graça studio, 75.00. Booked.
""")  # noqa: E501


async def test_the_end_of_input_ends_the_chat_and_the_prompt_is_written_before_each_line(world: World) -> None:
    assert await chat(Repl(session(world), prompt="> "), "/hires") == snapshot("> No hires yet.\n> \n")


async def test_help_in_the_console_says_how_to_leave_and_that_the_pipeline_does_not_run_here(world: World) -> None:
    out = await chat(Repl(session(world)), "/help")
    assert out.splitlines()[-3:] == snapshot(
        [
            "/quit leaves (so do Ctrl-C and Ctrl-D). Anything that does not start with / goes to the assistant",
            "when a model is configured. The pipeline (sync, plan, hire) does not run inside `turnover chat`:",
            "`turnover demo` or the service runs it.",
        ]
    )


async def test_free_text_without_a_model_gets_the_one_line_hint(world: World) -> None:
    assert await chat(Repl(session(world)), "what is on today?") == snapshot(
        "Natural-language chat needs a model: set ANTHROPIC_API_KEY or TURNOVER_MODEL=...; "
        "commands work without one, try /help\n"
    )


async def test_a_model_that_cannot_be_used_is_explained_and_commands_still_work(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    out = await chat(Repl(session(world), model="anthropic:claude-sonnet-4-6"), "hello", "/hires")
    hint, answer = out.splitlines()
    assert "ANTHROPIC_API_KEY" in hint and hint.endswith("Commands work without a model: try /help.")
    assert answer == "No hires yet."


async def test_free_text_goes_to_the_agent_and_its_reply_is_printed(world: World) -> None:
    script = Script([call("list_properties")], "You have one property: Alfama loft in Lisbon.")
    out = await chat(Repl(session(world), model=script.model), "what do I have?")
    assert out == snapshot("You have one property: Alfama loft in Lisbon.\n")
    [(tool, returned)] = script.returns()
    assert tool == "list_properties" and [p["name"] for p in returned] == ["Alfama loft"]


async def test_a_hire_the_agent_proposes_waits_for_the_person_who_approves_it_with_a_command(world: World) -> None:
    world.publish(("a", date(2026, 11, 26), 2))
    await sync_feeds(world.deps, force=True)
    await plan_tasks(world.deps)
    s = session(world)
    [task] = await s.call("list_tasks")
    script = Script([call("propose_hire", task_id=task["id"], human_id="w2")], "I proposed Worker w2 for the clean.")
    out = await chat(Repl(s, model=script.model), "get someone for Saturday's clean", "/approve 1")
    assert out == snapshot("""\
I proposed Worker w2 for the clean.
(an approval now waiting for you: /approvals)
Approved by Owner via console: Worker w2 for clean at Alfama loft, 75.00. Booked.
""")
