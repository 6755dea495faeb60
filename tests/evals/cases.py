"""Eval cases: a host's request and the tool calls a good answer makes, read from `tests/evals/*.yaml`.

```yaml
- name: raise_the_auto_approve_limit
  request: Raise the auto-approve limit of the Alfama loft to 150.
  expect:
    - tool: update_property
      args: {property_id: "{alfama}", auto_approve_limit: 150}
```
`expect` lists calls the model must make, in this order, among any others it makes. `args` is a
subset: each named argument must be there, with an equal value once both sides are read as the
tool reads them (defaults filled in, "150" and 150.0 equal, strings compared without case).
`{name}` in a string stands for an id of the seeded world (`tests/evals/world.py`).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from domain.errors import TurnoverError
from tools.registry import Catalog

HERE = Path(__file__).resolve().parent
PLACEHOLDER = re.compile(r"\{(\w+)\}")


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tool: str
    args: dict[str, Any] = Field(default_factory=dict)


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9_]+$")
    request: str = Field(min_length=3)
    expect: list[Expect] = Field(min_length=1)


def load_cases(folder: Path = HERE) -> list[Case]:
    """Every case of every YAML file in `folder`, in file then list order."""
    cases: list[Case] = []
    for path in sorted(folder.glob("*.yaml")):
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(items, list):
            raise ValueError(f"{path.name}: a list of cases is expected")
        cases += [Case.model_validate(item) for item in items]
    return cases


def problems(cases: list[Case], catalog: Catalog, refs: set[str]) -> list[str]:
    """Why a case could never pass: a tool the model is not offered, an argument it does not take,
    an unknown `{placeholder}`, a name used twice. Empty when the cases are sound."""
    found: list[str] = []
    offered = {spec.name: spec for spec in catalog.for_models()}
    names = [case.name for case in cases]
    found += [f"{name}: the name is used twice" for name in sorted({n for n in names if names.count(n) > 1})]
    for case in cases:
        for expect in case.expect:
            spec = offered.get(expect.tool)
            if spec is None:
                found.append(f"{case.name}: {expect.tool} is not a tool the model is offered")
                continue
            params = set(spec.arguments.model_fields)
            found += [f"{case.name}: {expect.tool} takes no argument {arg}" for arg in expect.args if arg not in params]
            unknown = {p for value in expect.args.values() for p in PLACEHOLDER.findall(str(value))} - refs
            found += [f"{case.name}: unknown placeholder {{{p}}}" for p in sorted(unknown)]
    return found


def missing_calls(
    case: Case, calls: list[tuple[str, dict[str, Any]]], catalog: Catalog, refs: dict[str, str]
) -> list[Expect]:
    """The expected calls not found among `calls` (tool, arguments), matched in order."""
    remaining = list(calls)
    for i, expect in enumerate(case.expect):
        wanted = _resolve(expect.args, refs)
        at = next(
            (
                j
                for j, (tool, args) in enumerate(remaining)
                if tool == expect.tool and _has(catalog, tool, args, wanted)
            ),
            None,
        )
        if at is None:
            return case.expect[i:]
        remaining = remaining[at + 1 :]
    return []


def _resolve(value: Any, refs: dict[str, str]) -> Any:
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda m: refs.get(m.group(1), m.group(0)), value)
    if isinstance(value, dict):
        return {k: _resolve(v, refs) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, refs) for v in value]
    return value


def _has(catalog: Catalog, tool: str, args: dict[str, Any], wanted: dict[str, Any]) -> bool:
    try:
        read = catalog.get(tool).validate(args)  # as the tool reads them, defaults filled in
    except TurnoverError:
        read = args
    return all(name in read and _same(read[name], value) for name, value in wanted.items())


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(actual, Enum):
        actual = actual.value
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    number_a, number_e = _number(actual), _number(expected)
    if number_a is not None and number_e is not None:
        return number_a == number_e
    if isinstance(expected, str):
        return str(actual).strip().casefold() == expected.strip().casefold()
    if isinstance(expected, list) and isinstance(actual, list | tuple):
        return len(actual) == len(expected) and all(_same(a, e) for a, e in zip(actual, expected, strict=True))
    return bool(actual == expected)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
