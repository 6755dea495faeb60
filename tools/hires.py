"""Hires: proposing, booking, following and cancelling marketplace bookings for tasks.

Money rules (ARCHITECTURE.md, rentahuman-api.md §9), enforced here whatever the channel:
- a price above the property's auto-approve limit is never booked on a channel a language model
  drives (the agent, MCP clients): `create_booking` there opens an approval card instead, and only a
  person can press it (`decide_approval`, humans only);
- a person (owner or approver, on the CLI, console, chat buttons or web) who picks a worker is the
  approver: the booking goes out, within the same caps an approver may accept;
- the task budget (+20% for a person's pick), the property's monthly budget and the host's monthly cap
  are checked before anything is sent, and the hire row with its idempotency key is stored first.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel

from domain.errors import Conflict, MarketplaceError, NotFound
from domain.events import EventKind
from domain.hires import Hire, HireStatus, Worker
from domain.hiring import check_caps, committed_spend, month_start, price_for, task_hours
from domain.properties import Property
from domain.tasks import Task, TaskStatus
from tools.approvals import open_approval
from tools.context import AppDeps, ToolContext, audit, record_event
from tools.hiring import Sent, booking_request, cancel_lost_create, load_hire, mark_needs_host, send_booking
from tools.registry import MODEL_CHANNELS, page, tool
from tools.scope import DECIDERS, READERS, describe_actor, owned_task

BOOKABLE = (TaskStatus.PLANNED, TaskStatus.HIRING, TaskStatus.NEEDS_HOST)
SANDBOX_NOTE = "Sandbox: a local simulation of RentAHuman; no real person is hired and no money moves."
SENT_NOTES = {
    Sent.BOOKED: "Booked.",
    Sent.RETRY: "The marketplace is not answering; the booking will be retried shortly with the same key.",
    Sent.GONE: "",
    Sent.MOVED: "The task moved meanwhile; it will be booked again for the new time.",
}


class HireOut(BaseModel):
    id: str
    task_id: str
    property_id: str
    worker_id: str
    worker_name: str
    price: Decimal
    status: HireStatus
    attempt: int
    booking_id: str | None
    created_at: datetime
    task_status: str = ""
    approval_id: str | None = None  # set when the hire waits for an approver
    marketplace_status: str | None = None  # the marketplace's own word, when it was asked
    sandbox: bool
    note: str = ""  # what happened, for a person; says so when the marketplace is the sandbox

    @classmethod
    def of(cls, hire: Hire, task: Task | None = None, **extra: object) -> HireOut:
        note = str(extra.pop("note", ""))
        if hire.sandbox:
            note = f"{note} {SANDBOX_NOTE}".strip()
        return cls(
            id=hire.id, task_id=hire.task_id, property_id=hire.property_id, worker_id=hire.worker_id,
            worker_name=hire.worker_name, price=hire.price, status=hire.status, attempt=hire.attempt,
            booking_id=hire.booking_id, created_at=hire.created_at, task_status=task.status.value if task else "",
            sandbox=hire.sandbox, note=note, **extra,  # type: ignore[arg-type]
        )  # fmt: skip


async def _priced(ctx: ToolContext, task_id: str, human_id: str) -> tuple[Worker, Decimal, Property]:
    """The worker (read from the marketplace), the price of the task at their rate, and the property.

    The marketplace charges the worker's own rate (a booking carries no rate of ours), so that is the
    price every check is made against.
    """
    async with ctx.deps.uow() as uow:
        task, prop = await owned_task(uow, ctx, task_id)
    worker = await ctx.deps.marketplace.get_worker(human_id)
    return worker, price_for(worker, task_hours(task, prop)), prop


async def booking_needs_approval(ctx: ToolContext, *, task_id: str, human_id: str) -> bool:
    """Whether booking `human_id` for the task costs more than the property's auto-approve limit."""
    _, price, prop = await _priced(ctx, task_id, human_id)
    return price > prop.policy.auto_approve_limit


@tool(spends_money=True, open_world=True)
async def propose_hire(ctx: ToolContext, *, task_id: str, human_id: str) -> HireOut:
    """Propose a worker for a task: an approval card goes to the host's approvers, and nothing is booked
    or spent until a person approves it. Use this to suggest spending.

    Args:
        task_id: the task to staff.
        human_id: the RentAHuman worker (from search_humans); booked at their own hourly rate.
    """
    return await _hire(ctx, task_id, human_id, book=False)


