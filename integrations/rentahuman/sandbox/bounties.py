"""Bounties and applications: posting (with `dryRun`), updates, the sim's applicants, accept and reject.

An accept (`rentahuman-api.md` §4, §10) marks the application `accepted`, fills a spot (`assigned`
when none is left, else `partially_filled`), and creates a booking, a funded escrow and a
conversation that opens with a system message. The escrow is paid from the bounty's deposit.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from integrations.rentahuman.sandbox.conversations import add_message, open_conversation
from integrations.rentahuman.sandbox.hires import cents, money, plan_booking
from integrations.rentahuman.sandbox.models import CreateBounty, UpdateBounty, conflict
from integrations.rentahuman.sandbox.objects import EVIDENCE_HOST, Application, Booking, Bounty, Escrow, iso
from integrations.rentahuman.sandbox.sim_models import SimApply
from integrations.rentahuman.sandbox.state import SandboxState

TAKES_APPLICANTS = ("open", "in_review", "partially_filled")
EDITABLE = ("pending_deposit", "open", "in_review")
EXTRA_FIELDS = ("requirements",)


def preview(request: CreateBounty, wallet_cents: int) -> dict[str, Any]:
    total = money(request.price) * request.spots_available
    return {
        "fundingTotal": _number(total), "pricePerSpot": _number(money(request.price)),
        "spotsAvailable": request.spots_available, "currency": request.currency,
        "walletCovers": wallet_cents >= cents(total),
    }  # fmt: skip


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def create_bounty(state: SandboxState, request: CreateBounty, owner_key: str) -> Bounty:
    """`open` when the wallet covers price × spots (taken from it), else `pending_deposit` with a `deposit_url`."""
    bounty = Bounty(
        id=state.new_id(), owner_key=owner_key, status="pending_deposit", created_at=state.now,
        updated_at=state.now, agent_id=request.agent_id, title=request.title, description=request.description,
        price=money(request.price), price_type=request.price_type, currency=request.currency,
        estimated_hours=request.estimated_hours, category=request.category, skills_needed=list(request.skills_needed),
        completion_criteria=request.completion_criteria, evidence_types=list(request.evidence_types),
        location=request.location, deadline=request.deadline, spots_available=request.spots_available,
        extra={"agentType": request.agent_type or "other"}
        | ({"requirements": request.requirements} if request.requirements is not None else {}),
    )  # fmt: skip
    total = cents(bounty.price * bounty.spots_available)
    if state.debit(total):
        bounty.status, bounty.wallet_cents = "open", total
    else:
        bounty.deposit_url = f"{EVIDENCE_HOST}/deposit/{bounty.id}"
    state.bounties[bounty.id] = bounty
    return bounty


def update_bounty(state: SandboxState, bounty: Bounty, update: UpdateBounty) -> None:
    fields = update.model_fields_set - {"status"}
    if fields and bounty.status not in EDITABLE:
        raise conflict(f"A {bounty.status} bounty cannot be edited")
    for name in fields:
        value = getattr(update, name)
        setattr(bounty, name, money(value) if name == "price" else value)
    if fields:
        bounty.updated_at = state.now
    if update.status is not None and update.status != bounty.status:
        state.transition(bounty, update.status)
        if update.status == "cancelled":
            state.wallet_cents += bounty.wallet_cents
            bounty.wallet_cents = 0
        elif bounty.deposit_url and update.status == "open":
            bounty.deposit_url = None


def list_bounties(
    bounties: list[Bounty], *, status: str | None, category: str | None, skill: str | None,
    min_price: float | None, max_price: float | None, include_partially_filled: bool,
) -> list[Bounty]:  # fmt: skip
    wanted = {status} | ({"partially_filled"} if include_partially_filled and status == "open" else set())
    return [
        b for b in bounties
        if (status is None or b.status in wanted)
        and (category is None or b.category == category)
        and (skill is None or any(skill.lower() in s.lower() for s in b.skills_needed))
        and (min_price is None or b.price >= Decimal(str(min_price)))
        and (max_price is None or b.price <= Decimal(str(max_price)))
    ]  # fmt: skip


def apply(state: SandboxState, request: SimApply) -> Application:
    """A human applies (`/_sim/apply`); emits `application.received` to the bounty's owner."""
    bounty, human = state.bounty(request.bounty_id), state.human(request.human_id)
    if bounty.status not in TAKES_APPLICANTS:
        raise conflict(f"A {bounty.status} bounty takes no applications")
    if any(
        a.bounty_id == bounty.id and a.human_id == human["id"] and a.status in ("pending", "accepted")
        for a in state.applications.values()
    ):
        raise conflict("This human has already applied")
    application = Application(
        id=state.new_id(), owner_key=bounty.owner_key, status="pending", created_at=state.now,
        updated_at=state.now, bounty_id=bounty.id, human_id=human["id"], human_name=human["name"],
        cover_letter=request.cover_letter,
        proposed_price=None if request.proposed_price is None else money(request.proposed_price),
        availability=request.availability if request.availability is not None else human.get("availability"),
    )  # fmt: skip
    state.applications[application.id] = application
    state.emit("application.received", bounty.owner_key,
               {"applicationId": application.id, "bountyId": bounty.id, "humanId": human["id"]})  # fmt: skip
    return application


