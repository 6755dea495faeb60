"""The sandbox's `/api` routes: the real paths, camelCase bodies and the §3 envelope.

Humans and reviews are public; `/bookings` needs a `rah_` key (§10). Creates honour
idempotency per API key and route (`idempotent`), so the bounty and escrow creates that come
next reuse the same rule.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from integrations.rentahuman.sandbox.deps import DEFAULT_LIMIT, json_body, page, require_key, sandbox
from integrations.rentahuman.sandbox.models import CreateBooking, UpdateBooking, invalid, parse_body

router = APIRouter(prefix="/api")

Limit = Annotated[int, Query()]
Offset = Annotated[int, Query()]
PAYMENT_MESSAGE = (
    "Booking created. Pay the human {amount} {currency} and send PATCH /bookings/{id} with paymentTxHash "
    "to mark it paid. (Sandbox: nothing is charged.)"
)


@router.get("/humans")
async def list_humans(
    request: Request,
    skill: str | None = None,
    city: str | None = None,
    country: str | None = None,
    name: str | None = None,
    min_rate: Annotated[float | None, Query(alias="minRate")] = None,
    max_rate: Annotated[float | None, Query(alias="maxRate")] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    state = sandbox(request)
    found = state.find_humans(skill=skill, city=city, country=country, name=name, min_rate=min_rate, max_rate=max_rate)
    return page("humans", found, limit, offset)


@router.get("/humans/{human_id}")
async def get_human(request: Request, human_id: str) -> dict[str, Any]:
    return {"success": True, "human": sandbox(request).human(human_id) | {"cryptoWallets": []}}


@router.get("/reviews")
async def list_reviews(
    request: Request,
    human_id: Annotated[str | None, Query(alias="humanId")] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    reviews = [r for r in sandbox(request).reviews if human_id is None or r["humanId"] == human_id]
    return page("reviews", reviews, limit, offset)


@router.get("/bookings")
async def list_bookings(
    request: Request,
    human_id: Annotated[str | None, Query(alias="humanId")] = None,
    agent_id: Annotated[str | None, Query(alias="agentId")] = None,
    status: str | None = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    require_key(request)
    bookings = [
        b.to_json()
        for b in sandbox(request).bookings.values()
        if (human_id is None or b.human_id == human_id)
        and (agent_id is None or b.agent_id == agent_id)
        and (status is None or b.status == status)
    ]
    return page("bookings", bookings, limit, offset)


@router.post("/bookings")
async def create_booking(request: Request) -> Any:
    state = sandbox(request)

    def create(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        booking = state.create_booking(parse_body(CreateBooking, body))
        message = PAYMENT_MESSAGE.format(amount=booking.total_amount, currency=booking.currency, id=booking.id)
        return 200, {"success": True, "booking": booking.to_json(), "message": message}

    return await idempotent(request, "POST /api/bookings", create)


@router.get("/bookings/{booking_id}")
async def get_booking(request: Request, booking_id: str) -> dict[str, Any]:
    require_key(request)
    return {"success": True, "booking": sandbox(request).booking(booking_id).to_json()}


@router.patch("/bookings/{booking_id}")
async def update_booking(request: Request, booking_id: str) -> dict[str, Any]:
    require_key(request)
    state = sandbox(request)
    update = parse_body(UpdateBooking, await json_body(request))
    booking = state.booking(booking_id)
    if update.payment_tx_hash is not None:
        state.record_payment(booking, update.payment_tx_hash)
    if update.status is not None:
        state.move_booking(booking, update.status)
    return {"success": True, "booking": booking.to_json(), "message": "Booking updated"}


async def idempotent(
    request: Request, route: str, create: Callable[[dict[str, Any]], tuple[int, dict[str, Any]]]
) -> JSONResponse:
    """Run a create once per (API key, route, idempotency key) and replay its answer afterwards (§10).

    The key is the body's `idempotencyKey` or the `Idempotency-Key` header (both may be sent, equal).
    The same key with a different body is a 409 `idempotency_mismatch`. Only successes are stored,
    so a refused request can be corrected and sent again under the same key.
    """
    api_key = require_key(request)
    state = sandbox(request)
    body = await json_body(request)
    header_key = request.headers.get("idempotency-key")
    body_key = body.get("idempotencyKey")
    if header_key and body_key and header_key != body_key:
        raise invalid("idempotencyKey and the Idempotency-Key header differ")
    key = body_key if isinstance(body_key, str) and body_key else header_key
    fingerprint = _fingerprint(body)
    if key:
        record = state.replay(api_key, route, key, fingerprint)
        if record is not None:
            return JSONResponse(record.body, record.status, headers={"Idempotent-Replayed": "true"})
    status, answer = create(body)
    if key and 200 <= status < 300:
        state.remember(api_key, route, key, fingerprint, status, answer)
    return JSONResponse(answer, status)


def _fingerprint(body: dict[str, Any]) -> str:
    significant = {k: v for k, v in body.items() if k != "idempotencyKey"}
    return hashlib.sha256(json.dumps(significant, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
