"""The eval cases stay sound (tools that exist, arguments they take) and the runner judges calls right."""

from __future__ import annotations

import pydantic_ai.models
import pytest
from inline_snapshot import snapshot

from tests.agent.script import Script, call
from tests.evals.cases import Case, load_cases, missing_calls, problems
from tests.evals.run import main, run_case
from tests.evals.world import REFS, seeded_world
from tools.catalog import default_catalog


@pytest.fixture(autouse=True)
def no_model_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pydantic_ai.models, "ALLOW_MODEL_REQUESTS", False)


def test_every_eval_file_is_well_formed_and_names_only_tools_the_model_is_offered() -> None:
    cases = load_cases()
    assert len(cases) >= 10
    assert problems(cases, default_catalog(), set(REFS)) == []


def test_a_case_naming_a_humans_only_tool_or_a_wrong_argument_is_reported() -> None:
    bad = [
        Case(name="approve", request="approve it", expect=[{"tool": "decide_approval"}]),
        Case(name="typo", request="list them", expect=[{"tool": "list_tasks", "args": {"statuss": "planned"}}]),
        Case(name="ref", request="add a feed", expect=[{"tool": "add_feed", "args": {"property_id": "{nowhere}"}}]),
    ]
    assert problems(bad, default_catalog(), set(REFS)) == snapshot(
        [
            "approve: decide_approval is not a tool the model is offered",
            "typo: list_tasks takes no argument statuss",
            "ref: unknown placeholder {nowhere}",
        ]
    )


CASE = Case(
    name="raise_the_auto_approve_limit",
    request="Raise the auto-approve limit of the Alfama loft to 150.",
    expect=[
        {"tool": "list_properties"},
        {"tool": "update_property", "args": {"property_id": "{alfama}", "auto_approve_limit": 150}},
    ],
)
REFS_OF_A_WORLD = {"alfama": "prop_3"}


@pytest.mark.parametrize(
    ("calls", "missing"),
    [
        ([("list_properties", {}), ("update_property", {"property_id": "prop_3", "auto_approve_limit": "150.00"})], []),
        (
            [
                ("list_properties", {"limit": 5}),
                ("get_property", {}),
                ("update_property", {"property_id": "PROP_3", "auto_approve_limit": 150.0}),
            ],
            [],
        ),
        (
            [("update_property", {"property_id": "prop_3", "auto_approve_limit": 150}), ("list_properties", {})],
            ["update_property"],
        ),
        (
            [("list_properties", {}), ("update_property", {"property_id": "prop_3", "auto_approve_limit": 140})],
            ["update_property"],
        ),
        ([], ["list_properties", "update_property"]),
    ],
)
def test_expected_calls_match_in_order_as_a_subset_of_the_arguments(
    calls: list[tuple[str, dict[str, object]]], missing: list[str]
) -> None:
    assert [e.tool for e in missing_calls(CASE, calls, default_catalog(), REFS_OF_A_WORLD)] == missing


def test_a_default_argument_left_out_still_matches() -> None:
    case = Case(name="feed", request="connect it", expect=[{"tool": "add_feed", "args": {"platform": "airbnb"}}])
    calls = [("add_feed", {"property_id": "prop_3", "url": "https://www.airbnb.com/calendar/ical/1.ics"})]
    assert missing_calls(case, calls, default_catalog(), {}) == []


async def test_the_runner_passes_a_model_that_makes_the_expected_calls() -> None:
    refs = (await seeded_world()).refs
    script = Script(
        [call("list_properties")],
        [call("update_property", property_id=refs["alfama"], auto_approve_limit="150")],
        "Done: the limit is 150.",
    )
    result = await run_case(CASE, script.model)
    assert (result.passed, [tool for tool, _ in result.calls]) == (True, ["list_properties", "update_property"])


async def test_the_runner_fails_a_model_that_does_not() -> None:
    result = await run_case(CASE, Script([call("list_properties")], "The limit is 120.").model)
    assert (result.passed, [e.tool for e in result.missing]) == (False, ["update_property"])


def test_without_a_key_the_evals_say_they_are_skipped_and_exit_0(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("TURNOVER_MODEL", raising=False)
    assert main([]) == 0
    assert capsys.readouterr().out == snapshot(
        "Evals skipped: The model anthropic:claude-sonnet-4-6 needs the ANTHROPIC_API_KEY environment variable. "
        "Or set TURNOVER_MODEL to another pydantic-ai model, e.g. ollama:llama3.2.\n"
    )
