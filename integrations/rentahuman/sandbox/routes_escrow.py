"""`/api/escrow`: `rent_human` and personal bounties, the agent's rentals, and the escrow actions (§4, §5.6).

- `POST /escrow/agent-checkout` and `/escrow/personal-bounty` (idempotent creates) answer
  `{success, escrowId, bountyId, status, checkoutUrl}`: `funded` with `checkoutUrl: null` when the
  wallet covers the price, else `funding` with a checkout URL that `/_sim/advance` settles.
- `GET /escrow/agent-rentals` `{success, rentals, summary: {active, total}}`; `GET /escrow/{id}` `{success, escrow}`.
- `POST /escrow/{id}/complete` (delivered → completed), `/release` (`{"acknowledgeRelease": true}`;
  completed or warranty_hold → released), `/cancel` (funding, funded, locked → cancelled, refunded),
  `/dispute` (delivered → disputed). Anything else is a 409 `conflict`.

Escrows belong to the key that created them; other keys get a 404.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from integrations.rentahuman.sandbox.deps import json_body, require_key, sandbox
from integrations.rentahuman.sandbox.hires import cancel_escrow, finish_escrow, rent_human
from integrations.rentahuman.sandbox.idempotency import idempotent
from integrations.rentahuman.sandbox.models import (
    PersonalBounty,
    RentHuman,
    conflict,
    invalid,
    not_found,
    parse_body,
)
from integrations.rentahuman.sandbox.objects import ESCROW_ACTIVE, Escrow
from integrations.rentahuman.sandbox.state import SandboxState

router = APIRouter(prefix="/api/escrow")


async def _checkout(request: Request, model: type[RentHuman], route: str) -> JSONResponse:
    state = sandbox(request)

    def create(body: dict[str, Any], api_key: str) -> tuple[int, dict[str, Any]]:
        escrow = rent_human(state, parse_body(model, body), api_key)
        return 200, {"success": True, "escrowId": escrow.id, "bountyId": escrow.bounty_id, "status": escrow.status,
                     "checkoutUrl": escrow.checkout_url}  # fmt: skip

    return await idempotent(request, route, create)


@router.post("/agent-checkout")
async def agent_checkout(request: Request) -> JSONResponse:
    return await _checkout(request, RentHuman, "POST /api/escrow/agent-checkout")


@router.post("/personal-bounty")
async def personal_bounty(request: Request) -> JSONResponse:
    return await _checkout(request, PersonalBounty, "POST /api/escrow/personal-bounty")


@router.get("/agent-rentals")
async def agent_rentals(request: Request) -> dict[str, Any]:
    api_key = require_key(request)
    mine = [e for e in sandbox(request).escrows.values() if e.owner_key == api_key]
    return {"success": True, "rentals": [e.to_json() for e in mine], "count": len(mine),
            "summary": {"active": sum(e.status in ESCROW_ACTIVE for e in mine), "total": len(mine)}}  # fmt: skip


@router.get("/{escrow_id}")
async def get_escrow(request: Request, escrow_id: str) -> dict[str, Any]:
    return {"success": True, "escrow": _owned(sandbox(request), escrow_id, require_key(request)).to_json()}


@router.post("/{escrow_id}/complete")
async def complete(request: Request, escrow_id: str) -> dict[str, Any]:
    state = sandbox(request)
    escrow = _owned(state, escrow_id, require_key(request))
    finish_escrow(state, escrow, "completed")
    return {"success": True, "escrow": escrow.to_json(), "message": "Delivery confirmed"}


@router.post("/{escrow_id}/release")
async def release(request: Request, escrow_id: str) -> dict[str, Any]:
    state = sandbox(request)
    escrow = _owned(state, escrow_id, require_key(request))
    if (await json_body(request)).get("acknowledgeRelease") is not True:
        raise invalid("acknowledgeRelease: must be true to release the payment")
    if escrow.status not in ("completed", "warranty_hold"):
        raise conflict(f"An escrow cannot go from {escrow.status!r} to 'released'")
    finish_escrow(state, escrow, "released")
    return {"success": True, "escrow": escrow.to_json(), "message": "Payment released"}


@router.post("/{escrow_id}/cancel")
async def cancel(request: Request, escrow_id: str) -> dict[str, Any]:
    state = sandbox(request)
    escrow = _owned(state, escrow_id, require_key(request))
    cancel_escrow(state, escrow, reason="agent_cancelled")
    return {"success": True, "escrow": escrow.to_json(), "message": "Escrow cancelled and refunded"}


@router.post("/{escrow_id}/dispute")
async def dispute(request: Request, escrow_id: str) -> dict[str, Any]:
    state = sandbox(request)
    escrow = _owned(state, escrow_id, require_key(request))
    state.transition(escrow, "disputed", reason=str((await json_body(request)).get("reason") or "agent_dispute"))
    return {"success": True, "escrow": escrow.to_json()}


def _owned(state: SandboxState, escrow_id: str, api_key: str) -> Escrow:
    escrow = state.escrow(escrow_id)
    if escrow.owner_key != api_key:
        raise not_found("Escrow")
    return escrow