def reject(state: SandboxState, application: Application, response: str | None) -> None:
    state.transition(application, "rejected")
    application.response = response


def accept(state: SandboxState, bounty: Bounty, application: Application, response: str | None) -> dict[str, Any]:
    """Accept: fill a spot, then a booking, a funded escrow and a conversation with a system message."""
    if application.status != "pending":
        raise conflict(f"An application cannot go from {application.status!r} to 'accepted'")
    if bounty.status not in TAKES_APPLICANTS:
        raise conflict(f"A {bounty.status} bounty cannot accept applications")
    state.transition(application, "accepted")
    application.response = response
    price = application.proposed_price or bounty.price
    bounty.spots_filled += 1
    bounty.assigned_human_id = application.human_id
    filled = "assigned" if bounty.spots_filled >= bounty.spots_available else "partially_filled"
    if filled != bounty.status:
        state.transition(bounty, filled)
    booking = _booking_for(state, bounty, application, price)
    escrow = Escrow(
        id=state.new_id(), owner_key=bounty.owner_key, status="funded", created_at=state.now, updated_at=state.now,
        origin="application", human_id=application.human_id, bounty_id=bounty.id, task_title=bounty.title,
        amount=price, estimated_hours=bounty.estimated_hours, booking_id=booking.id, deadline=bounty.deadline,
        funded_at=state.now, wallet_cents=min(bounty.wallet_cents, cents(price)),
    )  # fmt: skip
    bounty.wallet_cents -= escrow.wallet_cents
    escrow.audit_log.append({"at": iso(state.now), "from": None, "to": "funded", "reason": "bounty deposit"})
    state.escrows[escrow.id] = escrow
    booking.links["escrowId"] = escrow.id
    system = f"{application.human_name} was hired for “{bounty.title}”. Escrow {escrow.id} is funded."
    conversation = open_conversation(
        state, owner_key=bounty.owner_key, human_id=application.human_id, subject=bounty.title,
        agent_type=str(bounty.extra.get("agentType", "other")), agent_name=None, agent_id=bounty.agent_id,
        first=(system, "system", "text", {"bountyId": bounty.id, "applicationId": application.id}),
    )  # fmt: skip
    if response:
        add_message(state, conversation, "agent", response, "text", None)
    application.links.update({"bookingId": booking.id, "escrowId": escrow.id, "conversationId": conversation.id})
    state.emit("booking.created", bounty.owner_key,
               {"bookingId": booking.id, "status": booking.status, "humanId": booking.human_id})  # fmt: skip
    return {"application": application.to_json(), "booking": booking.to_json(), "escrowId": escrow.id,
            "conversationId": conversation.id}  # fmt: skip


def _booking_for(state: SandboxState, bounty: Bounty, application: Application, price: Decimal) -> Booking:
    """Starts `estimatedHours` before the deadline, or now when there is none (or it is too close)."""
    start = state.now
    if bounty.deadline is not None:
        start = max(state.now, bounty.deadline - timedelta(hours=bounty.estimated_hours))
    booking = Booking(
        id=state.new_id(), owner_key=bounty.owner_key, status="pending", created_at=state.now, updated_at=state.now,
        human_id=application.human_id, agent_id=bounty.agent_id or "agent",
        agent_type=str(bounty.extra.get("agentType", "other")), agent_name=None, task_title=bounty.title[:200],
        task_description=bounty.description, task_category=bounty.category, start_time=start,
        estimated_hours=bounty.estimated_hours, total_amount=price, currency=bounty.currency, payment_status="paid",
        links={"bountyId": bounty.id, "applicationId": application.id},
    )  # fmt: skip
    plan_booking(state, booking)
    state.bookings[booking.id] = booking
    state.touch(booking)
    return booking


def reopen(state: SandboxState, bounty: Bounty, *, reason: str | None) -> None:
    """A hired human withdrew: free their spot; the bounty takes applicants again."""
    bounty.spots_filled = max(0, bounty.spots_filled - 1)
    if bounty.status in ("assigned", "partially_filled"):
        state.transition(bounty, "partially_filled" if bounty.spots_filled else "open", reason=reason, checked=False)
