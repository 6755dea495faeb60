"""Pipeline step 4: find, price and book a worker for each task due soon (rules in `domain.hiring`).

Crash safety: the hire row, with its idempotency key (one per task and attempt), is committed
*before* the marketplace call; a hire left `requested` (crash, timeout, lost response) is re-sent
with the same key on the next run, so the marketplace finds the first booking again instead of
creating a second one. Two runs at once cannot both hire for one task: the second one's hire row
has the same key and is refused by the store's unique constraint.

Tasks are hired concurrently, at most `hire_concurrency` at a time; searches are shared within a
run (one per skill, city and rate ceiling). The marketplace client paces itself on the
`X-RateLimit-*` headers, so concurrency never runs past the platform's limits.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from domain.errors import BudgetExceeded, Conflict, MarketplaceError, TurnoverError
from domain.hires import Hire, HireStatus, Worker
from domain.hiring import (
    MAX_ATTEMPTS,
    Candidate,
    Route,
    SearchCriteria,
    Track,
    can_still_hire,
    check_caps,
    committed_spend,
    criteria_for,
    month_start,
    rank_candidates,
    route_for,
    task_hours,
)
from domain.ports import Marketplace
from domain.properties import Property
from domain.tasks import Task, TaskStatus
from tools.approvals import expire_approvals, open_approval
from tools.context import AppDeps
from tools.hiring import Sent, booking_request, cancel_lost_create, mark_needs_host, send_booking

HIREABLE = (TaskStatus.PLANNED, TaskStatus.HIRING)


@dataclass(slots=True)
class HireReport:
    booked: int = 0
    proposed: int = 0
    needs_host: int = 0
    approvals_expired: int = 0
    errors: list[str] = field(default_factory=list)


class Searches:
    """One marketplace search per (skill, city, rate ceiling) per run, shared by concurrent tasks."""

    def __init__(self, marketplace: Marketplace) -> None:
        self._marketplace = marketplace
        self._found: dict[tuple[str, str, Decimal], asyncio.Future[list[Worker]]] = {}

    async def workers(self, criteria: SearchCriteria, city: str) -> list[Worker]:
        key = (criteria.skill.lower(), city.lower(), criteria.max_rate)
        if key not in self._found:
            future: asyncio.Future[list[Worker]] = asyncio.get_running_loop().create_future()
            self._found[key] = future
            try:
                future.set_result(
                    await self._marketplace.search_workers(
                        skill=criteria.skill, city=city, max_rate=criteria.max_rate, limit=100
                    )
                )
            except BaseException as exc:
                del self._found[key]  # the next task searches again
                future.set_exception(exc)
                future.exception()  # retrieved: a failed search is reported by the task that made it
                raise
        return await asyncio.shield(self._found[key])


@dataclass(slots=True)
class _Run:
    deps: AppDeps
    report: HireReport
    searches: Searches
    tracks: dict[str, list[Hire]] = field(default_factory=dict)  # host id -> its hires, loaded once
    locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    def host_lock(self, host_id: str) -> asyncio.Lock:
        return self.locks.setdefault(host_id, asyncio.Lock())


async def hire_tasks(deps: AppDeps) -> HireReport:
    """Hire for every planned task whose window opens within the horizon, most urgent first."""
    now = deps.clock.now()
    report = HireReport()
    try:
        report.approvals_expired = await expire_approvals(deps)
    except Conflict:
        report.errors.append("approvals were being expired by another run at the same time")
    await _hand_over_missed(deps, report)
    horizon = now + timedelta(days=deps.config.hire_horizon_days)
    async with deps.uow() as uow:
        tasks = [t for t in await uow.tasks.list_by_status(HIREABLE) if t.window_start <= horizon and t.deadline > now]
        hosts = {t.host_id for t in tasks}
        run = _Run(deps, report, Searches(deps.marketplace))
        for host_id in hosts:
            run.tracks[host_id] = await uow.hires.list_for_host(host_id)
    tasks.sort(key=lambda t: (-t.priority, t.window_start, t.id))
    gate = asyncio.Semaphore(max(1, deps.config.hire_concurrency))

    async def one(task: Task) -> None:
        async with gate:
            try:
                await _hire_one(run, task.id)
            except TurnoverError as exc:  # one task's trouble is reported, never the whole pass aborted
                report.errors.append(f"task {task.id}: {exc}")

    async with asyncio.TaskGroup() as group:
        for task in tasks:
            group.create_task(one(task))
    return report


async def _hand_over_missed(deps: AppDeps, report: HireReport) -> None:
    """A task whose window ended while nobody was booked goes to the host, never left hiring.

    A create still waiting for its answer is looked up and cancelled if it was made: nobody should
    turn up after the window for work the host has taken over. If the marketplace cannot be asked,
    the host is told anyway and the tracking step keeps looking for that booking until it can.
    """
    now = deps.clock.now()
    async with deps.uow() as uow:
        missed = [t for t in await uow.tasks.list_by_status(HIREABLE) if t.deadline <= now]
    for task in missed:
        async with deps.uow() as uow:
            waiting = [h for h in await uow.hires.list_for_task(task.id) if h.status is HireStatus.REQUESTED]
        unchecked: set[str] = set()
        for hire in waiting:
            try:
                await cancel_lost_create(deps, hire)
            except MarketplaceError as exc:
                unchecked.add(hire.id)
                report.errors.append(f"task {task.id}: {exc} (will look for its booking again)")
        try:
            async with deps.uow() as uow:
                current = await uow.tasks.get(task.id)
                prop = await uow.properties.get(task.property_id)
                if current is None or prop is None or current.status not in HIREABLE:
                    continue
                for hire in await uow.hires.list_for_task(task.id):
                    if hire.status is HireStatus.REQUESTED and hire.id not in unchecked:
                        hire.transition(HireStatus.CANCELLED, now, "the task's window ended before a booking")
                        await uow.hires.update(hire)
                await mark_needs_host(deps, uow, current, prop, "its window ended and nobody could be booked in time")
                await uow.commit()
        except Conflict:
            continue  # changed by a concurrent run: looked at again next pass
        report.needs_host += 1


async def _hire_one(run: _Run, task_id: str) -> None:
    deps = run.deps
    async with deps.uow() as uow:
        task = await uow.tasks.get(task_id)
        prop = await uow.properties.get(task.property_id) if task else None
        if task is None or prop is None or task.status not in HIREABLE:
            return
        hires = await uow.hires.list_for_task(task.id)
    pending = next((h for h in hires if h.status is HireStatus.REQUESTED), None)
    if pending is not None:
        await _send(run, pending.id)
        return
    if any(h.is_live or h.status is HireStatus.PROPOSED for h in hires):
        return
    counted = [h for h in hires if not h.rescheduled]  # a hire dropped because the task moved was no failure
    if len(counted) >= MAX_ATTEMPTS:
        await _needs_host(run, task.id, f"{len(counted)} workers were tried and none did the job")
        return
    if not can_still_hire(task.deadline, task_hours(task, prop), deps.clock.now()):
        await _needs_host(run, task.id, "too little of its window is left to book someone")
        return
    tried = frozenset(h.worker_id for h in counted)
    criteria = criteria_for(task, prop)
    window = (task.window_start, task.deadline)
    track = Track.of(run.tracks.get(prop.host_id, ()), prop.id)
    found = await run.searches.workers(criteria, prop.city)
    candidates = rank_candidates(found, criteria, exclude=tried, window=window, track=track)
    widened = not candidates
    if widened:
        criteria = criteria.widened()
        found = await run.searches.workers(criteria, prop.city)
        candidates = rank_candidates(found, criteria, exclude=tried, window=window, track=track)
    if not candidates:
        await _needs_host(run, task.id, "no worker matched, even after widening the budget and rating")
        return
    await _commit_to(run, task.id, prop, candidates[0], widened=widened)


async def _commit_to(run: _Run, task_id: str, prop: Property, best: Candidate, *, widened: bool) -> None:
    """Check caps and policy, then store the hire (and maybe an approval) before any spending call."""
    deps, report = run.deps, run.report
    now = deps.clock.now()
    try:
        # One host's spending is checked and committed one hire at a time within a run, so tasks hired
        # concurrently cannot each pass the monthly caps on the same remainder. (On SQLite every unit of
        # work is serialised anyway; on PostgreSQL two separate processes could still race.)
        async with run.host_lock(prop.host_id), deps.uow() as uow:
            task = await uow.tasks.get(task_id)
            host = await uow.hosts.get(prop.host_id)
            if task is None or host is None or task.status not in HIREABLE:
                return
            hires = await uow.hires.list_for_task(task.id)
            if any(h.is_live or h.status is HireStatus.PROPOSED for h in hires):
                return  # another run got here first
            since = month_start(now, host.timezone)
            capped = prop.policy.monthly_budget is not None or host.monthly_cap is not None
            spent = await uow.hires.list_for_host(prop.host_id, since=since) if capped else []
            try:
                check_caps(
                    best.price, task_budget=task.budget, widened=widened,
                    property_spent=committed_spend(spent, since=since, property_id=prop.id),
                    property_budget=prop.policy.monthly_budget,
                    host_spent=committed_spend(spent, since=since), host_cap=host.monthly_cap,
                )  # fmt: skip
            except BudgetExceeded as exc:
                await mark_needs_host(deps, uow, task, prop, str(exc))
                await uow.commit()
                report.needs_host += 1
                return
            route = Route.APPROVAL if widened else route_for(best.price, prop.policy)
            attempt = len(hires) + 1
            hire = Hire(
                id=deps.ids.new_id("hire"), host_id=prop.host_id, property_id=prop.id, task_id=task.id,
                attempt=attempt, worker_id=best.worker.id, worker_name=best.worker.name, price=best.price,
                idempotency_key=Hire.key_for(task.id, attempt), created_at=now,
                status=HireStatus.PROPOSED if route is Route.APPROVAL else HireStatus.REQUESTED,
                sandbox=deps.marketplace.is_sandbox,
            )  # fmt: skip
            if route is Route.AUTO:
                hire.request = booking_request(hire, task, prop)  # stored before the first send
                hire.sends = 1
            await uow.hires.add(hire)
            if route is Route.APPROVAL:
                why = "the search had to be widened" if widened else ""
                await open_approval(deps, uow, task, prop, hire, why)
                await uow.commit()
                report.proposed += 1
                return
            if task.status is TaskStatus.PLANNED:
                task.transition(TaskStatus.HIRING, now, f"hiring {best.worker.name}")
            task.hire_id = hire.id
            await uow.tasks.update(task)
            await uow.commit()
    except Conflict:
        return  # the same (task, attempt) key was stored by a concurrent run: that run sends it
    await _send(run, hire.id, first=True)


async def _send(run: _Run, hire_id: str, *, first: bool = False) -> None:
    result = await send_booking(run.deps, hire_id, first=first)
    if result.outcome is Sent.BOOKED:
        run.report.booked += 1
    elif result.outcome in (Sent.RETRY, Sent.REFUSED):
        run.report.errors.append(f"hire {hire_id}: {result.detail}")


async def _needs_host(run: _Run, task_id: str, reason: str) -> None:
    async with run.deps.uow() as uow:
        task = await uow.tasks.get(task_id)
        prop = await uow.properties.get(task.property_id) if task else None
        if task is None or prop is None or task.status not in HIREABLE:
            return
        await mark_needs_host(run.deps, uow, task, prop, reason)
        await uow.commit()
    run.report.needs_host += 1
