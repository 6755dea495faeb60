"""The one place APScheduler lives: it only triggers `run_pipeline` on an interval."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from scheduler.pipeline import PipelineReport, run_pipeline
from tools.context import AppDeps

log = logging.getLogger(__name__)


async def run_forever(
    deps: AppDeps,
    *,
    every_seconds: int,
    on_report: Callable[[PipelineReport], Awaitable[None]] | None = None,
    before_pass: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Tick the pipeline every `every_seconds` until cancelled. A pass never overlaps the next.

    `before_pass` runs first on each tick (the demo moves the sandbox's clock along with ours).
    """
    lock = asyncio.Lock()

    async def tick() -> None:
        if lock.locked():
            return
        async with lock:
            try:
                if before_pass is not None:
                    await before_pass()
                report = await run_pipeline(deps)
            except Exception:  # keep ticking: the next pass retries, idempotently
                log.exception("pipeline pass failed")
                return
            if on_report is not None:
                await on_report(report)

    scheduler = AsyncIOScheduler()
    scheduler.add_job(tick, "interval", seconds=every_seconds, max_instances=1, coalesce=True)
    scheduler.start()
    try:
        await asyncio.Event().wait()
    finally:
        scheduler.shutdown(wait=False)