@tool(spends_money=True, needs_approval=True, open_world=True)
async def create_booking(ctx: ToolContext, *, task_id: str, human_id: str) -> HireOut:
    """Book a worker for a task on the marketplace. At or under the property's auto-approve limit it is
    booked at once; above it, a request from an assistant becomes an approval card for a person.
    Budgets and monthly caps are always checked first.

    Args:
        task_id: the task to staff.
        human_id: the RentAHuman worker (from search_humans); booked at their own hourly rate.
    """
    return await _hire(ctx, task_id, human_id, book=True)


async def _hire(ctx: ToolContext, task_id: str, human_id: str, *, book: bool) -> HireOut:
    ctx.actor.require(*DECIDERS)
    worker, price, _ = await _priced(ctx, task_id, human_id)
    deps, actor, now = ctx.deps, ctx.actor, ctx.deps.clock.now()
    async with deps.uow() as uow:
        task, prop = await owned_task(uow, ctx, task_id)
        by = await describe_actor(uow, actor)
        host = await uow.hosts.get(prop.host_id)
        if host is None:
            raise NotFound("task", task_id)
        if task.status not in BOOKABLE:
            raise Conflict(f"This task is {task.status.value}; only a task still to be staffed can be booked.")
        hires = await uow.hires.list_for_task(task.id)
        if any(h.is_live or h.status is HireStatus.PROPOSED for h in hires):
            raise Conflict("This task already has a worker booked or proposed; cancel that booking first.")
        since = month_start(now, host.timezone)
        spent = await uow.hires.list_for_host(prop.host_id, since=since)
        check_caps(
            price, task_budget=task.budget,
            widened=actor.channel not in MODEL_CHANNELS,  # a person's pick may go 20% over, like an approver's
            property_spent=committed_spend(spent, since=since, property_id=prop.id),
            property_budget=prop.policy.monthly_budget,
            host_spent=committed_spend(spent, since=since), host_cap=host.monthly_cap,
        )  # fmt: skip
        above = price > prop.policy.auto_approve_limit
        propose = not book or (above and actor.channel in MODEL_CHANNELS)
        hire = Hire(
            id=deps.ids.new_id("hire"), host_id=prop.host_id, property_id=prop.id, task_id=task.id,
            attempt=len(hires) + 1, worker_id=worker.id, worker_name=worker.name, price=price,
            idempotency_key=Hire.key_for(task.id, len(hires) + 1), created_at=now,
            status=HireStatus.PROPOSED if propose else HireStatus.REQUESTED, sandbox=deps.marketplace.is_sandbox,
        )  # fmt: skip
        await uow.hires.add(hire)
        approval_id = None
        if propose:
            why = f"proposed by {by}" + (
                f", above the auto-approve limit of {prop.policy.auto_approve_limit}" if above else ""
            )
            approval_id = (await open_approval(deps, uow, task, prop, hire, why)).id
        else:
            hire.request = booking_request(hire, task, prop)  # stored before the first send
            hire.sends = 1
            if task.status is not TaskStatus.HIRING:
                task.transition(TaskStatus.HIRING, now, f"{worker.name} picked by {by}")
            task.hire_id = hire.id
            await uow.tasks.update(task)
        verb = "propose_hire" if not book else "create_booking"
        args = {"task_id": task_id, "human_id": human_id}
        result = f"approval {approval_id}" if approval_id else f"hire {hire.id} requested"
        await audit(uow, ctx, verb, args, result)
        await uow.commit()
    if approval_id is not None:
        note = f"Waiting for an approver (approval {approval_id}): {worker.name} at {price}."
        return HireOut.of(hire, task, approval_id=approval_id, note=note)
    sent = await send_booking(deps, hire.id, first=True)
    note = SENT_NOTES.get(sent.outcome) or f"The marketplace refused it: {sent.detail}"
    async with deps.uow() as uow:
        loaded = await load_hire(uow, hire.id)
    return HireOut.of(loaded[0], loaded[1], note=note) if loaded else HireOut.of(hire, task, note=note)


@tool(read_only=True, open_world=True)
async def get_booking_status(ctx: ToolContext, *, hire_id: str) -> HireOut:
    """A hire's status, with the marketplace's own answer for its booking when it has one.

    Args:
        hire_id: the hire (from list_hires or get_task).
    """
    ctx.actor.require(*READERS)
    async with ctx.deps.uow() as uow:
        loaded = await load_hire(uow, hire_id)
    if loaded is None or loaded[0].host_id != ctx.actor.host_id:
        raise NotFound("hire", hire_id)
    hire, task, _ = loaded
    if hire.booking_id is None:
        return HireOut.of(hire, task)
    try:
        state = await ctx.deps.marketplace.get_booking(hire.booking_id)
    except MarketplaceError as exc:
        return HireOut.of(hire, task, note=f"The marketplace could not be asked: {exc}")
    return HireOut.of(hire, task, marketplace_status=state.status)


