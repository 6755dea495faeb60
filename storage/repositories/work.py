"""SQL repositories for tasks, hires and approvals, with their row mapping."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select

from domain.approvals import Approval, ApprovalStatus
from domain.hires import BookingRequest, Hire, HireStatus, StatusChange
from domain.tasks import Task, TaskKind, TaskStatus
from storage import tables as t
from storage.repositories.base import SqlRepository
from storage.types import as_utc

_t, _h, _a = t.tasks.c, t.hires.c, t.approvals.c


class SqlTaskRepository(SqlRepository):
    """Lists are ordered by window start, then id. `natural_key` is unique: a second one is a `Conflict`."""

    table = t.tasks
    kind = "task"

    async def add(self, task: Task) -> None:
        await self._insert({"id": task.id, **_task_values(task)})

    async def add_many(self, items: Sequence[Task]) -> None:
        await self._insert_many([{"id": task.id, **_task_values(task)} for task in items])

    async def get(self, task_id: str) -> Task | None:
        row = await self._get_row(task_id)
        return None if row is None else _task(row)

    async def update(self, task: Task) -> None:
        await self._update(task.id, _task_values(task))

    async def get_by_natural_key(self, natural_key: str) -> Task | None:
        rows = await self._rows(select(t.tasks).where(_t.natural_key == natural_key))
        return _task(rows[0]) if rows else None

    async def list_for_property(self, property_id: str) -> list[Task]:
        return await self._list(select(t.tasks).where(_t.property_id == property_id))

    async def list_for_reservation(self, reservation_id: str) -> list[Task]:
        return await self._list(select(t.tasks).where(_t.reservation_id == reservation_id))

    async def list_by_status(self, statuses: Sequence[TaskStatus], *, host_id: str | None = None) -> list[Task]:
        query = select(t.tasks).where(_t.status.in_([s.value for s in statuses]))
        return await self._list(query if host_id is None else query.where(_t.host_id == host_id))

    async def list_for_host(
        self,
        host_id: str,
        *,
        property_id: str | None = None,
        statuses: Sequence[TaskStatus] | None = None,
        kind: TaskKind | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Task]:
        query = select(t.tasks).where(_t.host_id == host_id)
        if property_id is not None:
            query = query.where(_t.property_id == property_id)
        if statuses is not None:
            query = query.where(_t.status.in_([s.value for s in statuses]))
        if kind is not None:
            query = query.where(_t.kind == kind.value)
        return await self._list(query, limit=limit, offset=offset)

    async def _list(self, query: Any, *, limit: int | None = None, offset: int = 0) -> list[Task]:
        query = query.order_by(_t.window_start, _t.id).offset(offset)
        return [_task(row) for row in await self._rows(query if limit is None else query.limit(limit))]


def _task_values(task: Task) -> dict[str, Any]:
    return {
        "host_id": task.host_id, "property_id": task.property_id, "kind": task.kind.value,
        "natural_key": task.natural_key, "window_start": task.window_start, "deadline": task.deadline,
        "budget": task.budget, "required_skills": list(task.required_skills), "created_at": task.created_at,
        "reservation_id": task.reservation_id, "same_day_turnover": task.same_day_turnover,
        "priority": task.priority, "status": task.status.value, "status_reason": task.status_reason,
        "hire_id": task.hire_id, "updated_at": task.updated_at,
    }  # fmt: skip


def _task(row: Row[Any]) -> Task:
    return Task(
        id=row.id, host_id=row.host_id, property_id=row.property_id, kind=TaskKind(row.kind),
        natural_key=row.natural_key, window_start=row.window_start, deadline=row.deadline, budget=row.budget,
        required_skills=tuple(row.required_skills), created_at=row.created_at, reservation_id=row.reservation_id,
        same_day_turnover=row.same_day_turnover, priority=row.priority, status=TaskStatus(row.status),
        status_reason=row.status_reason, hire_id=row.hire_id, updated_at=row.updated_at,
    )  # fmt: skip


class SqlHireRepository(SqlRepository):
    """Lists are ordered by creation time, then id. `idempotency_key` is unique: a second one is a `Conflict`."""

    table = t.hires
    kind = "hire"

    async def add(self, hire: Hire) -> None:
        await self._insert({"id": hire.id, **_hire_values(hire)})

    async def get(self, hire_id: str) -> Hire | None:
        row = await self._get_row(hire_id)
        return None if row is None else _hire(row)

    async def update(self, hire: Hire) -> None:
        await self._update(hire.id, _hire_values(hire))

    async def get_by_idempotency_key(self, key: str) -> Hire | None:
        rows = await self._rows(select(t.hires).where(_h.idempotency_key == key))
        return _hire(rows[0]) if rows else None

    async def list_for_task(self, task_id: str) -> list[Hire]:
        query = select(t.hires).where(_h.task_id == task_id).order_by(_h.created_at, _h.id)
        return [_hire(row) for row in await self._rows(query)]

    async def list_for_host(self, host_id: str, *, since: datetime | None = None) -> list[Hire]:
        """The host's hires; with `since`, only those created at or after that instant."""
        query = select(t.hires).where(_h.host_id == host_id)
        if since is not None:
            query = query.where(_h.created_at >= since)
        return [_hire(row) for row in await self._rows(query.order_by(_h.created_at, _h.id))]

    async def list_by_status(self, statuses: Sequence[HireStatus]) -> list[Hire]:
        query = select(t.hires).where(_h.status.in_([s.value for s in statuses])).order_by(_h.created_at, _h.id)
        return [_hire(row) for row in await self._rows(query)]


