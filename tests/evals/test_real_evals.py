"""The evals against the configured model: only when asked (TURNOVER_EVALS=1) and the model can be used
(ANTHROPIC_API_KEY for the default one), so `make test` never calls a model or the network.

Skipped otherwise: agent tests never need a model. `make evals` prints the same run case by case.
"""

from __future__ import annotations

import os

import pytest

from agent import model_ready
from tests.evals.cases import load_cases
from tests.evals.run import pass_rate, run_all
from turnover.settings import load_settings

MIN_PASS_RATE = 0.8


async def test_the_configured_model_passes_most_eval_cases() -> None:
    if os.environ.get("TURNOVER_EVALS") != "1":
        pytest.skip("real-model evals run only with TURNOVER_EVALS=1 (or `make evals`)")
    settings = load_settings()
    hint = model_ready(settings.model)
    if hint is not None:
        pytest.skip(f"evals need a usable model: {hint}")
    results = await run_all(load_cases(), settings.model, max_tokens=settings.agent_max_tokens)
    failed = [r.case.name for r in results if not r.passed]
    assert pass_rate(results) >= MIN_PASS_RATE, f"failed: {failed}"
