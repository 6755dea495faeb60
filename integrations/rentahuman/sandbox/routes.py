"""The sandbox's `/api` humans, reviews and bookings: the real paths, camelCase bodies and the §3 envelope.

Humans and reviews are public; `/bookings` needs a `rah_` key (§10). `POST /bookings` honours
idempotency (`idempotency.idempotent`) and emits `booking.created`; `PATCH` moves the status
(`booking.status_changed`) or records a payment. Escrows, bounties, conversations and webhooks have
their own `routes_*` modules.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from integrations.rentahuman.sandbox.deps import DEFAULT_LIMIT, json_body, page, require_key, sandbox
from integrations.rentahuman.sandbox.hires import create_booking as new_booking
from integrations.rentahuman.sandbox.hires import move_booking, record_payment
from integrations.rentahuman.sandbox.idempotency import idempotent
from integrations.rentahuman.sandbox.models import CreateBooking, UpdateBooking, parse_body

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
async def create_booking(request: Request) -> JSONResponse:
    state = sandbox(request)

    def create(body: dict[str, Any], api_key: str) -> tuple[int, dict[str, Any]]:
        booking = new_booking(state, parse_body(CreateBooking, body), api_key)
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
        record_payment(state, booking, update.payment_tx_hash)
    if update.status is not None:
        move_booking(state, booking, update.status)
    return {"success": True, "booking": booking.to_json(), "message": "Booking updated"}
