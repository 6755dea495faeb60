"""Fault rules (`rentahuman-api.md` §10): which request meets which failure, and the webhook failure budget.

A rule matches on `method` and `path` (exact, or a prefix ending in `*`); `times` matching requests
meet it (null: all of them), each with `probability` drawn from the sandbox's seeded `chance` RNG
(no draw at 1.0). Latency rules stack; after them the first other matching rule applies. The
`edge` middleware carries the faults out; `webhook_fail` is drawn on by the webhook deliverer.
Faults never touch `/_sim`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import Field

from integrations.rentahuman.sandbox.models import _Body, not_found, parse_body
from integrations.rentahuman.sandbox.sim_models import FaultRule


class LatencyParams(_Body):
    ms: float = Field(default=100, ge=0, le=600_000)


class ErrorParams(_Body):
    status: Literal[500, 502, 503] = 500


class RateLimitParams(_Body):
    reset_in_seconds: float = Field(default=1, alias="resetInSeconds", ge=0)
    reset_style: Literal["epoch", "delta"] = Field(default="epoch", alias="resetStyle")
    retry_after: bool = Field(default=False, alias="retryAfter")


class TimeoutParams(_Body):
    ms: float = Field(default=120_000, ge=0, le=3_600_000)


class DropParams(_Body):
    mode: Literal["reset", "hang"] = "reset"


class AfterCommitParams(_Body):
    status: int = Field(default=500, ge=500, le=599)


class WebhookFailParams(_Body):
    status: int = Field(default=500, ge=400, le=599)
    count: int = Field(default=1, ge=1)


PARAMS: dict[str, type[_Body]] = {
    "latency": LatencyParams, "error": ErrorParams, "rate_limit": RateLimitParams, "timeout": TimeoutParams,
    "drop_after_commit": DropParams, "error_after_commit": AfterCommitParams, "webhook_fail": WebhookFailParams,
}  # fmt: skip


@dataclass(slots=True)
class Fault:
    id: str
    rule: FaultRule
    params: Any  # the kind's params model
    remaining: int | None  # None: unlimited
    hits: int = 0

    @property
    def kind(self) -> str:
        return self.rule.kind

    def matches(self, method: str, path: str) -> bool:
        want_method, want_path = self.rule.match.method, self.rule.match.path
        if want_method and want_method.upper() != method:
            return False
        if want_path is None:
            return True
        return path.startswith(want_path[:-1]) if want_path.endswith("*") else path == want_path

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, **self.rule.model_dump(by_alias=True), "remaining": self.remaining, "hits": self.hits}


@dataclass(slots=True)
class Picked:
    latencies: list[Fault] = field(default_factory=list)
    terminal: Fault | None = None

    def names(self) -> list[str]:
        return [f.kind for f in self.latencies] + ([self.terminal.kind] if self.terminal else [])


@dataclass(slots=True)
class FaultBook:
    faults: dict[str, Fault] = field(default_factory=dict)
    counter: int = 0

    def add(self, body: dict[str, Any]) -> Fault:
        rule = parse_body(FaultRule, body)
        params: Any = parse_body(PARAMS[rule.kind], rule.params)
        if rule.kind == "webhook_fail":
            remaining: int | None = params.count
        else:
            remaining = rule.times
        self.counter += 1
        fault = Fault(f"flt_{self.counter}", rule, params, remaining)
        self.faults[fault.id] = fault
        return fault

    def remove(self, fault_id: str) -> None:
        if self.faults.pop(fault_id, None) is None:
            raise not_found("Fault")

    def clear(self) -> None:
        self.faults.clear()

    def pick(self, method: str, path: str, rng: random.Random) -> Picked:
        """The faults this request meets (each use counts against `times`)."""
        picked = Picked()
        for fault in list(self.faults.values()):
            if fault.kind == "webhook_fail" or not fault.matches(method, path):
                continue
            if fault.kind != "latency" and picked.terminal is not None:
                continue
            if fault.rule.probability < 1.0 and rng.random() >= fault.rule.probability:
                continue
            self._use(fault)
            if fault.kind == "latency":
                picked.latencies.append(fault)
            else:
                picked.terminal = fault
        return picked

    def webhook_failure(self) -> Fault | None:
        """Use one failure from the first `webhook_fail` rule with some left, if any."""
        for fault in list(self.faults.values()):
            if fault.kind == "webhook_fail":
                self._use(fault)
                return fault
        return None

    def _use(self, fault: Fault) -> None:
        fault.hits += 1
        if fault.remaining is not None:
            fault.remaining -= 1
            if fault.remaining <= 0:
                del self.faults[fault.id]

    def to_json(self) -> list[dict[str, Any]]:
        return [f.to_json() for f in self.faults.values()]
