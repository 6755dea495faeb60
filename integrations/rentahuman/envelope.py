"""The response envelope (`rentahuman-api.md` §3): `{"success": true, ...}` or an error to raise.

A `success: false` body is an error whatever the HTTP status. The error class comes from the HTTP
status when it is an error status, else from the envelope's `code` (only `validation` is [V]; the
rest are the sandbox's codes and [G] for the real API).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from integrations.rentahuman.errors import (
    RentAHumanAuthError,
    RentAHumanConflict,
    RentAHumanError,
    RentAHumanNotFound,
    RentAHumanRateLimited,
    RentAHumanSchemaError,
    RentAHumanUnavailable,
    RentAHumanValidationError,
)
from integrations.rentahuman.parse import parse_rate_limit

_BY_STATUS: dict[int, type[RentAHumanError]] = {
    400: RentAHumanValidationError,
    401: RentAHumanAuthError,
    403: RentAHumanAuthError,
    404: RentAHumanNotFound,
    408: RentAHumanUnavailable,
    409: RentAHumanConflict,
    422: RentAHumanValidationError,
}
_BY_CODE: dict[str, type[RentAHumanError]] = {
    "validation": RentAHumanValidationError,
    "unauthorized": RentAHumanAuthError,
    "forbidden": RentAHumanAuthError,
    "not_found": RentAHumanNotFound,
    "conflict": RentAHumanConflict,
    "idempotency_mismatch": RentAHumanConflict,
    "server_error": RentAHumanUnavailable,
}


def decode(response: httpx.Response, *, now: float) -> dict[str, Any]:
    """The body of a successful answer, or the typed error it stands for. `now`: wall clock, epoch s."""
    where = f"RentAHuman {response.request.method} {response.request.url.path}"
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.is_success and isinstance(body, dict) and body.get("success") is not False:
        return body
    if response.is_success and not isinstance(body, dict):
        raise RentAHumanSchemaError(f"{where}: the answer is not a JSON object", status=response.status_code)
    envelope: Mapping[str, Any] = body if isinstance(body, dict) else {}
    code = envelope.get("code") if isinstance(envelope.get("code"), str) else None
    text = envelope.get("error") or envelope.get("message") or response.reason_phrase or "no error message"
    message = f"{where}: {text} (HTTP {response.status_code}{f', {code}' if code else ''})"
    status = response.status_code
    if status == 429 or code == "rate_limited":
        limits = parse_rate_limit(response.headers, now=now)
        raise RentAHumanRateLimited(
            message, reset_at=limits.reset_at, retry_after=limits.retry_after, status=status, code=code
        )
    if status >= 500:
        raise RentAHumanUnavailable(message, status=status, code=code)
    kind = _BY_STATUS.get(status) or _BY_CODE.get(code or "") or RentAHumanError
    raise kind(message, status=status, code=code)
