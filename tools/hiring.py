"""Hiring use cases shared by the pipeline and the tools: send a booking, send the access details,
decide an approval.

Money rules (`rentahuman-api.md` §9): a hire above the property's auto-approve limit is only ever
sent after a person pressed Approve (`decide_approval`, refused to the agent and the scheduler);
the caps are checked again at that moment, since spending may have grown while it waited.
Door codes and the address never go into public task text (`booking_request`); they go to the
hired worker in a private conversation once the worker has confirmed (`send_access`).
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass

from domain.errors import (
    MarketplaceError,
    MarketplaceUnavailable,
)
from domain.events import EventKind
from domain.hires import BookingRequest, Hire, HireStatus
from domain.hiring import (
    MAX_ATTEMPTS,
    above_price,
    can_still_hire,
    task_hours,
)
from domain.ports import BookingState, PrivateMessage, UnitOfWork
from domain.properties import Property
from domain.tasks import Task, TaskKind, TaskStatus
from tools.context import AppDeps, record_event


class Sent(enum.StrEnum):
    BOOKED = "booked"  # the marketplace holds the booking
    RETRY = "retry"  # the marketplace could not be reached: the hire stays `requested`, same key next run
    REFUSED = "refused"  # the marketplace refused: the hire failed; the task goes back to hiring or to the host
    GONE = "gone"  # the hire or its task is no longer there to send
    MOVED = "moved"  # the task moved while its create waited for an answer: dropped, to be booked again


@dataclass(frozen=True, slots=True)
class SendResult:
    outcome: Sent
    detail: str = ""


async def load_hire(uow: UnitOfWork, hire_id: str) -> tuple[Hire, Task, Property] | None:
    """A hire with its task and property, or None when any of them is gone."""
    hire = await uow.hires.get(hire_id)
    task = await uow.tasks.get(hire.task_id) if hire else None
    prop = await uow.properties.get(task.property_id) if task else None
    return None if hire is None or task is None or prop is None else (hire, task, prop)


def describe(task: Task) -> str:
    return "Turnover clean" if task.kind is TaskKind.CLEAN else task.kind.value.replace("_", " ").capitalize()


def booking_request(hire: Hire, task: Task, prop: Property) -> BookingRequest:
    """Public task text: the city and the window only. Never the address or access notes."""
    local_start = task.window_start.astimezone(prop.zone)
    local_end = task.deadline.astimezone(prop.zone)
    hours = round((task.deadline - task.window_start).total_seconds() / 3600, 1)
    what = describe(task)
    description = (
        f"{what} for a short-term rental in {prop.city} ({prop.bedrooms} bedroom(s), {prop.bathrooms} bathroom(s)). "
        f"Window: {local_start:%Y-%m-%d %H:%M} to {local_end:%Y-%m-%d %H:%M} ({prop.timezone}), {hours} h available."
        + (" Same-day turnover: the next guests arrive at the end of the window." if task.same_day_turnover else "")
        + " Please send photos of every room when you finish."
        + " Access details are sent privately once the booking is confirmed."
    )
    return BookingRequest(
        worker_id=hire.worker_id,
        title=f"{what} in {prop.city} (ref {reference(hire)})",
        description=description,
        start=task.window_start,
        estimated_hours=task_hours(task, prop),  # the hours the price was computed for
        idempotency_key=hire.idempotency_key,
    )


def reference(hire: Hire) -> str:
    """A short opaque reference per hire attempt, in the public title.

    It keeps two bookings of one worker at the same time and place (two flats in one building)
    apart when a create whose answer was lost is looked up again by human, start and title.
    """
    return hashlib.sha256(hire.idempotency_key.encode()).hexdigest()[:8]


async def send_booking(deps: AppDeps, hire_id: str, *, first: bool = False) -> SendResult:
    """Send a `requested` hire to the marketplace with its stored request and key, and record the answer.

    `first`: the caller cleared the hire (counting this send) in its own transaction just before.
    Any later send is counted here before it goes out and, since an earlier one may have made the
    booking while its answer was lost, first looks for that booking (`rentahuman-api.md` §8:
    reconcile first; the real API's idempotency on bookings is unverified).
    """
    async with deps.uow() as uow:
        loaded = await load_hire(uow, hire_id)
        if loaded is not None and loaded[0].status is HireStatus.REQUESTED and (not first or loaded[0].request is None):
            stored = loaded[0]
            stored.request = stored.request or booking_request(stored, loaded[1], loaded[2])
            stored.sends += 0 if first else 1
            await uow.hires.update(stored)
            await uow.commit()
    if loaded is None or loaded[0].status is not HireStatus.REQUESTED or loaded[0].request is None:
        return SendResult(Sent.GONE)
    hire, task, _ = loaded
    request = loaded[0].request
    if request.start != task.window_start:  # the task moved before the marketplace ever answered
        await _moved_before_answer(deps, hire)
        return SendResult(Sent.MOVED, "the task moved; booking again for the new time")
    try:
        state = await deps.marketplace.recover_booking(request) if hire.sends > 1 else None
        if state is None:
            state = await deps.marketplace.create_booking(request)
    except MarketplaceUnavailable as exc:
        return SendResult(Sent.RETRY, f"{exc} (will retry with the same key)")
    except MarketplaceError as exc:
        await _refused(deps, hire.id, str(exc))
        return SendResult(Sent.REFUSED, str(exc))
    if not await _booked(deps, hire.id, state):
        # The hire was dropped (its task cancelled or moved) while this create was out: the worker
        # must not stay booked. The booking id is on the hire, so a failed cancel is found again.
        if state.status != "cancelled":
            await deps.marketplace.cancel_booking(state.booking_id)
        return SendResult(Sent.GONE)
    if above_price(hire, state.total):
        await _overpriced(deps, hire.id, state)
        return SendResult(Sent.REFUSED, f"charged {state.total}, above the price checked ({hire.price})")
    if state.status == "confirmed":
        await send_access(deps, hire.id)
    return SendResult(Sent.BOOKED)


async def _overpriced(deps: AppDeps, hire_id: str, state: BookingState) -> None:
    """The marketplace charges more than the price checked against the caps (and approved): never kept."""
    cancelled = await deps.marketplace.cancel_booking(state.booking_id)
    async with deps.uow() as uow:
        loaded = await load_hire(uow, hire_id)
        if loaded is None or not loaded[0].is_live or cancelled.status != "cancelled":
            return
        hire, task, prop = loaded
        why = f"{hire.worker_name} was charged {state.total}, above the {hire.price} checked against your budgets"
        hire.transition(HireStatus.CANCELLED, deps.clock.now(), why)
        await uow.hires.update(hire)
        await rehire_or_ask(deps, uow, task, prop, why)
        await uow.commit()


async def cancel_lost_create(deps: AppDeps, hire: Hire) -> None:
    """Find the booking an unanswered create of this hire may have made, and cancel it. Raises
    MarketplaceError when the marketplace cannot be asked (the caller keeps the hire to look again)."""
    if hire.request is None:
        return  # never sent
    found = await deps.marketplace.recover_booking(hire.request)
    if found is not None and found.status != "cancelled":
        await deps.marketplace.cancel_booking(found.booking_id)


async def _moved_before_answer(deps: AppDeps, sent: Hire) -> None:
    """Cancel whatever an earlier send of the hire may have made, and drop the hire (not the worker's
    fault): the task, still hiring, is booked again for its new window on the next run."""
    await cancel_lost_create(deps, sent)
    async with deps.uow() as uow:
        hire = await uow.hires.get(sent.id)
        if hire is None or hire.status is not HireStatus.REQUESTED:
            return
        hire.rescheduled = True
        hire.transition(HireStatus.CANCELLED, deps.clock.now(), "the task moved before the marketplace answered")
        await uow.hires.update(hire)
        await uow.commit()


async def _booked(deps: AppDeps, hire_id: str, state: BookingState) -> bool:
    """Record the booking on its hire; False when the hire was dropped meanwhile (the id is kept anyway)."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        loaded = await load_hire(uow, hire_id)
        if loaded is None:
            return False
        hire, task, prop = loaded
        if hire.status is not HireStatus.REQUESTED:
            if hire.booking_id is None:
                hire.booking_id = state.booking_id
                await uow.hires.update(hire)
                await uow.commit()
            return hire.booking_id == state.booking_id and hire.is_live
        hire.booking_id = state.booking_id
        hire.transition(HireStatus.CONFIRMED if state.status == "confirmed" else HireStatus.BOOKED, now)
        await uow.hires.update(hire)
        if task.status is TaskStatus.HIRING:
            task.transition(TaskStatus.BOOKED, now, f"booked {hire.worker_name}")
            await uow.tasks.update(task)
        local = task.window_start.astimezone(prop.zone)
        where = " (sandbox)" if hire.sandbox else ""
        message = (
            f"Booked{where} {hire.worker_name} for {task.kind.value} at {prop.name}, "
            f"{local:%a %d %b %H:%M}, {hire.price}."
        )
        await record_event(deps, uow, EventKind.HIRE_BOOKED, prop, hire.id, message)
        await uow.commit()
    return True


async def _refused(deps: AppDeps, hire_id: str, error: str) -> None:
    """The marketplace said no to this worker: try the next one, or ask the host after MAX_ATTEMPTS."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        loaded = await load_hire(uow, hire_id)
        if loaded is None or loaded[0].status is not HireStatus.REQUESTED:
            return
        hire, task, prop = loaded
        hire.transition(HireStatus.FAILED, now, error)
        await uow.hires.update(hire)
        await rehire_or_ask(deps, uow, task, prop, f"the marketplace refused {hire.worker_name}: {error}")
        await uow.commit()


async def rehire_or_ask(deps: AppDeps, uow: UnitOfWork, task: Task, prop: Property, why: str) -> None:
    """After a hire ended without the work: back to hiring (the next candidate) if there is still time
    and attempts left, else the host is asked. Either way the task never stays in limbo."""
    if task.status is TaskStatus.CANCELLED or not task.is_open:
        return
    attempts = sum(1 for h in await uow.hires.list_for_task(task.id) if not h.rescheduled)
    now = deps.clock.now()
    if attempts < MAX_ATTEMPTS and can_still_hire(task.deadline, task_hours(task, prop), now):
        if task.status is not TaskStatus.HIRING:
            task.transition(TaskStatus.HIRING, now, why)
        else:
            task.status_reason, task.updated_at = why, now
        await uow.tasks.update(task)
        return
    reason = why + (f"; {attempts} workers tried" if attempts >= MAX_ATTEMPTS else "; too late to find someone else")
    await mark_needs_host(deps, uow, task, prop, reason)


async def mark_needs_host(deps: AppDeps, uow: UnitOfWork, task: Task, prop: Property, reason: str) -> None:
    if task.status is not TaskStatus.NEEDS_HOST:
        task.transition(TaskStatus.NEEDS_HOST, deps.clock.now(), reason)
    else:
        task.status_reason = reason
    await uow.tasks.update(task)
    local = task.window_start.astimezone(prop.zone)
    message = f"Needs you: {task.kind.value} at {prop.name}, {local:%a %d %b %H:%M}: {reason}."
    await record_event(deps, uow, EventKind.TASK_NEEDS_HOST, prop, task.id, message)


def access_text(task: Task, prop: Property) -> str:
    local = task.window_start.astimezone(prop.zone)
    lines = [f"Thanks for taking the {describe(task).lower()} at {prop.name} on {local:%a %d %b, %H:%M}."]
    if prop.address:
        lines.append(f"Address: {prop.address}")
    if prop.access_notes:
        lines.append(f"Access: {prop.access_notes}")
    lines.append("Please keep these details private.")
    return "\n".join(lines)


async def send_access(deps: AppDeps, hire_id: str) -> bool:
    """Send the address and access notes to a confirmed worker, once; True when sent now.

    Nothing is sent when the property has neither. A failure leaves `access_sent_at` empty, so the
    next tracking pass tries again with the same key. The text itself is never logged or put in an event.
    """
    async with deps.uow() as uow:
        loaded = await load_hire(uow, hire_id)
    if loaded is None or loaded[0].access_sent_at is not None:
        return False
    hire, task, prop = loaded
    if hire.status not in (HireStatus.CONFIRMED, HireStatus.IN_PROGRESS) or not (prop.address or prop.access_notes):
        return False
    message = PrivateMessage(
        worker_id=hire.worker_id,
        subject=f"Access for {prop.name}",
        text=access_text(task, prop),
        idempotency_key=f"{hire.idempotency_key}-access",
    )
    conversation_id = await deps.marketplace.send_private_message(message)
    async with deps.uow() as uow:
        stored = await uow.hires.get(hire_id)
        if stored is None or stored.access_sent_at is not None:
            return False
        stored.conversation_id, stored.access_sent_at = conversation_id, deps.clock.now()
        await uow.hires.update(stored)
        text = f"Access details for {prop.name} sent privately to {stored.worker_name}."
        await record_event(deps, uow, EventKind.HIRE_ACCESS_SENT, prop, stored.id, text)
        await uow.commit()
    return True
