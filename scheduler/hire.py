"""Pipeline step 3: find, price and book a worker for each task due soon (rules in `domain.hiring`).

Crash safety: the hire row, with its idempotency key, is committed *before* the marketplace call;
a hire left `requested` (crash, timeout, lost response) is re-sent with the same key on the next
run, so the marketplace finds the first booking again instead of creating a second one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from domain.approvals import Approval
from domain.errors import BudgetExceeded, MarketplaceError, MarketplaceUnavailable
from domain.events import EventKind
from domain.hires import Hire, HireStatus, Worker
from domain.hiring import (
    Candidate,
    Route,
    check_caps,
    committed_spend,
    criteria_for,
    month_start,
    rank_candidates,
    route_for,
    task_hours,
)
from domain.ports import BookingRequest, UnitOfWork
from domain.properties import Property
from domain.tasks import Task, TaskKind, TaskStatus
from tools.context import AppDeps, record_event

HIREABLE = (TaskStatus.PLANNED, TaskStatus.HIRING)


@dataclass(slots=True)
class HireReport:
    booked: int = 0
    proposed: int = 0
    needs_host: int = 0
    errors: list[str] = field(default_factory=list)


async def hire_tasks(deps: AppDeps) -> HireReport:
    """Hire for every planned task whose window opens within the horizon, most urgent first."""
    now = deps.clock.now()
    horizon = now + timedelta(days=deps.config.hire_horizon_days)
    async with deps.uow() as uow:
        tasks = [t for t in await uow.tasks.list_by_status(HIREABLE) if t.window_start <= horizon and t.deadline > now]
    tasks.sort(key=lambda t: (-t.priority, t.window_start, t.id))
    report = HireReport()
    for task in tasks:
        try:
            await _hire_one(deps, task.id, report)
        except MarketplaceError as exc:
            report.errors.append(f"task {task.id}: {exc}")
    return report


async def _hire_one(deps: AppDeps, task_id: str, report: HireReport) -> None:
    async with deps.uow() as uow:
        task = await uow.tasks.get(task_id)
        prop = await uow.properties.get(task.property_id) if task else None
        if task is None or prop is None or task.status not in HIREABLE:
            return
        hires = await uow.hires.list_for_task(task.id)
    pending = next((h for h in hires if h.status is HireStatus.REQUESTED), None)
    if pending is not None:
        await _send(deps, pending, task, prop, report)
        return
    if any(h.is_live or h.status is HireStatus.PROPOSED for h in hires):
        return
    tried = frozenset(h.worker_id for h in hires)
    criteria = criteria_for(task, prop)
    candidates = rank_candidates(
        await _search(deps, criteria.skill, prop.city, criteria.max_rate), criteria, exclude=tried
    )
    widened = not candidates
    if widened:
        criteria = criteria.widened()
        found = await _search(deps, criteria.skill, prop.city, criteria.max_rate)
        candidates = rank_candidates(found, criteria, exclude=tried)
    if not candidates:
        await _needs_host(deps, task.id, "no worker matched, even after widening the budget and rating", report)
        return
    await _commit_to(deps, task.id, prop, candidates[0], attempt=len(hires) + 1, widened=widened, report=report)


async def _search(deps: AppDeps, skill: str, city: str, max_rate: Decimal) -> list[Worker]:
    return await deps.marketplace.search_workers(skill=skill, city=city, max_rate=max_rate, limit=100)


async def _commit_to(
    deps: AppDeps, task_id: str, prop: Property, best: Candidate, *, attempt: int, widened: bool, report: HireReport
) -> None:
    """Check caps and policy, then store the hire (and maybe an approval) before any spending call."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        task = await uow.tasks.get(task_id)
        host = await uow.hosts.get(prop.host_id)
        if task is None or host is None or task.status not in HIREABLE:
            return
        since = month_start(now, host.timezone)
        spent = await uow.hires.list_for_host(prop.host_id, since=since)
        try:
            check_caps(
                best.price, task_budget=task.budget, widened=widened,
                property_spent=committed_spend(spent, since=since, property_id=prop.id),
                property_budget=prop.policy.monthly_budget,
                host_spent=committed_spend(spent, since=since), host_cap=host.monthly_cap,
            )  # fmt: skip
        except BudgetExceeded as exc:
            await _mark_needs_host(deps, uow, task, prop, str(exc))
            await uow.commit()
            report.needs_host += 1
            return
        route = Route.APPROVAL if widened else route_for(best.price, prop.policy)
        hire = Hire(
            id=deps.ids.new_id("hire"), host_id=prop.host_id, property_id=prop.id, task_id=task.id, attempt=attempt,
            worker_id=best.worker.id, worker_name=best.worker.name, price=best.price,
            idempotency_key=Hire.key_for(task.id, attempt), created_at=now,
            status=HireStatus.PROPOSED if route is Route.APPROVAL else HireStatus.REQUESTED,
            sandbox=deps.marketplace.is_sandbox,
        )  # fmt: skip
        await uow.hires.add(hire)
        if route is Route.APPROVAL:
            await _propose(deps, uow, task, prop, hire, widened)
            await uow.commit()
            report.proposed += 1
            return
        if task.status is TaskStatus.PLANNED:
            task.transition(TaskStatus.HIRING, now, f"hiring {best.worker.name}")
        task.hire_id = hire.id
        await uow.tasks.update(task)
        await uow.commit()
    await _send(deps, hire, task, prop, report)


