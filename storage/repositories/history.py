"""SQL repositories for the event outbox and the audit log, with their row mapping."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Row, String, and_, cast, exists, null, or_, select

from domain.events import AuditEntry, Event, EventKind
from domain.feeds import FeedFetch, FetchOutcome
from storage import tables as t
from storage.contract import json_copy
from storage.repositories.base import SqlRepository

_e, _l = t.events.c, t.audit_log.c


class SqlEventRepository(SqlRepository):
    table = t.events
    kind = "event"

    async def add(self, event: Event) -> None:
        await self._insert({"id": event.id, **_event_values(event)})

    async def add_many(self, items: Sequence[Event]) -> None:
        await self._insert_many([{"id": e.id, **_event_values(e)} for e in items])

    async def update(self, event: Event) -> None:
        await self._update(event.id, _event_values(event))

    async def list_unnotified(self, *, limit: int = 100) -> list[Event]:
        """The outbox: events not yet notified, oldest first."""
        query = select(t.events).where(_e.notified_at.is_(None)).order_by(_e.created_at, _e.id).limit(limit)
        return [_event(row) for row in await self._rows(query)]

    async def list_for_host(
        self,
        host_id: str,
        *,
        limit: int = 50,
        since: datetime | None = None,
        property_id: str | None = None,
        subject_id: str | None = None,
    ) -> list[Event]:
        """The host's latest events, newest first, narrowed by each filter given."""
        query = select(t.events).where(_e.host_id == host_id)
        if since is not None:
            query = query.where(_e.created_at >= since)
        if property_id is not None:
            query = query.where(_e.property_id == property_id)
        if subject_id is not None:
            query = query.where(_e.subject_id == subject_id)
        query = query.order_by(_e.created_at.desc(), _e.id.desc())
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

    async def list_for_host(
        self,
        host_id: str,
        *,
        limit: int = 50,
        since: datetime | None = None,
        channel: str | None = None,
        property_id: str | None = None,
    ) -> list[AuditEntry]:
        """The host's latest audit entries, newest first, narrowed by each filter given."""
        query = select(t.audit_log).where(_l.host_id == host_id)
        if since is not None:
            query = query.where(_l.at >= since)
        if channel is not None:
            query = query.where(_l.channel == channel)
        if property_id is not None:
            query = query.where(_l.arguments["property_id"].as_string() == property_id)
        query = query.order_by(_l.at.desc(), _l.id.desc())
        return [_entry(row) for row in await self._rows(query.limit(limit))]


def _entry(row: Row[Any]) -> AuditEntry:
    return AuditEntry(
        id=row.id, host_id=row.host_id, at=row.at, actor=row.actor, channel=row.channel, action=row.action,
        arguments=row.arguments, result=row.result,
    )  # fmt: skip


class SqlFeedFetchRepository(SqlRepository):
    table = t.feed_fetches
    kind = "feed fetch"

    async def add(self, fetch: FeedFetch) -> None:
        await self._insert(_fetch_values(fetch))

    async def add_many(self, items: Sequence[FeedFetch]) -> None:
        await self._insert_many([_fetch_values(fetch) for fetch in items])

    async def list_for_feed(self, feed_id: str, *, limit: int = 50) -> list[FeedFetch]:
        """The feed's latest fetches, newest first."""
        f = t.feed_fetches.c
        query = select(t.feed_fetches).where(f.feed_id == feed_id).order_by(f.at.desc(), f.id.desc()).limit(limit)
        return [_fetch(row) for row in await self._rows(query)]

    async def expire_snapshots(self, before: datetime) -> int:
        """Clear the snapshots older than `before` that a newer snapshot of the same feed supersedes."""
        alias = t.feed_fetches.alias("newer")
        f, newer = t.feed_fetches.c, alias.c
        superseded = exists().where(
            newer.feed_id == f.feed_id,
            _has_snapshot(alias),
            or_(newer.at > f.at, and_(newer.at == f.at, newer.id > f.id)),
        )
        expire = t.feed_fetches.update().where(f.at < before, _has_snapshot(t.feed_fetches), superseded)
        return (await self._write(expire.values(events=null()))).rowcount


def _has_snapshot(fetches: FromClause) -> ColumnElement[bool]:
    # No snapshot is SQL NULL (an expired one) or JSON null (the JSON column type writes None that way).
    events = fetches.c.events
    return and_(events.is_not(None), cast(events, String) != "null")


def _fetch_values(fetch: FeedFetch) -> dict[str, Any]:
    # The JSON column serialises the records (plain strings by construction); a value that is not
    # JSON fails the INSERT. The in-memory store copies them through JSON to behave the same.
    events = None if fetch.events is None else list(fetch.events)
    return {
        "id": fetch.id, "feed_id": fetch.feed_id, "at": fetch.at, "outcome": fetch.outcome.value,
        "body_sha256": fetch.body_sha256, "events_hash": fetch.events_hash, "event_count": fetch.event_count,
        "error": fetch.error, "held_reason": fetch.held_reason, "new": fetch.new, "changed": fetch.changed,
        "cancelled": fetch.cancelled, "events": events,
    }  # fmt: skip


def _fetch(row: Row[Any]) -> FeedFetch:
    return FeedFetch(
        id=row.id, feed_id=row.feed_id, at=row.at, outcome=FetchOutcome(row.outcome), body_sha256=row.body_sha256,
        events_hash=row.events_hash, event_count=row.event_count, error=row.error, held_reason=row.held_reason,
        new=row.new, changed=row.changed, cancelled=row.cancelled,
        events=None if row.events is None else tuple(row.events),
    )  # fmt: skip
