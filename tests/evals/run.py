"""Run the evals against a real model: `make evals`, or `python -m tests.evals.run [--model M] [--case NAME]`.

Each case starts from a fresh seeded world (`tests/evals/world.py`), sends its request to the agent
built with `Settings.model` (or `--model`), and compares the tool calls made with the expected ones
(`tests/evals/cases.py`). Prints one line per case and the pass rate. When the model cannot be used
(no ANTHROPIC_API_KEY for the default model), it says so and exits 0: the evals are skipped.
Exit 1 only when `--min-pass-rate` is given and not reached.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass, field
from typing import Any

from agent import build_agent, model_ready, reply
from tests.evals.cases import Case, Expect, load_cases, missing_calls
from tests.evals.world import seeded_world
from tools.catalog import default_catalog
from turnover.settings import load_settings


@dataclass
class Result:
    case: Case
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    missing: list[Expect] = field(default_factory=list)
    error: str = ""

    @property
    def passed(self) -> bool:
        return not self.missing and not self.error


async def run_case(case: Case, model: Any, *, max_tokens: int = 2048) -> Result:
    """One case in a fresh world. `model` is a model string or a pydantic-ai Model (tests script one)."""
    world = await seeded_world()
    catalog = default_catalog()
    agent = build_agent(catalog, model, max_tokens=max_tokens)
    answer = await reply(agent, world.ctx, thread=f"eval:{case.name}", text=case.request)
    calls = [(call.tool, call.args) for call in answer.calls]
    result = Result(case=case, calls=calls, missing=missing_calls(case, calls, catalog, world.refs))
    if answer.failed:
        result.error = answer.text
    return result


async def run_all(cases: list[Case], model: Any, *, max_tokens: int = 2048) -> list[Result]:
    results = []
    for case in cases:
        result = await run_case(case, model, max_tokens=max_tokens)
        print(_line(result), flush=True)
        results.append(result)
    return results


def pass_rate(results: list[Result]) -> float:
    return sum(r.passed for r in results) / len(results) if results else 0.0


def _line(result: Result) -> str:
    made = ", ".join(tool for tool, _ in result.calls) or "no tool"
    if result.passed:
        return f"PASS {result.case.name}: {made}"
    why = result.error or "missing " + ", ".join(f"{e.tool}{e.args or ''}" for e in result.missing)
    return f"FAIL {result.case.name}: {why} (made: {made})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.evals.run", description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a pydantic-ai model string (default: TURNOVER_MODEL / Settings.model)")
    parser.add_argument("--case", action="append", default=[], help="run only this case (repeatable)")
    parser.add_argument("--min-pass-rate", type=float, default=None, help="exit 1 below this rate (0-1)")
    args = parser.parse_args(argv)
    settings = load_settings()
    model = args.model or settings.model
    hint = model_ready(model)
    if hint is not None:
        print(f"Evals skipped: {hint}")
        return 0
    cases = [c for c in load_cases() if not args.case or c.name in args.case]
    print(f"Running {len(cases)} eval cases against {model}")
    results = asyncio.run(run_all(cases, model, max_tokens=settings.agent_max_tokens))
    rate = pass_rate(results)
    print(f"Pass rate: {sum(r.passed for r in results)}/{len(results)} ({rate:.0%})")
    return 1 if args.min_pass_rate is not None and rate < args.min_pass_rate else 0


if __name__ == "__main__":
    sys.exit(main())
