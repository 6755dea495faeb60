"""Worker behaviour on the business clock (ours): scripted humans, seeded failures, auto-release.

`run_timers` runs before every request and after every clock change. It plans each touched object's
next step (`next_step`, from its status and its `WorkerPlan`), then performs every step that fell
due, each stamped with its due time, until nothing is due. Default worker, for a booking: confirm at
once; at `startTime` → `in_progress`; at `startTime + estimatedHours` (or `deliverAfterSeconds`) →
`completed` with photo evidence. For a `rent_human` escrow: `deliverAfterSeconds` (default
`estimatedHours`) after funding → `delivered` with photos. A delivered escrow is `released` 2 days
later if nobody acts (for a personal bounty: 2 days after its deadline, if later). An unpaid checkout
expires after 24 h. A no-show stays `confirmed`/`funded` forever and says nothing.

`fail` carries out `/_sim/fail` (§10 "Worker failures").
"""

from __future__ import annotations

from datetime import datetime, timedelta

from integrations.rentahuman.sandbox.bounties import reopen
from integrations.rentahuman.sandbox.hires import (
    ESCROW_OPEN,
    cancel_escrow,
    complete_booking,
    deliver_escrow,
    finish_escrow,
    move_booking,
)
from integrations.rentahuman.sandbox.models import conflict, invalid
from integrations.rentahuman.sandbox.objects import Application, Booking, Escrow, Tracked, photo_evidence
from integrations.rentahuman.sandbox.state import SandboxState

RELEASE_AFTER = timedelta(days=2)
CHECKOUT_EXPIRES_AFTER = timedelta(hours=24)
Step = tuple[datetime, str]


def run_timers(state: SandboxState) -> None:
    """Plan what changed, then perform what fell due (in due order), until nothing is due."""
    while True:
        while state.dirty:
            _, obj = state.dirty.popitem()
            step = next_step(obj)
            if step is not None:
                state.schedule(obj, *step)
        due = state.pop_due()
        if due is None:
            return
        perform(state, *due)


def next_step(obj: Tracked) -> Step | None:
    if isinstance(obj, Booking):
        return _booking_step(obj)
    if isinstance(obj, Escrow):
        return _escrow_step(obj)
    return None


def _booking_step(booking: Booking) -> Step | None:
    plan, steps = booking.plan, []
    if plan.cancel_at is not None and booking.status in ("pending", "confirmed"):
        steps.append((plan.cancel_at, "cancel"))
    if booking.status == "pending" and plan.confirm == "auto":
        due = booking.created_at + timedelta(seconds=plan.confirm_after_seconds)
        steps.append((due, "decline" if plan.decline else "confirm"))
    elif booking.status == "confirmed" and plan.start == "on_time" and not plan.no_show:
        steps.append((booking.start_time, "start"))
    elif booking.status == "in_progress":
        work = plan.deliver_after_seconds if plan.deliver_after_seconds is not None else booking.estimated_hours * 3600
        steps.append((booking.start_time + timedelta(seconds=work), "complete"))
    return min(steps) if steps else None


def _escrow_step(escrow: Escrow) -> Step | None:
    if escrow.status == "delivered" and escrow.delivered_at is not None:
        base = escrow.delivered_at
        if escrow.deadline is not None and escrow.deadline > base:
            base = escrow.deadline
        return base + RELEASE_AFTER, "auto_release"
    plan = escrow.plan
    if plan is None:  # an accepted application's booking drives the work
        return None
    if escrow.status == "funding":
        return escrow.created_at + CHECKOUT_EXPIRES_AFTER, "expire"
    steps = []
    if escrow.status in ("funded", "locked"):
        if plan.cancel_at is not None:
            steps.append((plan.cancel_at, "cancel"))
        if plan.start == "on_time" and not plan.no_show and escrow.funded_at is not None:
            work = (
                plan.deliver_after_seconds if plan.deliver_after_seconds is not None else escrow.estimated_hours * 3600
            )
            steps.append((escrow.funded_at + timedelta(seconds=work), "deliver"))
    return min(steps) if steps else None


def perform(state: SandboxState, obj: Tracked, action: str, at: datetime) -> None:
    if isinstance(obj, Booking):
        if action == "confirm":
            move_booking(state, obj, "confirmed", at=at)
        elif action == "decline":
            move_booking(state, obj, "cancelled", reason="declined", at=at)
        elif action == "start":
            move_booking(state, obj, "in_progress", at=at)
        elif action == "complete":
            complete_booking(state, obj, photo_evidence("booking", obj.id), at)
        elif action == "cancel":
            human_cancel(state, obj, reason="human_cancelled", at=at)
    elif isinstance(obj, Escrow):
        if action == "deliver":
            deliver_escrow(state, obj, photo_evidence("escrow", obj.id), at=at)
        elif action == "auto_release":
            finish_escrow(state, obj, "released", reason="auto_release", at=at)
        elif action == "expire":
            cancel_escrow(state, obj, reason="checkout_expired", at=at, to="expired")
        elif action == "cancel":
            human_cancel(state, obj, reason="human_cancelled", at=at)


def fail(state: SandboxState, kind: str, object_id: str, reason: str) -> Tracked:
    """`/_sim/fail`: `no_show` shows nothing (the worker just never starts or delivers); a cancel cancels the
    whole hire; `dispute` moves a delivered escrow."""
    obj = state.tracked(kind, object_id)
    if reason == "no_show":  # the worker will not turn up: no status change, no event
        booking, escrow, _ = _hire_of(state, obj)
        for hire in (booking, escrow):
            if hire is not None and hire.plan is not None:
                hire.plan.no_show = True
                state.touch(hire)
        return obj
    if reason == "dispute":
        if not isinstance(obj, Escrow):
            raise invalid("dispute applies to an escrow")
        state.transition(obj, "disputed", reason="dispute")
        return obj
    human_cancel(state, obj, reason=reason)
    return obj


def human_cancel(state: SandboxState, obj: Tracked, *, reason: str, at: datetime | None = None) -> None:
    """The human (or the platform) walks away from the hire `obj` belongs to.

    Its booking is cancelled (refunded if paid), its escrow cancelled and refunded, an application
    withdrawn and its bounty reopened; each change emits its event.
    """
    booking, escrow, application = _hire_of(state, obj)
    changed = False
    if booking is not None and booking.status in ("pending", "confirmed", "in_progress"):
        move_booking(state, booking, "cancelled", reason=reason, at=at)
        changed = True
    if escrow is not None and escrow.status in ESCROW_OPEN:
        cancel_escrow(state, escrow, reason=reason, at=at)
        changed = True
    if application is not None and application.status in ("pending", "accepted"):
        was_hired = application.status == "accepted"
        state.transition(application, "withdrawn", reason=reason, at=at)
        if was_hired:
            reopen(state, state.bounty(application.bounty_id), reason=reason)
        changed = True
    if not changed:
        raise conflict(f"Nothing left to cancel: the {obj.kind} is {obj.status}")


def _hire_of(state: SandboxState, obj: Tracked) -> tuple[Booking | None, Escrow | None, Application | None]:
    booking = obj if isinstance(obj, Booking) else None
    escrow = obj if isinstance(obj, Escrow) else None
    application = obj if isinstance(obj, Application) else None
    if application is not None:
        booking = state.bookings.get(application.links.get("bookingId", ""))
    if escrow is not None and escrow.booking_id:
        booking = state.bookings.get(escrow.booking_id)
    if booking is not None:
        escrow = escrow or state.escrows.get(booking.links.get("escrowId", ""))
        application = application or state.applications.get(booking.links.get("applicationId", ""))
    return booking, escrow, application
