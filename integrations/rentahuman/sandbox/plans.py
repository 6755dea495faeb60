"""Drawing a worker's plan for one hire (ours): the human's script, plus the seeded no-show, cancel and decline draws.

Three draws per hire, always in the same order and whatever the probabilities, so one seed gives
one story. A drawn cancel without a scripted `cancelAt` happens halfway to the start (bookings) or
halfway through the work (escrows).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from integrations.rentahuman.sandbox.objects import WorkerPlan
from integrations.rentahuman.sandbox.sim_models import WorkerScript


def draw_plan(
    rng: random.Random, script: WorkerScript, defaults: dict[str, float], *,
    created_at: datetime, start: datetime | None, work_seconds: float,
) -> WorkerPlan:  # fmt: skip
    """The plan for a hire created at `created_at` (a booking has a `start`, an escrow has none)."""

    def chance(name: str, scripted: float | None) -> bool:
        return rng.random() < (defaults.get(name, 0.0) if scripted is None else scripted)

    no_show, cancel, decline = (
        chance("noShow", script.no_show),
        chance("cancel", script.cancel),
        chance("decline", script.decline),
    )
    cancel_at: datetime | None = None
    if isinstance(script.cancel_at, datetime):
        cancel_at = script.cancel_at
    elif script.cancel_at is not None:
        cancel_at = created_at + timedelta(seconds=script.cancel_at)
    elif cancel:
        if start is not None:
            cancel_at = created_at + max(start - created_at, timedelta(0)) / 2
        else:
            cancel_at = created_at + timedelta(seconds=(script.deliver_after_seconds or work_seconds) / 2)
    return WorkerPlan(
        confirm=script.confirm, confirm_after_seconds=script.confirm_after_seconds, start=script.start,
        deliver_after_seconds=script.deliver_after_seconds, cancel_at=cancel_at, no_show=no_show, decline=decline,
    )  # fmt: skip
