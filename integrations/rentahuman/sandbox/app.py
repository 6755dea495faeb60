"""`create_sandbox_app`: the RentAHuman sandbox as an ASGI app (served by `server.SandboxServer`).

    app = create_sandbox_app(seed=7, now=datetime(2026, 11, 25, 9, tzinfo=UTC))

It speaks the real API's paths under `/api` (`routes*`), with the §3 envelope on every answer, errors
included (unknown routes, bad query parameters), and the three `X-RateLimit-*` headers on every
response. `edge.Edge`, a pure-ASGI layer, runs worker timers, rate limits, faults and the request
log in front of every route. Tests and the demo drive it through `/_sim` (`sim`, `sim_actions`).
State lives in memory (`state`); `app.state.runtime` owns background work (webhook deliveries).
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from integrations.rentahuman.sandbox import (
    routes,
    routes_bounties,
    routes_conversations,
    routes_escrow,
    routes_webhooks,
    sim,
    sim_actions,
)
from integrations.rentahuman.sandbox.edge import Edge
from integrations.rentahuman.sandbox.models import SandboxError, describe_request_errors
from integrations.rentahuman.sandbox.runtime import Runtime
from integrations.rentahuman.sandbox.state import SandboxState
from integrations.rentahuman.sandbox.webhooks import Deliverer

HTTP_CODES = {400: "validation", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
              409: "conflict"}  # fmt: skip
ROUTERS = (
    routes.router, routes_escrow.router, routes_bounties.router, routes_conversations.router,
    routes_webhooks.router, sim.router, sim_actions.router,
)  # fmt: skip


def create_sandbox_app(*, seed: int = 7, now: datetime | None = None) -> FastAPI:
    """A fresh sandbox. `now` starts the frozen business clock (default: the wall clock, to the second)."""
    if now is not None and now.tzinfo is None:
        raise ValueError("the sandbox clock needs a timezone-aware instant")
    start = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    app = FastAPI(title="RentAHuman sandbox", docs_url=None, redoc_url=None, openapi_url=None)
    state = SandboxState(initial_now=start, seed=seed)
    runtime = Runtime()
    app.state.sandbox, app.state.runtime, app.state.default_seed = state, runtime, seed
    app.state.deliverer = Deliverer(state, runtime)
    for router in ROUTERS:
        app.include_router(router)
    for kind in (SandboxError, RequestValidationError, HTTPException, Exception):
        app.add_exception_handler(kind, _error_answer)
    app.add_middleware(Edge)
    return app


def _envelope(error: SandboxError) -> JSONResponse:
    return JSONResponse(error.envelope(), status_code=error.status)


async def _error_answer(request: Request, exc: Exception) -> JSONResponse:
    """Every error the app raises, in the §3 envelope with our §10 codes."""
    if isinstance(exc, SandboxError):
        return _envelope(exc)
    if isinstance(exc, RequestValidationError):
        return _envelope(SandboxError(400, "validation", describe_request_errors(exc.errors())))
    if isinstance(exc, HTTPException):
        message = "Not found" if exc.status_code == 404 else str(exc.detail)
        code = HTTP_CODES.get(exc.status_code, "server_error" if exc.status_code >= 500 else "error")
        return JSONResponse({"success": False, "error": message, "code": code}, exc.status_code, headers=exc.headers)
    return _envelope(SandboxError(500, "server_error", "Internal server error"))