async def _propose(deps: AppDeps, uow: UnitOfWork, task: Task, prop: Property, hire: Hire, widened: bool) -> None:
    now = deps.clock.now()
    why = (
        "the search had to be widened"
        if widened
        else f"above the auto-approve limit of {prop.policy.auto_approve_limit}"
    )
    approval = Approval(
        id=deps.ids.new_id("apr"), host_id=prop.host_id, property_id=prop.id, task_id=task.id, hire_id=hire.id,
        amount=hire.price, reason=why, expires_at=min(task.deadline, now + timedelta(hours=deps.config.approval_hours)),
        created_at=now,
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


def booking_request(hire: Hire, task: Task, prop: Property) -> BookingRequest:
    """Public task text: the city and the window only. Never the address or access notes."""
    local_start = task.window_start.astimezone(prop.zone)
    local_end = task.deadline.astimezone(prop.zone)
    hours = round((task.deadline - task.window_start).total_seconds() / 3600, 1)
    what = "Turnover clean" if task.kind is TaskKind.CLEAN else task.kind.value.replace("_", " ").capitalize()
    description = (
        f"{what} for a short-term rental in {prop.city} ({prop.bedrooms} bedroom(s), {prop.bathrooms} bathroom(s)). "
        f"Window: {local_start:%Y-%m-%d %H:%M} to {local_end:%Y-%m-%d %H:%M} ({prop.timezone}), {hours} h available."
        + (" Same-day turnover: the next guests arrive at the end of the window." if task.same_day_turnover else "")
        + " Access details are sent privately once the booking is confirmed."
    )
    return BookingRequest(
        worker_id=hire.worker_id,
        title=f"{what} in {prop.city}",
        description=description,
        start=task.window_start,
        estimated_hours=min(max(task_hours(task, prop), 0.5), 168.0),  # the marketplace accepts 0.5 to 168
        idempotency_key=hire.idempotency_key,
    )


async def _send(deps: AppDeps, hire: Hire, task: Task, prop: Property, report: HireReport) -> None:
    try:
        state = await deps.marketplace.create_booking(booking_request(hire, task, prop))
    except MarketplaceUnavailable as exc:
        report.errors.append(f"task {task.id}: {exc} (will retry with the same key)")
        return
    except MarketplaceError as exc:
        await _hire_failed(deps, hire.id, str(exc), report)
        return
    now = deps.clock.now()
    async with deps.uow() as uow:
        stored = await uow.hires.get(hire.id)
        current = await uow.tasks.get(task.id)
        if stored is None or current is None:
            return
        stored.booking_id = state.booking_id
        stored.transition(HireStatus.CONFIRMED if state.status == "confirmed" else HireStatus.BOOKED, now)
        await uow.hires.update(stored)
        if current.status is TaskStatus.HIRING:
            current.transition(TaskStatus.BOOKED, now, f"booked {stored.worker_name}")
            await uow.tasks.update(current)
        local = current.window_start.astimezone(prop.zone)
        where = " (sandbox)" if stored.sandbox else ""
        message = (
            f"Booked{where} {stored.worker_name} for {current.kind.value} at {prop.name}, "
            f"{local:%a %d %b %H:%M}, {stored.price}."
        )
        await record_event(deps, uow, EventKind.HIRE_BOOKED, prop, stored.id, message)
        await uow.commit()
    report.booked += 1


async def _hire_failed(deps: AppDeps, hire_id: str, error: str, report: HireReport) -> None:
    now = deps.clock.now()
    async with deps.uow() as uow:
        hire = await uow.hires.get(hire_id)
        task = await uow.tasks.get(hire.task_id) if hire else None
        prop = await uow.properties.get(task.property_id) if task else None
        if hire is None or task is None or prop is None:
            return
        hire.transition(HireStatus.FAILED, now, error)
        await uow.hires.update(hire)
        await _mark_needs_host(deps, uow, task, prop, f"the marketplace refused the booking: {error}")
        await uow.commit()
    report.needs_host += 1


async def _needs_host(deps: AppDeps, task_id: str, reason: str, report: HireReport) -> None:
    async with deps.uow() as uow:
        task = await uow.tasks.get(task_id)
        prop = await uow.properties.get(task.property_id) if task else None
        if task is None or prop is None:
            return
        await _mark_needs_host(deps, uow, task, prop, reason)
        await uow.commit()
    report.needs_host += 1


async def _mark_needs_host(deps: AppDeps, uow: UnitOfWork, task: Task, prop: Property, reason: str) -> None:
    task.transition(TaskStatus.NEEDS_HOST, deps.clock.now(), reason)
    await uow.tasks.update(task)
    local = task.window_start.astimezone(prop.zone)
    message = f"Needs you: {task.kind.value} at {prop.name}, {local:%a %d %b %H:%M}: {reason}."
    await record_event(deps, uow, EventKind.TASK_NEEDS_HOST, prop, task.id, message)