def _hire_values(hire: Hire) -> dict[str, Any]:
    history = [{"at": as_utc(c.at).isoformat(), "status": c.status.value, "note": c.note} for c in hire.history]
    return {
        "host_id": hire.host_id, "property_id": hire.property_id, "task_id": hire.task_id, "attempt": hire.attempt,
        "worker_id": hire.worker_id, "worker_name": hire.worker_name, "price": hire.price,
        "idempotency_key": hire.idempotency_key, "created_at": hire.created_at, "status": hire.status.value,
        "booking_id": hire.booking_id, "escrow_id": hire.escrow_id, "bounty_id": hire.bounty_id,
        "sandbox": hire.sandbox, "history": history, "completed_on_time": hire.completed_on_time,
        "final_cost": hire.final_cost, "completed_at": hire.completed_at, "evidence": list(hire.evidence),
        "no_show": hire.no_show, "conversation_id": hire.conversation_id, "access_sent_at": hire.access_sent_at,
        "request": None if hire.request is None else _request_json(hire.request), "rescheduled": hire.rescheduled,
        "sends": hire.sends,
    }  # fmt: skip


def _request_json(request: BookingRequest) -> dict[str, Any]:
    return {
        "worker_id": request.worker_id, "title": request.title, "description": request.description,
        "start": as_utc(request.start).isoformat(), "estimated_hours": request.estimated_hours,
        "idempotency_key": request.idempotency_key, "category": request.category,
    }  # fmt: skip


def _request(data: dict[str, Any] | None) -> BookingRequest | None:
    if data is None:
        return None
    return BookingRequest(**(data | {"start": datetime.fromisoformat(data["start"])}))


def _hire(row: Row[Any]) -> Hire:
    history = [StatusChange(datetime.fromisoformat(c["at"]), HireStatus(c["status"]), c["note"]) for c in row.history]
    return Hire(
        id=row.id, host_id=row.host_id, property_id=row.property_id, task_id=row.task_id, attempt=row.attempt,
        worker_id=row.worker_id, worker_name=row.worker_name, price=row.price,
        idempotency_key=row.idempotency_key, created_at=row.created_at, status=HireStatus(row.status),
        booking_id=row.booking_id, escrow_id=row.escrow_id, bounty_id=row.bounty_id, sandbox=row.sandbox,
        history=history, completed_on_time=row.completed_on_time, final_cost=row.final_cost,
        completed_at=row.completed_at, evidence=tuple(row.evidence or ()), no_show=row.no_show,
        conversation_id=row.conversation_id, access_sent_at=row.access_sent_at, request=_request(row.request),
        rescheduled=row.rescheduled, sends=row.sends,
    )  # fmt: skip


class SqlApprovalRepository(SqlRepository):
    table = t.approvals
    kind = "approval"

    async def add(self, approval: Approval) -> None:
        await self._insert({"id": approval.id, **_approval_values(approval)})

    async def get(self, approval_id: str) -> Approval | None:
        row = await self._get_row(approval_id)
        return None if row is None else _approval(row)

    async def update(self, approval: Approval) -> None:
        await self._update(approval.id, _approval_values(approval))

    async def list_open(self, host_id: str) -> list[Approval]:
        """The host's open approvals, oldest first (expiry is the caller's business: it has the clock)."""
        query = select(t.approvals).where(_a.host_id == host_id, _a.status == ApprovalStatus.OPEN.value)
        return [_approval(row) for row in await self._rows(query.order_by(_a.created_at, _a.id))]


def _approval_values(a: Approval) -> dict[str, Any]:
    return {
        "host_id": a.host_id, "property_id": a.property_id, "task_id": a.task_id, "hire_id": a.hire_id,
        "amount": a.amount, "reason": a.reason, "expires_at": a.expires_at, "created_at": a.created_at,
        "status": a.status.value, "decided_by": a.decided_by, "decided_at": a.decided_at,
    }  # fmt: skip


def _approval(row: Row[Any]) -> Approval:
    return Approval(
        id=row.id, host_id=row.host_id, property_id=row.property_id, task_id=row.task_id, hire_id=row.hire_id,
        amount=row.amount, reason=row.reason, expires_at=row.expires_at, created_at=row.created_at,
        status=ApprovalStatus(row.status), decided_by=row.decided_by, decided_at=row.decided_at,
    )  # fmt: skip
