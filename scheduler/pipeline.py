"""The whole deterministic pass: sync -> plan -> track -> hire -> notify -> expire. No LLM anywhere.

Tracking runs before hiring so a worker's cancellation, a missed confirmation or a no-show found in
this pass is re-dispatched in the same pass.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass

from scheduler.hire import HireReport, hire_tasks
from scheduler.notify import NotifyReport, notify
from scheduler.plan import PlanReport, plan_tasks
from scheduler.retention import expire_snapshots
from scheduler.sync import SyncReport, sync_feeds
from scheduler.track import TrackReport, track_hires
from tools.context import AppDeps


@dataclass(frozen=True, slots=True)
class PipelineReport:
    sync: SyncReport
    plan: PlanReport
    hire: HireReport
    track: TrackReport
    notify: NotifyReport
    snapshots_expired: int  # fetch snapshots cleared by the retention step


async def run_pipeline(deps: AppDeps, *, force_sync: bool = False) -> PipelineReport:
    """One pass. Every step is idempotent, so a pass after a crash picks up where it stopped."""
    sync = await sync_feeds(deps, force=force_sync)
    plan = await plan_tasks(deps, due_only=True)
    track = await track_hires(deps)
    hire = await hire_tasks(deps)
    sent = await notify(deps)
    expired = await expire_snapshots(deps)
    return PipelineReport(sync, plan, hire, track, sent, expired)


async def refresh_feeds(deps: AppDeps, feed_ids: Collection[str]) -> dict[str, int]:
    """Sync these feeds now, whatever their schedule, then plan: what `sync_now` asks for (wired as
    `AppDeps.refresh`). The same sync rules apply: a broken or emptied feed changes nothing."""
    sync = await sync_feeds(deps, force=True, feed_ids=feed_ids)
    plan = await plan_tasks(deps, due_only=True)
    counts = {k: v for k, v in asdict(sync).items() if isinstance(v, int)}
    return counts | {f"tasks_{k}": v for k, v in asdict(plan).items() if isinstance(v, int)}
