"""Pipeline step: expire the parsed snapshots of old fetches (calendar-feeds.md rule 21).

A snapshot holds booking data (guest names, phone digits), so it is kept only as long as booking
data is: `PipelineConfig.fetch_retention_days`. Each feed's newest snapshot stays, since it describes
the feed's current state; the audit rows themselves (outcome, hashes, counts, reasons) stay too.
"""

from __future__ import annotations

from datetime import timedelta

from tools.context import AppDeps


async def expire_snapshots(deps: AppDeps) -> int:
    """Clear the snapshots older than the retention period; returns how many were cleared."""
    before = deps.clock.now() - timedelta(days=deps.config.fetch_retention_days)
    async with deps.uow() as uow:
        cleared = await uow.fetches.expire_snapshots(before)
        await uow.commit()
    return cleared
