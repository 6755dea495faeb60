"""`/_sim` actions on objects, as the human or the platform would take them (`rentahuman-api.md` §10).

- `POST /_sim/advance {kind: booking|escrow|bounty|application, id, to}`: a legal move with its side
  effects and events (409 otherwise). Escrow `funded` settles a checkout, bounty `open` a deposit;
  booking `completed` and escrow `delivered` carry photo evidence.
- `POST /_sim/apply {bountyId, humanId, proposedPrice?, coverLetter?, availability?}`: an application
  (`application.received`).
- `POST /_sim/deliver {escrowId | bookingId, evidence?: [{type, url | text}]}`: the human delivers
  (default evidence: three photos).
- `POST /_sim/fail {kind, id, reason: no_show|human_cancelled|platform_cancelled|dispute}`: a worker or
  platform failure (`workers.fail`).
- `POST /_sim/conversations/{id}/reply {content}`: ours, the human answers (`message.received`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from integrations.rentahuman.sandbox.bounties import apply
from integrations.rentahuman.sandbox.conversations import add_message
from integrations.rentahuman.sandbox.deps import json_body, sandbox
from integrations.rentahuman.sandbox.hires import (
    cancel_escrow,
    complete_booking,
    deliver_escrow,
    finish_escrow,
    fund_escrow,
    move_booking,
)
from integrations.rentahuman.sandbox.models import invalid, not_found, parse_body
from integrations.rentahuman.sandbox.objects import MOVES, Booking, Bounty, Escrow, Tracked, photo_evidence
from integrations.rentahuman.sandbox.sim_models import SimAdvance, SimApply, SimDeliver, SimFail, SimReply
from integrations.rentahuman.sandbox.state import SandboxState
from integrations.rentahuman.sandbox.workers import fail, human_cancel

router = APIRouter(prefix="/_sim")


@router.post("/advance")
async def advance(request: Request) -> dict[str, Any]:
    body = parse_body(SimAdvance, await json_body(request))
    state = sandbox(request)
    if body.to not in MOVES[body.kind]:
        raise invalid(f"to: unknown {body.kind} status {body.to!r}")
    obj = state.tracked(body.kind, body.id)
    _advance(state, obj, body.to)
    return {"success": True, body.kind: obj.to_json()}  # type: ignore[attr-defined]


def _advance(state: SandboxState, obj: Tracked, to: str) -> None:
    if isinstance(obj, Booking):
        if to == "completed" and obj.status == "in_progress":
            complete_booking(state, obj, photo_evidence("booking", obj.id), state.now)
        else:
            move_booking(state, obj, to)
    elif isinstance(obj, Escrow):
        if to == "funded" and obj.status == "funding":
            fund_escrow(state, obj)
        elif to == "delivered" and obj.status in ("funded", "locked"):
            deliver_escrow(state, obj, photo_evidence("escrow", obj.id))
        elif to in ("completed", "warranty_hold", "released"):
            finish_escrow(state, obj, to)
        elif to in ("cancelled", "expired") and obj.status in MOVES["escrow"] and to in MOVES["escrow"][obj.status]:
            cancel_escrow(state, obj, reason="platform", to=to)
        else:
            state.transition(obj, to)
    elif isinstance(obj, Bounty):
        state.transition(obj, to)
        if to == "open":
            obj.deposit_url = None
        elif to == "cancelled":
            state.wallet_cents += obj.wallet_cents
            obj.wallet_cents = 0
    elif to == "withdrawn" and obj.status in ("pending", "accepted"):
        human_cancel(state, obj, reason="human_cancelled")
    elif to == "accepted":
        raise invalid("accept through PATCH /api/bounties/{id}/applications/{appId}: it has side effects")
    else:
        state.transition(obj, to)


@router.post("/apply")
async def apply_to_bounty(request: Request) -> dict[str, Any]:
    application = apply(sandbox(request), parse_body(SimApply, await json_body(request)))
    return {"success": True, "application": application.to_json()}


@router.post("/deliver")
async def deliver(request: Request) -> dict[str, Any]:
    body = parse_body(SimDeliver, await json_body(request))
    state = sandbox(request)
    if body.escrow_id is not None:
        escrow = state.escrow(body.escrow_id)
        evidence = [e.to_json() for e in body.evidence] if body.evidence else photo_evidence("escrow", escrow.id)
        deliver_escrow(state, escrow, evidence)
        return {"success": True, "escrow": escrow.to_json()}
    booking = state.booking(body.booking_id or "")
    evidence = [e.to_json() for e in body.evidence] if body.evidence else photo_evidence("booking", booking.id)
    complete_booking(state, booking, evidence, state.now)
    return {"success": True, "booking": booking.to_json()}


@router.post("/fail")
async def fail_hire(request: Request) -> dict[str, Any]:
    body = parse_body(SimFail, await json_body(request))
    obj = fail(sandbox(request), body.kind, body.id, body.reason)
    return {"success": True, "reason": body.reason, body.kind: obj.to_json()}  # type: ignore[attr-defined]


@router.post("/conversations/{conversation_id}/reply")
async def reply(request: Request, conversation_id: str) -> dict[str, Any]:
    body = parse_body(SimReply, await json_body(request))
    state = sandbox(request)
    conversation = state.conversations.get(conversation_id)
    if conversation is None:
        raise not_found("Conversation")
    message = add_message(state, conversation, "human", body.content, "text", None)
    return {"success": True, "message": message.to_json()}
