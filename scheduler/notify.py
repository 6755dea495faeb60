"""Pipeline step 5: drain the outbox to the host's chats, oldest first, each event once."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.errors import Conflict
from domain.events import QUIET_KINDS
from tools.context import AppDeps


@dataclass(slots=True)
class NotifyReport:
    sent: int = 0
    quiet: int = 0
    errors: list[str] = field(default_factory=list)


async def notify(deps: AppDeps, *, batch: int = 200) -> NotifyReport:
    """Send unnotified events; an event is marked only after its send succeeded, so a failure retries."""
    report = NotifyReport()
    async with deps.uow() as uow:
        events = await uow.events.list_unnotified(limit=batch)
    for event in events:
        if event.kind not in QUIET_KINDS:
            try:
                await deps.notifier.send(event)
            except Exception as exc:  # any channel failure: keep the event for the next run
                report.errors.append(f"event {event.id}: {type(exc).__name__}")
                continue
            report.sent += 1
        else:
            report.quiet += 1
        try:
            async with deps.uow() as uow:
                event.notified_at = deps.clock.now()
                await uow.events.update(event)
                await uow.commit()
        except Conflict:
            continue  # a concurrent run (PostgreSQL) marked it first
    return report
