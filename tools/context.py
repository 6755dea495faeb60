"""What every use case receives: the ports (a frozen dataclass) and, for tool calls, the actor."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Protocol

from domain.events import QUIET_KINDS, AuditEntry, Event, EventKind
from domain.hosts import Actor
from domain.ports import Clock, FeedFetcher, IdGenerator, Marketplace, Notifier, UnitOfWork, UnitOfWorkFactory
from domain.properties import Property


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    hire_horizon_days: int = 14  # hire for tasks whose window opens within this many days
    approval_hours: int = 24  # an approval card expires after this long
    sync_interval_minutes: int = 15
    fetch_retention_days: int = 90  # a fetch's parsed snapshot is cleared after this long (the newest one stays)
    hire_concurrency: int = 8  # tasks hired (and hires polled) at once; the client paces on rate-limit headers


class Refresh(Protocol):
    """Sync the given feeds now and plan (the scheduler's steps, wired in by the composition root)."""

    async def __call__(self, deps: AppDeps, feed_ids: Collection[str], /) -> dict[str, int]: ...


@dataclass(frozen=True, slots=True)
class AppDeps:
    uow: UnitOfWorkFactory
    clock: Clock
    ids: IdGenerator
    fetcher: FeedFetcher
    marketplace: Marketplace
    notifier: Notifier
    config: PipelineConfig = PipelineConfig()
    refresh: Refresh | None = None  # None: `sync_now` is unavailable (tests that do not need it)


@dataclass(frozen=True, slots=True)
class ToolContext:
    deps: AppDeps
    actor: Actor


async def audit(uow: UnitOfWork, ctx: ToolContext, action: str, arguments: dict[str, Any], result: str) -> None:
    """Record a tool call in the audit log, inside the caller's unit of work."""
    entry = AuditEntry(
        id=ctx.deps.ids.new_id("aud"),
        host_id=ctx.actor.host_id,
        at=ctx.deps.clock.now(),
        actor=ctx.actor.member_id,
        channel=ctx.actor.channel.value,
        action=action,
        arguments=arguments,
        result=result,
    )
    await uow.audit.add(entry)


async def record_event(
    deps: AppDeps, uow: UnitOfWork, kind: EventKind, prop: Property, subject_id: str, message: str
) -> None:
    """Add an event about one property to the outbox, inside the caller's unit of work."""
    await uow.events.add(new_event(deps, kind, prop, subject_id, message))


def new_event(deps: AppDeps, kind: EventKind, prop: Property, subject_id: str, message: str) -> Event:
    """An event about one property, for the caller to add (`uow.events.add_many` for a batch).

    A quiet kind is history only: it is born notified, so it never waits in (or delays) the outbox.
    """
    now = deps.clock.now()
    return Event(
        id=deps.ids.new_id("evt"),
        host_id=prop.host_id,
        kind=kind,
        subject_id=subject_id,
        created_at=now,
        message=message,
        property_id=prop.id,
        notified_at=now if kind in QUIET_KINDS else None,
    )
