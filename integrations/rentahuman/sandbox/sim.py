"""`/_sim`: controls for tests and `turnover demo` (`rentahuman-api.md` §10). Never called by production code.

| Endpoint | Body | Effect |
|---|---|---|
| `POST /_sim/reset` | `{seed?, fixtures?: "default"\\|"empty"}` | fresh state, clock, config, faults, webhooks, log |
| `POST /_sim/seed` | `{humans?, reviews?, walletBalanceCents?}` | adds fixtures (missing human fields defaulted) |
| `GET /_sim/state` | | every object, idempotency record, fault, script, event and setting |
| `GET`/`POST /_sim/clock` | `{now}` or `{advanceSeconds}` | read, set or advance the clock; due timers run |
| `POST /_sim/config` | `SimConfig` (below) | settings |
| `POST /_sim/humans/{id}/script` | `WorkerScript` | how a human behaves; re-plans their open hires |
| `POST`/`GET`/`DELETE /_sim/faults[/{id}]` | a fault rule | add, list, clear all or one |
| `GET /_sim/webhooks` | | `{deliveries, events}`: every attempt and every event emitted |
| `GET /_sim/requests` | `?limit=` | the request log, newest last |

`SimConfig`: `{rateLimits?: bool, idempotency?: "on"|"off", webhookRetries?: n, limits?: {public?, read?,
write?}, windowSeconds?: n >= 1, workers?: {noShow?, cancel?, decline?}}` (probabilities 0-1).

Actions on objects (`advance`, `apply`, `deliver`, `fail`, conversation replies) are in `sim_actions`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request

from integrations.rentahuman.sandbox.deps import json_body, sandbox
from integrations.rentahuman.sandbox.fixtures import complete_human
from integrations.rentahuman.sandbox.models import parse_body
from integrations.rentahuman.sandbox.objects import WorkerPlan, iso
from integrations.rentahuman.sandbox.runtime import Runtime
from integrations.rentahuman.sandbox.sim_models import SimClock, SimConfig, SimReset, SimSeed, WorkerScript
from integrations.rentahuman.sandbox.state import SandboxState
from integrations.rentahuman.sandbox.workers import run_timers

router = APIRouter(prefix="/_sim")


@router.post("/reset")
async def reset(request: Request) -> dict[str, Any]:
    body = parse_body(SimReset, await json_body(request))
    state = sandbox(request)
    runtime: Runtime = request.app.state.runtime
    runtime.cancel_tasks()
    state.reset(seed=request.app.state.default_seed if body.seed is None else body.seed, fixtures=body.fixtures)
    return {"success": True, "seed": state.seed, "now": iso(state.now), "humans": len(state.humans)}


@router.post("/seed")
async def seed(request: Request) -> dict[str, Any]:
    body = parse_body(SimSeed, await json_body(request))
    state = sandbox(request)
    added = [complete_human(state.ids, human) for human in body.humans]
    state.humans.update({human["id"]: human for human in added})
    state.reviews.extend(body.reviews)
    if body.wallet_balance_cents is not None:
        state.wallet_cents = body.wallet_balance_cents
    return {"success": True, "humans": added, "reviews": len(body.reviews), "walletBalanceCents": state.wallet_cents}


@router.get("/state")
async def dump_state(request: Request) -> dict[str, Any]:
    return {"success": True, **sandbox(request).dump()}


@router.get("/clock")
async def read_clock(request: Request) -> dict[str, Any]:
    return {"success": True, "now": iso(sandbox(request).now)}


@router.post("/clock")
async def set_clock(request: Request) -> dict[str, Any]:
    body = parse_body(SimClock, await json_body(request))
    state = sandbox(request)
    state.set_clock(body.now if body.now is not None else state.now + timedelta(seconds=body.advance_seconds or 0))
    run_timers(state)
    return {"success": True, "now": iso(state.now)}


@router.post("/config")
async def configure(request: Request) -> dict[str, Any]:
    body = parse_body(SimConfig, await json_body(request))
    state = sandbox(request)
    config = state.config
    if body.idempotency is not None:
        config.idempotency = body.idempotency == "on"
    if body.rate_limits is not None:
        config.rate_limits = body.rate_limits
    if body.webhook_retries is not None:
        config.webhook_retries = body.webhook_retries
    if body.workers is not None:
        config.workers.update({k: v for k, v in body.workers.model_dump(by_alias=True).items() if v is not None})
    if body.limits is not None or body.window_seconds is not None:
        sizes = body.limits.model_dump() if body.limits is not None else None
        state.limiter.configure(limits=sizes, window_seconds=body.window_seconds)
    return {"success": True, **config.to_json(), **state.limiter.to_json()}


@router.post("/humans/{human_id}/script")
async def script_human(request: Request, human_id: str) -> dict[str, Any]:
    state = sandbox(request)
    state.human(human_id)
    script = parse_body(WorkerScript, await json_body(request))
    state.scripts[human_id] = script
    _replan(state, human_id, script)
    run_timers(state)
    return {"success": True, "humanId": human_id, "script": script.to_json()}


def _replan(state: SandboxState, human_id: str, script: WorkerScript) -> None:
    """Open hires of this human follow the new script; their seeded draws stay as they were."""
    hires: list[Any] = [b for b in state.bookings.values() if b.human_id == human_id]
    hires += [e for e in state.escrows.values() if e.human_id == human_id and e.plan is not None]
    for hire in hires:
        old: WorkerPlan = hire.plan
        hire.plan = WorkerPlan(
            confirm=script.confirm, confirm_after_seconds=script.confirm_after_seconds, start=script.start,
            deliver_after_seconds=script.deliver_after_seconds, no_show=old.no_show, decline=old.decline,
            cancel_at=old.cancel_at if script.cancel_at is None else _cancel_at(script, hire.created_at),
        )  # fmt: skip
        state.touch(hire)


def _cancel_at(script: WorkerScript, created_at: Any) -> Any:
    if isinstance(script.cancel_at, float):
        return created_at + timedelta(seconds=script.cancel_at)
    return script.cancel_at


@router.post("/faults")
async def add_fault(request: Request) -> dict[str, Any]:
    fault = sandbox(request).faults.add(await json_body(request))
    return {"success": True, "fault": fault.to_json()}


@router.get("/faults")
async def list_faults(request: Request) -> dict[str, Any]:
    return {"success": True, "faults": sandbox(request).faults.to_json()}


@router.delete("/faults")
async def clear_faults(request: Request) -> dict[str, Any]:
    sandbox(request).faults.clear()
    return {"success": True, "faults": []}


@router.delete("/faults/{fault_id}")
async def delete_fault(request: Request, fault_id: str) -> dict[str, Any]:
    state = sandbox(request)
    state.faults.remove(fault_id)
    return {"success": True, "faults": state.faults.to_json()}


@router.get("/webhooks")
async def webhook_log(request: Request) -> dict[str, Any]:
    state = sandbox(request)
    return {"success": True, "deliveries": list(state.deliveries), "events": [e.to_json() for e in state.events]}


@router.get("/requests")
async def request_log(request: Request, limit: int | None = None) -> dict[str, Any]:
    entries = list(sandbox(request).request_log)
    if limit is not None:
        entries = entries[-limit:] if limit > 0 else []
    return {"success": True, "requests": entries, "count": len(entries)}
