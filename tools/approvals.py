"""Approvals: spending above a property's auto-approve limit waits for a person.

`decide_approval` is for people only: the agent and MCP clients (language models) may propose
spending, never approve it; it is not offered to them and refuses their channels. Approving checks
the budgets and caps again, since spending may have grown while the card waited.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel

from domain.approvals import Approval, ApprovalStatus
from domain.errors import AlreadyDecided, NotFound, PermissionDenied
from domain.events import EventKind
from domain.hires import Hire, HireStatus
from domain.hiring import check_caps, committed_spend, month_start
from domain.hosts import Channel, Role
from domain.ports import UnitOfWork
from domain.properties import Property
from domain.tasks import Task, TaskStatus
from tools.context import AppDeps, ToolContext, audit, record_event
from tools.hiring import Sent, booking_request, mark_needs_host, send_booking
from tools.registry import MODEL_CHANNELS, page, tool
from tools.scope import describe_actor


class ApprovalOut(BaseModel):
    id: str
    property_id: str
    task_id: str
    worker: str
    amount: str
    reason: str
    status: str
    expires_at: datetime
    task_status: str = ""
    hire_status: str = ""
    message: str = ""


def _approval_out(approval: Approval, hire: Hire | None, task: Task | None, message: str = "") -> ApprovalOut:
    return ApprovalOut(
        id=approval.id, property_id=approval.property_id, task_id=approval.task_id,
        worker=hire.worker_name if hire else "", amount=str(approval.amount), reason=approval.reason,
        status=approval.status.value, expires_at=approval.expires_at,
        task_status=task.status.value if task else "", hire_status=hire.status.value if hire else "", message=message,
    )  # fmt: skip


async def open_approval(
    deps: AppDeps, uow: UnitOfWork, task: Task, prop: Property, hire: Hire, why: str = ""
) -> Approval:
    """Put a proposed hire in front of an approver: the card, the task waiting on it, and an event.

    `why` defaults to the price being above the property's auto-approve limit.
    """
    now = deps.clock.now()
    why = why or f"above the auto-approve limit of {prop.policy.auto_approve_limit}"
    approval = Approval(
        id=deps.ids.new_id("apr"), host_id=prop.host_id, property_id=prop.id, task_id=task.id, hire_id=hire.id,
        amount=hire.price, reason=why, expires_at=approval_expiry(deps, task, now), created_at=now,
    )  # fmt: skip
    await uow.approvals.add(approval)
    task.transition(TaskStatus.AWAITING_APPROVAL, now, why)
    task.hire_id = hire.id
    await uow.tasks.update(task)
    local = task.window_start.astimezone(prop.zone)
    message = (
        f"Approval needed: {hire.worker_name} for {task.kind.value} at {prop.name} on {local:%a %d %b %H:%M}, "
        f"{hire.price} ({why})."
    )
    await record_event(deps, uow, EventKind.APPROVAL_REQUESTED, prop, approval.id, message)
    return approval


def approval_expiry(deps: AppDeps, task: Task, now: datetime) -> datetime:
    """`approval_hours` from now, but never past the moment the worker would need to confirm."""
    latest = task.window_start - timedelta(hours=1)
    return max(now + timedelta(minutes=30), min(latest, now + timedelta(hours=deps.config.approval_hours)))


@tool(read_only=True)
async def list_approvals(ctx: ToolContext, *, limit: int = 50, offset: int = 0) -> list[ApprovalOut]:
    """Spending waiting for a decision: who, for what, how much, and until when. Oldest first.

    Args:
        limit: page size, at most 200.
        offset: how many to skip.
    """
    ctx.actor.require(Role.OWNER, Role.APPROVER, Role.VIEWER)
    limit, offset = page(limit, offset)
    async with ctx.deps.uow() as uow:
        now = ctx.deps.clock.now()
        open_ = [a for a in await uow.approvals.list_open(ctx.actor.host_id) if a.expires_at > now]
        out = []
        for approval in open_[offset : offset + limit]:
            out.append(
                _approval_out(approval, await uow.hires.get(approval.hire_id), await uow.tasks.get(approval.task_id))
            )
    return out


@tool(spends_money=True, humans_only=True, open_world=True)
async def decide_approval(ctx: ToolContext, *, approval_id: str, approve: bool, note: str = "") -> ApprovalOut:
    """Approve or decline a proposed hire. For people only: the agent may propose spending, never approve it.

    Approving re-checks the budgets and caps, then books the worker at once. Declining hands the
    task to the host. Deciding twice changes nothing and reports the first decision.

    Args:
        approval_id: the approval to decide.
        approve: true to book the worker, false to decline.
        note: why, for the audit log.
    """
    actor = ctx.actor
    if actor.channel in (*MODEL_CHANNELS, Channel.SCHEDULER):
        raise PermissionDenied("Only a person can approve or decline spending.")
    actor.require(Role.OWNER, Role.APPROVER)
    deps, now = ctx.deps, ctx.deps.clock.now()
    async with deps.uow() as uow:
        approval = await uow.approvals.get(approval_id)
        if approval is None or approval.host_id != actor.host_id:
            raise NotFound("approval", approval_id)
        hire = await uow.hires.get(approval.hire_id)
        task = await uow.tasks.get(approval.task_id)
        prop = await uow.properties.get(approval.property_id)
        host = await uow.hosts.get(approval.host_id)
        if hire is None or task is None or prop is None or host is None:
            raise NotFound("approval", approval_id)
        if approval.status is ApprovalStatus.OPEN and (
            task.status is not TaskStatus.AWAITING_APPROVAL or hire.status is not HireStatus.PROPOSED
        ):
            approval.withdraw(now)  # the task was cancelled or moved on while the card waited
            await uow.approvals.update(approval)
            await uow.commit()
            raise AlreadyDecided(f"This approval no longer applies: the task is {task.status.value}.")
        if approve and approval.status is ApprovalStatus.OPEN and now < approval.expires_at:
            since = month_start(now, host.timezone)
            spent = await uow.hires.list_for_host(prop.host_id, since=since)
            check_caps(
                hire.price, task_budget=task.budget, widened=True,  # an approver may accept the widened price
                property_spent=committed_spend(spent, since=since, property_id=prop.id),
                property_budget=prop.policy.monthly_budget,
                host_spent=committed_spend(spent, since=since), host_cap=host.monthly_cap,
            )  # fmt: skip
        try:
            fresh = approval.decide(actor, approve, now)
        except AlreadyDecided:
            await _close_expired(deps, uow, approval, hire, task, prop)
            await uow.commit()
            raise
        if not fresh:
            return _approval_out(approval, hire, task, f"Already {approval.status.value}.")
        who = await describe_actor(uow, actor)
        if approve:
            hire.transition(HireStatus.REQUESTED, now, f"approved by {who}")
            hire.request = booking_request(hire, task, prop)  # stored before the first send
            hire.sends = 1
            task.transition(TaskStatus.HIRING, now, f"approved by {who}")
            await uow.tasks.update(task)
            text = f"Approved by {who}: {hire.worker_name} for {task.kind.value} at {prop.name}, {hire.price}."
        else:
            hire.transition(HireStatus.CANCELLED, now, f"declined by {who}")
            text = f"Declined by {who}: {hire.worker_name} for {task.kind.value} at {prop.name}, {hire.price}."
            await mark_needs_host(deps, uow, task, prop, f"the approver declined {hire.worker_name} at {hire.price}")
        await uow.hires.update(hire)
        await uow.approvals.update(approval)
        await record_event(deps, uow, EventKind.APPROVAL_DECIDED, prop, approval.id, text)
        await audit(uow, ctx, "decide_approval", {"approval_id": approval_id, "approve": approve, "note": note}, text)
        await uow.commit()
    message = text
    if approve:
        sent = await send_booking(deps, hire.id, first=True)
        message += {
            Sent.BOOKED: " Booked.",
            Sent.RETRY: " The marketplace is not answering; the booking will be retried shortly.",
            Sent.REFUSED: f" The marketplace refused it: {sent.detail}",
            Sent.GONE: "",
            Sent.MOVED: " The task moved meanwhile; it will be booked again for the new time.",
        }[sent.outcome]
    async with deps.uow() as uow:
        hire_now, task_now = await uow.hires.get(hire.id), await uow.tasks.get(task.id)
    return _approval_out(approval, hire_now, task_now, message)


async def _close_expired(
    deps: AppDeps, uow: UnitOfWork, approval: Approval, hire: Hire, task: Task, prop: Property
) -> None:
    """An approval that ran out: its hire is dropped and the host takes over the task."""
    await uow.approvals.update(approval)
    if hire.status is HireStatus.PROPOSED:
        hire.transition(HireStatus.CANCELLED, deps.clock.now(), "approval expired")
        await uow.hires.update(hire)
    if task.status is TaskStatus.AWAITING_APPROVAL:
        await mark_needs_host(deps, uow, task, prop, f"nobody decided on {hire.worker_name} at {hire.price} in time")


async def expire_approvals(deps: AppDeps) -> int:
    """Close every open approval past its expiry (pipeline step); the host is told about each task."""
    now, closed = deps.clock.now(), 0
    async with deps.uow() as uow:
        for host in await uow.hosts.list():
            for approval in await uow.approvals.list_open(host.id):
                if not approval.expire(now):
                    continue
                hire = await uow.hires.get(approval.hire_id)
                task = await uow.tasks.get(approval.task_id)
                prop = await uow.properties.get(approval.property_id)
                if hire is None or task is None or prop is None:
                    await uow.approvals.update(approval)
                else:
                    await _close_expired(deps, uow, approval, hire, task, prop)
                closed += 1
        await uow.commit()
    return closed
