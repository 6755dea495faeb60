"""Bookings and escrows: creating them, the agent's moves and the side effects that tie them together.

- A booking's `completed` stamps `completedAt` (evidence comes from the worker or `/_sim/deliver`) and
  delivers its linked escrow; its `cancelled` refunds a paid booking and cancels the linked escrow.
- `rent_human` (`/escrow/agent-checkout`, `/escrow/personal-bounty`) creates a bounty assigned to the
  human plus an escrow, `funded` from the wallet when it covers the price, else `funding` with a
  `checkoutUrl`. Cancelling refunds what came from the wallet.
- A bounty whose escrows are all completed or released is `completed`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from integrations.rentahuman.sandbox.models import CreateBooking, PersonalBounty, RentHuman, conflict
from integrations.rentahuman.sandbox.objects import EVIDENCE_HOST, Booking, Bounty, Escrow, iso
from integrations.rentahuman.sandbox.plans import draw_plan
from integrations.rentahuman.sandbox.state import SandboxState

CENT = Decimal("0.01")
ESCROW_OPEN = ("funding", "funded", "locked")
ESCROW_PAID_OUT = ("completed", "warranty_hold", "released")


def cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))


def money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


# --- bookings --------------------------------------------------------------------------------------


def create_booking(state: SandboxState, request: CreateBooking, owner_key: str) -> Booking:
    human = state.human(request.human_id)
    hours = Decimal(str(request.estimated_hours))
    booking = Booking(
        id=state.new_id(), owner_key=owner_key, status="pending", created_at=state.now, updated_at=state.now,
        human_id=request.human_id, agent_id=request.agent_id, agent_type=request.agent_type,
        agent_name=request.agent_name, task_title=request.task_title, task_description=request.task_description,
        task_category=request.task_category, start_time=request.start_time, estimated_hours=request.estimated_hours,
        total_amount=(Decimal(str(human["hourlyRate"])) * hours).quantize(CENT, rounding=ROUND_HALF_UP),
        currency=str(human.get("currency", "USD")),
    )  # fmt: skip
    plan_booking(state, booking)
    state.bookings[booking.id] = booking
    state.touch(booking)
    state.emit("booking.created", owner_key, {"bookingId": booking.id, "status": booking.status,
                                               "humanId": booking.human_id})  # fmt: skip
    return booking


def plan_booking(state: SandboxState, booking: Booking) -> None:
    booking.plan = draw_plan(
        state.workers, state.script_for(booking.human_id), state.config.workers, created_at=booking.created_at,
        start=booking.start_time, work_seconds=booking.estimated_hours * 3600,
    )  # fmt: skip


def move_booking(
    state: SandboxState, booking: Booking, to: str, *, reason: str | None = None, at: datetime | None = None
) -> None:
    """One step of the booking machine, with its side effects on payment and the linked escrow."""
    state.transition(booking, to, reason=reason, at=at)
    when = at or state.now
    if to == "cancelled":
        if booking.payment_status == "paid":
            booking.payment_status = "refunded"
        escrow = state.escrows.get(booking.links.get("escrowId", ""))
        if escrow is not None and escrow.status in ESCROW_OPEN:
            cancel_escrow(state, escrow, reason=reason, at=when)
    elif to == "completed":
        booking.completed_at = when
        escrow = state.escrows.get(booking.links.get("escrowId", ""))
        if escrow is not None and escrow.status in ("funded", "locked"):
            deliver_escrow(state, escrow, booking.evidence, at=when)


def complete_booking(state: SandboxState, booking: Booking, evidence: list[dict[str, str]], at: datetime) -> None:
    """The human finished (worker timer or `/_sim/deliver`): evidence, then `completed`."""
    if booking.status == "confirmed":
        move_booking(state, booking, "in_progress", at=at)
    if booking.status != "in_progress":
        raise conflict(f"A booking cannot go from {booking.status!r} to 'completed'")
    booking.evidence = list(evidence)
    move_booking(state, booking, "completed", at=at)


def record_payment(state: SandboxState, booking: Booking, tx_hash: str) -> None:
    if booking.payment_status == "refunded" or booking.status == "cancelled":
        raise conflict("A cancelled booking cannot be paid")
    booking.payment_status, booking.payment_tx_hash, booking.updated_at = "paid", tx_hash, state.now


# --- escrows ---------------------------------------------------------------------------------------


def rent_human(state: SandboxState, request: RentHuman, owner_key: str) -> Escrow:
    """A bounty assigned to the human plus its escrow, funded from the wallet if it can be."""
    state.human(request.human_id)
    personal = request if isinstance(request, PersonalBounty) else None
    amount = money(request.price)
    bounty = Bounty(
        id=state.new_id(), owner_key=owner_key, status="assigned", created_at=state.now, updated_at=state.now,
        agent_id=None, title=request.task_title, description=request.task_description, price=amount,
        estimated_hours=request.estimated_hours, spots_filled=1, assigned_human_id=request.human_id,
        completion_criteria=personal.completion_criteria if personal else None,
        evidence_types=list(personal.evidence_types) if personal else [],
        deadline=personal.deadline if personal else None,
    )  # fmt: skip
    escrow = Escrow(
        id=state.new_id(), owner_key=owner_key, status="funding", created_at=state.now, updated_at=state.now,
        origin="personal_bounty" if personal else "rent_human", human_id=request.human_id, bounty_id=bounty.id,
        task_title=request.task_title, amount=amount, estimated_hours=request.estimated_hours,
        deadline=bounty.deadline,
    )  # fmt: skip
    escrow.plan = draw_plan(
        state.workers, state.script_for(escrow.human_id), state.config.workers, created_at=state.now, start=None,
        work_seconds=escrow.estimated_hours * 3600,
    )  # fmt: skip
    state.bounties[bounty.id], state.escrows[escrow.id] = bounty, escrow
    if state.debit(cents(amount)):
        escrow.status, escrow.wallet_cents, escrow.funded_at = "funded", cents(amount), state.now
        escrow.audit_log.append({"at": iso(state.now), "from": None, "to": "funded", "reason": "wallet"})
    else:
        escrow.checkout_url = f"{EVIDENCE_HOST}/checkout/{escrow.id}"
        escrow.audit_log.append({"at": iso(state.now), "from": None, "to": "funding"})
    state.touch(escrow)
    return escrow


def fund_escrow(state: SandboxState, escrow: Escrow, *, at: datetime | None = None) -> None:
    """The checkout was paid (`/_sim/advance` to `funded`)."""
    state.transition(escrow, "funded", reason="checkout", at=at)
    escrow.funded_at, escrow.checkout_url = at or state.now, None


def deliver_escrow(
    state: SandboxState, escrow: Escrow, evidence: list[dict[str, str]], *, at: datetime | None = None
) -> None:
    if escrow.status not in ("funded", "locked"):
        raise conflict(f"An escrow cannot go from {escrow.status!r} to 'delivered'")
    escrow.evidence, escrow.delivered_at = list(evidence), at or state.now
    state.transition(escrow, "delivered", at=at)


def finish_escrow(
    state: SandboxState, escrow: Escrow, to: str, *, reason: str | None = None, at: datetime | None = None
) -> None:
    """`completed`, `warranty_hold` or `released`; the bounty completes when all its escrows have."""
    state.transition(escrow, to, reason=reason, at=at)
    bounty = state.bounties.get(escrow.bounty_id)
    if bounty is None or bounty.status != "assigned":
        return
    if all(e.status in ESCROW_PAID_OUT for e in state.escrows.values() if e.bounty_id == bounty.id):
        state.transition(bounty, "completed", at=at)


def cancel_escrow(
    state: SandboxState, escrow: Escrow, *, reason: str | None = None, at: datetime | None = None, to: str = "cancelled"
) -> None:
    """Cancel (or expire) an unfinished escrow: refund the wallet, cancel its booking, close its own bounty."""
    state.transition(escrow, to, reason=reason, at=at)
    state.wallet_cents += escrow.wallet_cents
    escrow.wallet_cents = 0
    booking = state.bookings.get(escrow.booking_id or "")
    if booking is not None and booking.status in ("pending", "confirmed", "in_progress"):
        move_booking(state, booking, "cancelled", reason=reason, at=at)
    bounty = state.bounties.get(escrow.bounty_id)
    if escrow.origin != "application" and bounty is not None and bounty.status == "assigned":
        state.transition(bounty, "cancelled", reason=reason, at=at)
