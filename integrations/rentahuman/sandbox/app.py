"""`create_sandbox_app`: the RentAHuman sandbox as an ASGI app (served by `server.SandboxServer`).

    app = create_sandbox_app(seed=7, now=datetime(2026, 11, 25, 9, tzinfo=UTC))

It speaks the real API's paths under `/api` (`routes`), with the §3 envelope on every answer, errors
included (unknown routes, bad query parameters), and the three `X-RateLimit-*` headers on every
response. Tests and the demo drive it through `/_sim` (`sim`). State lives in memory (`state`).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from integrations.rentahuman.sandbox import routes, sim
from integrations.rentahuman.sandbox.deps import api_key_of
from integrations.rentahuman.sandbox.limits import request_kind
from integrations.rentahuman.sandbox.models import SandboxError, describe_request_errors
from integrations.rentahuman.sandbox.state import SandboxState

HTTP_CODES = {400: "validation", 401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict"}


def create_sandbox_app(*, seed: int = 7, now: datetime | None = None) -> FastAPI:
    """A fresh sandbox. `now` starts the frozen business clock (default: the wall clock, to the second)."""
    if now is not None and now.tzinfo is None:
        raise ValueError("the sandbox clock needs a timezone-aware instant")
    start = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    app = FastAPI(title="RentAHuman sandbox", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.sandbox = SandboxState(initial_now=start, seed=seed)
    app.state.default_seed = seed
    app.include_router(routes.router)
    app.include_router(sim.router)
    for kind in (SandboxError, RequestValidationError, HTTPException, Exception):
        app.add_exception_handler(kind, _error_answer)
    app.middleware("http")(_timers_and_limits)
    return app


async def _timers_and_limits(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Run due timers first, then count the request and stamp the rate-limit headers on the answer."""
    state: SandboxState = request.app.state.sandbox
    state.run_timers()
    key = api_key_of(request)
    counted = request.url.path.startswith("/api/")
    caller = key or f"ip:{request.client.host if request.client else 'unknown'}"
    verdict = state.limiter.hit(caller, request_kind(request.method, key is not None), time.time(), count=counted)
    if counted and verdict.exceeded and state.config.rate_limits:
        response: Response = _envelope(SandboxError(429, "rate_limited", "Rate limit exceeded"))
    else:
        response = await call_next(request)
    response.headers.update(verdict.headers())
    return response


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