@tool(destructive=True, idempotent=True, open_world=True)
async def cancel_booking(ctx: ToolContext, *, hire_id: str, rehire: bool = True, reason: str = "") -> HireOut:
    """Cancel a hire: its marketplace booking is cancelled (or its approval card withdrawn).

    Args:
        hire_id: the hire to cancel.
        rehire: true to let Turnover find someone else for the task; false to leave the task to the host.
        reason: why, for the audit log and the host's notification.
    """
    ctx.actor.require(*DECIDERS)
    async with ctx.deps.uow() as uow:
        loaded = await load_hire(uow, hire_id)
    if loaded is None or loaded[0].host_id != ctx.actor.host_id:
        raise NotFound("hire", hire_id)
    async with ctx.deps.uow() as uow:
        by = await describe_actor(uow, ctx.actor)
    why = f"cancelled by {by}" + (f": {reason}" if reason else "")
    hire = await withdraw_hire(ctx.deps, hire_id, reason=why)
    async with ctx.deps.uow() as uow:
        hire_now, task, prop = await load_hire(uow, hire_id) or loaded
        if task.is_open and task.hire_id == hire_id:
            if task.status is TaskStatus.IN_PROGRESS:
                await mark_needs_host(ctx.deps, uow, task, prop, f"{why}, after the work started")
            elif rehire and task.status is not TaskStatus.HIRING:
                task.transition(TaskStatus.HIRING, ctx.deps.clock.now(), why)
                await uow.tasks.update(task)
            elif not rehire:
                await mark_needs_host(ctx.deps, uow, task, prop, why)
        await audit(uow, ctx, "cancel_booking", {"hire_id": hire_id, "rehire": rehire, "reason": reason}, why)
        await uow.commit()
    return HireOut.of(hire_now or hire, task, note=why[0].upper() + why[1:] + ".")


async def withdraw_hire(deps: AppDeps, hire_id: str, *, reason: str) -> Hire:
    """Cancel a hire now: its booking on the marketplace (or a create whose answer was lost), then the
    hire itself and any open approval card. Raises MarketplaceError when the marketplace cannot be told,
    leaving the hire as it was (for a cancelled task the pipeline's tracking cancels it on a later pass).
    """
    async with deps.uow() as uow:
        loaded = await load_hire(uow, hire_id)
    if loaded is None:
        raise NotFound("hire", hire_id)
    hire, task, prop = loaded
    if hire.status in (HireStatus.CANCELLED, HireStatus.COMPLETED, HireStatus.FAILED):
        return hire
    if hire.booking_id is not None:
        await deps.marketplace.cancel_booking(hire.booking_id)
    elif hire.status is HireStatus.REQUESTED:
        await cancel_lost_create(deps, hire)
    now = deps.clock.now()
    async with deps.uow() as uow:
        stored = await uow.hires.get(hire_id)
        if stored is None or not stored.can_become(HireStatus.CANCELLED):
            return stored or hire
        stored.transition(HireStatus.CANCELLED, now, reason)
        await uow.hires.update(stored)
        for approval in await uow.approvals.list_open(stored.host_id):
            if approval.hire_id == stored.id and approval.withdraw(now):
                await uow.approvals.update(approval)
        text = f"{stored.worker_name}: {task.kind.value} at {prop.name} {reason}."
        await record_event(deps, uow, EventKind.HIRE_CANCELLED, prop, stored.id, text)
        await uow.commit()
    return stored


@tool(read_only=True)
async def list_hires(
    ctx: ToolContext,
    *,
    task_id: str | None = None,
    status: HireStatus | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[HireOut]:
    """The host's hires, newest first: who was booked or proposed for which task, at what price.

    Args:
        task_id: only this task's hires.
        status: only hires in this status (proposed, requested, booked, confirmed, in_progress, completed,
            cancelled, failed).
        limit: page size, at most 200.
        offset: how many to skip.
    """
    ctx.actor.require(*READERS)
    limit, offset = page(limit, offset)
    async with ctx.deps.uow() as uow:
        if task_id is not None:
            await owned_task(uow, ctx, task_id)
            hires = await uow.hires.list_for_task(task_id)
        else:
            hires = await uow.hires.list_for_host(ctx.actor.host_id)
    chosen = [h for h in hires if status is None or h.status is status]
    chosen.sort(key=lambda h: (h.created_at, h.id), reverse=True)
    return [HireOut.of(h) for h in chosen[offset : offset + limit]]
