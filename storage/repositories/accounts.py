"""SQL repositories for hosts, members, properties and feeds, with their row mapping."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Row, delete, insert, select

from domain.feeds import Feed, FeedHealth, FeedOptions, Platform
from domain.hosts import Host, Member, Role
from domain.properties import HiringPolicy, PlanningRules, Property
from domain.tasks import TaskKind
from storage import tables as t
from storage.repositories.base import SqlRepository


class SqlHostRepository(SqlRepository):
    table = t.hosts
    kind = "host"

    async def add(self, host: Host) -> None:
        await self._insert({"id": host.id, **_host_values(host)})

    async def get(self, host_id: str) -> Host | None:
        row = await self._get_row(host_id)
        return None if row is None else _host(row)

    async def update(self, host: Host) -> None:
        await self._update(host.id, _host_values(host))

    async def list(self) -> list[Host]:
        rows = await self._rows(select(t.hosts).order_by(t.hosts.c.created_at, t.hosts.c.id))
        return [_host(row) for row in rows]


def _host_values(host: Host) -> dict[str, Any]:
    return {
        "name": host.name, "timezone": host.timezone, "created_at": host.created_at, "monthly_cap": host.monthly_cap
    }  # fmt: skip


def _host(row: Row[Any]) -> Host:
    return Host(id=row.id, name=row.name, timezone=row.timezone, created_at=row.created_at, monthly_cap=row.monthly_cap)


class SqlMemberRepository(SqlRepository):
    """Identities live in `member_identities`: one (kind, value) belongs to one member."""

    table = t.members
    kind = "member"

    async def add(self, member: Member) -> None:
        async with self._conn.begin_nested():
            await self._insert({"id": member.id, **_member_values(member)})
            await self._write_identities(member)

    async def get(self, member_id: str) -> Member | None:
        row = await self._get_row(member_id)
        return None if row is None else (await self._members([row]))[0]

    async def update(self, member: Member) -> None:
        async with self._conn.begin_nested():
            await self._update(member.id, _member_values(member))
            await self._write(delete(t.member_identities).where(t.member_identities.c.member_id == member.id))
            await self._write_identities(member)

    async def list_for_host(self, host_id: str) -> list[Member]:
        query = select(t.members).where(t.members.c.host_id == host_id).order_by(t.members.c.created_at, t.members.c.id)
        return await self._members(await self._rows(query))

    async def find_by_identity(self, kind: str, value: str) -> Member | None:
        ids = t.member_identities
        query = select(t.members).join(ids, ids.c.member_id == t.members.c.id)
        rows = await self._rows(query.where(ids.c.kind == kind, ids.c.value == value))
        return (await self._members(rows))[0] if rows else None

    async def _write_identities(self, member: Member) -> None:
        if member.identities:
            rows = [{"member_id": member.id, "kind": k, "value": v} for k, v in member.identities.items()]
            await self._write(insert(t.member_identities).values(rows))

    async def _members(self, rows: Iterable[Row[Any]]) -> list[Member]:
        members = [_member(row) for row in rows]
        if members:
            ids = t.member_identities
            query = select(ids).where(ids.c.member_id.in_([m.id for m in members])).order_by(ids.c.kind)
            by_id = {m.id: m for m in members}
            for row in await self._rows(query):
                by_id[row.member_id].identities[row.kind] = row.value
        return members


def _member_values(member: Member) -> dict[str, Any]:
    return {"host_id": member.host_id, "name": member.name, "role": member.role.value, "created_at": member.created_at}


def _member(row: Row[Any]) -> Member:
    return Member(id=row.id, host_id=row.host_id, name=row.name, role=Role(row.role), created_at=row.created_at)


class SqlPropertyRepository(SqlRepository):
    table = t.properties
    kind = "property"

    async def add(self, prop: Property) -> None:
        await self._insert({"id": prop.id, **_property_values(prop)})

    async def get(self, property_id: str) -> Property | None:
        row = await self._get_row(property_id)
        return None if row is None else _property(row)

    async def set_planned_on(self, property_id: str, day: date | None) -> None:
        await self._update(property_id, {"planned_on": day})

    async def update(self, prop: Property) -> None:
        await self._update(prop.id, _property_values(prop))

    async def list_for_host(self, host_id: str, *, limit: int = 50, offset: int = 0) -> list[Property]:
        query = select(t.properties).where(t.properties.c.host_id == host_id)
        query = query.order_by(t.properties.c.created_at, t.properties.c.id).limit(limit).offset(offset)
        return [_property(row) for row in await self._rows(query)]

    async def list_all(self) -> list[Property]:
        query = select(t.properties).order_by(t.properties.c.created_at, t.properties.c.id)
        return [_property(row) for row in await self._rows(query)]


def _property_values(p: Property) -> dict[str, Any]:
    return {
        "host_id": p.host_id, "name": p.name, "city": p.city, "timezone": p.timezone, "created_at": p.created_at,
        "address": p.address, "country": p.country, "bedrooms": p.bedrooms, "bathrooms": p.bathrooms,
        "max_guests": p.max_guests, "check_in_time": p.check_in_time, "check_out_time": p.check_out_time,
        "cleaning_budget": p.cleaning_budget, "cleaning_minutes": p.cleaning_minutes, "access_notes": p.access_notes,
        "required_skills": {kind.value: list(skills) for kind, skills in p.required_skills.items()},
        "auto_approve_limit": p.policy.auto_approve_limit, "monthly_budget": p.policy.monthly_budget,
        "min_rating": p.policy.min_rating, "ack_hours": p.policy.ack_hours,
        "check_in_tasks": p.planning.check_in_tasks, "check_out_tasks": p.planning.check_out_tasks,
        **{name: getattr(p.planning, name) for name in _PLANNING}, "planned_on": p.planned_on,
    }  # fmt: skip


_PLANNING = ("restock_every_stays", "supplies_guest_nights", "inspection_after_vacant_days", "maintenance_every_days",
             "restock_budget", "inspection_budget", "maintenance_budget")  # fmt: skip


def _property(row: Row[Any]) -> Property:
    return Property(
        id=row.id, host_id=row.host_id, name=row.name, city=row.city, timezone=row.timezone,
        created_at=row.created_at, address=row.address, country=row.country, bedrooms=row.bedrooms,
        bathrooms=row.bathrooms, max_guests=row.max_guests, check_in_time=row.check_in_time,
        check_out_time=row.check_out_time, cleaning_budget=row.cleaning_budget,
        cleaning_minutes=row.cleaning_minutes, access_notes=row.access_notes,
        required_skills={TaskKind(kind): tuple(skills) for kind, skills in row.required_skills.items()},
        policy=HiringPolicy(
            auto_approve_limit=row.auto_approve_limit, monthly_budget=row.monthly_budget,
            min_rating=row.min_rating, ack_hours=row.ack_hours,
        ),
        planning=PlanningRules(
            check_in_tasks=row.check_in_tasks, check_out_tasks=row.check_out_tasks,
            **{name: getattr(row, name) for name in _PLANNING},
        ),
        planned_on=row.planned_on,
    )  # fmt: skip


class SqlFeedRepository(SqlRepository):
    """Deleting a feed deletes its reservations and blocks; tasks planned for them stay, detached."""

    table = t.feeds
    kind = "feed"

    async def add(self, feed: Feed) -> None:
        await self._insert({"id": feed.id, **_feed_values(feed)})

    async def get(self, feed_id: str) -> Feed | None:
        row = await self._get_row(feed_id)
        return None if row is None else _feed(row)

    async def update_health(self, feed: Feed) -> None:
        values = _feed_values(feed)
        await self._update(feed.id, {name: values[name] for name in _HEALTH})

    async def update(self, feed: Feed) -> None:
        await self._update(feed.id, _feed_values(feed))

    async def delete(self, feed_id: str) -> None:
        await self._delete(feed_id)

    async def list_for_property(self, property_id: str) -> list[Feed]:
        query = select(t.feeds).where(t.feeds.c.property_id == property_id)
        return [_feed(row) for row in await self._rows(query.order_by(t.feeds.c.created_at, t.feeds.c.id))]

    async def list_all(self) -> list[Feed]:
        return [_feed(row) for row in await self._rows(select(t.feeds).order_by(t.feeds.c.created_at, t.feeds.c.id))]


_HEALTH = ("last_attempt_at", "last_success_at", "last_error", "consecutive_failures", "last_content_hash",
           "last_body_digest", "last_event_count", "next_fetch_at", "held_since", "held_count", "held_hash",
           "stale_alerted")  # fmt: skip


def _feed_values(feed: Feed) -> dict[str, Any]:
    o, h = feed.options, feed.health
    return {
        "property_id": feed.property_id, "platform": feed.platform.value, "url": feed.url,
        "created_at": feed.created_at, "blocks_are_bookings": o.blocks_are_bookings,
        "honour_event_times": o.honour_event_times, "dtend_is_last_night": o.dtend_is_last_night,
        "last_attempt_at": h.last_attempt_at, "last_success_at": h.last_success_at, "last_error": h.last_error,
        "consecutive_failures": h.consecutive_failures, "last_content_hash": h.last_content_hash,
        "last_body_digest": h.last_body_digest, "last_event_count": h.last_event_count,
        "next_fetch_at": h.next_fetch_at, "held_since": h.held_since, "held_count": h.held_count,
        "held_hash": h.held_hash, "stale_alerted": h.stale_alerted,
    }  # fmt: skip


def _feed(row: Row[Any]) -> Feed:
    return Feed(
        id=row.id, property_id=row.property_id, platform=Platform(row.platform), url=row.url,
        created_at=row.created_at,
        options=FeedOptions(
            blocks_are_bookings=row.blocks_are_bookings, honour_event_times=row.honour_event_times,
            dtend_is_last_night=row.dtend_is_last_night,
        ),
        health=FeedHealth(
            last_attempt_at=row.last_attempt_at, last_success_at=row.last_success_at, last_error=row.last_error,
            consecutive_failures=row.consecutive_failures, last_content_hash=row.last_content_hash,
            last_body_digest=row.last_body_digest, last_event_count=row.last_event_count,
            next_fetch_at=row.next_fetch_at, held_since=row.held_since, held_count=row.held_count,
            held_hash=row.held_hash, stale_alerted=row.stale_alerted,
        ),
    )  # fmt: skip
