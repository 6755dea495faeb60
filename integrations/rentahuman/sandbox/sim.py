"""`/_sim`: controls for tests and `turnover demo` (`rentahuman-api.md` §10). Never called by production code.

| Endpoint | Body | Effect |
|---|---|---|
| `POST /_sim/reset` | `{seed?, fixtures?: "default"\\|"empty"}` | fresh state and clock (seed defaults to the app's) |
| `GET /_sim/state` | | every object, idempotency record, script and setting |
| `GET`/`POST /_sim/clock` | `{now}` or `{advanceSeconds}` | read, set or advance the clock; due timers run |
| `POST /_sim/advance` | `{kind: "booking", id, to}` | a legal move, as the human would make it; else 409 |
| `POST /_sim/config` | `{idempotency?: "on"\\|"off", rateLimits?: bool}` | toggles |
| `POST /_sim/humans/{id}/script` | `{confirm: "auto"\\|"never", confirmAfterSeconds}` | how a human answers bookings |
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request

from integrations.rentahuman.sandbox.deps import json_body, sandbox
from integrations.rentahuman.sandbox.models import (
    SimAdvance,
    SimClock,
    SimConfig,
    SimReset,
    WorkerScript,
    invalid,
    parse_body,
)
from integrations.rentahuman.sandbox.state import BOOKING_MOVES, iso

router = APIRouter(prefix="/_sim")


@router.post("/reset")
async def reset(request: Request) -> dict[str, Any]:
    body = parse_body(SimReset, await json_body(request))
    state = sandbox(request)
    state.reset(seed=request.app.state.default_seed if body.seed is None else body.seed, fixtures=body.fixtures)
    return {"success": True, "seed": state.seed, "now": iso(state.now), "humans": len(state.humans)}


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
    if body.now is not None:
        state.set_clock(body.now)
    else:
        state.set_clock(state.now + timedelta(seconds=body.advance_seconds or 0))
    return {"success": True, "now": iso(state.now)}


@router.post("/advance")
async def advance(request: Request) -> dict[str, Any]:
    body = parse_body(SimAdvance, await json_body(request))
    state = sandbox(request)
    if body.to not in BOOKING_MOVES:
        raise invalid(f"to: unknown booking status {body.to!r}")
    booking = state.booking(body.id)
    state.move_booking(booking, body.to)
    return {"success": True, "booking": booking.to_json()}


@router.post("/config")
async def configure(request: Request) -> dict[str, Any]:
    body = parse_body(SimConfig, await json_body(request))
    config = sandbox(request).config
    if body.idempotency is not None:
        config.idempotency = body.idempotency == "on"
    if body.rate_limits is not None:
        config.rate_limits = body.rate_limits
    return {"success": True, **config.to_json()}


@router.post("/humans/{human_id}/script")
async def script_human(request: Request, human_id: str) -> dict[str, Any]:
    state = sandbox(request)
    state.human(human_id)
    script = parse_body(WorkerScript, await json_body(request))
    state.scripts[human_id] = script
    state.run_timers()
    return {"success": True, "humanId": human_id, "script": script.model_dump(by_alias=True)}
