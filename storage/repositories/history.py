"""SQL repositories for the event outbox and the audit log, with their row mapping."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, select

from domain.events import AuditEntry, Event, EventKind
from storage import tables as t
from storage.contract import json_copy
from storage.repositories.base import SqlRepository

_e, _l = t.events.c, t.audit_log.c


class SqlEventRepository(SqlRepository):
    table = t.events
    kind = "event"

    async def add(self, event: Event) -> None:
        await self._insert({"id": event.id, **_event_values(event)})

    async def update(self, event: Event) -> None:
        await self._update(event.id, _event_values(event))

    async def list_unnotified(self, *, limit: int = 100) -> list[Event]:
        """The outbox: events not yet notified, oldest first."""
        query = select(t.events).where(_e.notified_at.is_(None)).order_by(_e.created_at, _e.id).limit(limit)
        return [_event(row) for row in await self._rows(query)]

    async def list_for_host(self, host_id: str, *, limit: int = 50) -> list[Event]:
        """The host's latest events, newest first."""
        query = select(t.events).where(_e.host_id == host_id).order_by(_e.created_at.desc(), _e.id.desc())
        return [_event(row) for row in await self._rows(query.limit(limit))]


def _event_values(e: Event) -> dict[str, Any]:
    return {
        "host_id": e.host_id, "kind": e.kind.value, "subject_id": e.subject_id, "created_at": e.created_at,
        "message": e.message, "payload": json_copy(e.payload, "event payload"), "property_id": e.property_id,
        "notified_at": e.notified_at,
    }  # fmt: skip


def _event(row: Row[Any]) -> Event:
    return Event(
        id=row.id, host_id=row.host_id, kind=EventKind(row.kind), subject_id=row.subject_id,
        created_at=row.created_at, message=row.message, payload=row.payload, property_id=row.property_id,
        notified_at=row.notified_at,
    )  # fmt: skip


class SqlAuditRepository(SqlRepository):
    table = t.audit_log
    kind = "audit entry"

    async def add(self, entry: AuditEntry) -> None:
        values = {
            "id": entry.id, "host_id": entry.host_id, "at": entry.at, "actor": entry.actor, "channel": entry.channel,
            "action": entry.action, "arguments": json_copy(entry.arguments, "audit arguments"), "result": entry.result,
        }  # fmt: skip
        await self._insert(values)

    async def list_for_host(self, host_id: str, *, limit: int = 50) -> list[AuditEntry]:
        """The host's latest audit entries, newest first."""
        query = select(t.audit_log).where(_l.host_id == host_id).order_by(_l.at.desc(), _l.id.desc())
        return [_entry(row) for row in await self._rows(query.limit(limit))]


def _entry(row: Row[Any]) -> AuditEntry:
    return AuditEntry(
        id=row.id, host_id=row.host_id, at=row.at, actor=row.actor, channel=row.channel, action=row.action,
        arguments=row.arguments, result=row.result,
    )  # fmt: skip
