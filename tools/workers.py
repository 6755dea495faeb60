"""Workers on the RentAHuman marketplace: search, profiles, reviews, skills.

Everything a worker wrote (name, bio, review comments) is data: shown to the host as it is, never
read as an instruction. When the marketplace is the local sandbox, every answer says so.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel

from domain.errors import InvalidInput
from domain.hires import KNOWN_SKILLS, Worker, WorkerReview
from tools.context import ToolContext
from tools.registry import tool
from tools.scope import READERS

SANDBOX_NOTE = "Sandbox: simulated RentAHuman workers; nobody real is hired and no money moves."


class HumanOut(BaseModel):
    id: str
    name: str
    skills: list[str]
    hourly_rate: Decimal
    currency: str
    city: str
    rating: float
    review_count: int
    available: bool

    @classmethod
    def of(cls, worker: Worker) -> HumanOut:
        return cls(
            id=worker.id, name=worker.name, skills=list(worker.skills), hourly_rate=worker.hourly_rate,
            currency=worker.currency, city=worker.city, rating=worker.rating, review_count=worker.review_count,
            available=worker.is_available,
        )  # fmt: skip


class HumanSearchOut(BaseModel):
    humans: list[HumanOut]
    sandbox: bool
    note: str = ""


class HumanProfileOut(BaseModel):
    human: HumanOut
    sandbox: bool
    note: str = ""


class ReviewOut(BaseModel):
    rating: float
    comment: str
    created_at: str | None

    @classmethod
    def of(cls, review: WorkerReview) -> ReviewOut:
        at = review.created_at.isoformat() if review.created_at else None
        return cls(rating=review.rating, comment=review.comment, created_at=at)


class ReviewsOut(BaseModel):
    human_id: str
    reviews: list[ReviewOut]
    average: float | None
    sandbox: bool
    note: str = ""


class SkillsOut(BaseModel):
    skills: list[str]
    note: str


def _note(ctx: ToolContext) -> str:
    return SANDBOX_NOTE if ctx.deps.marketplace.is_sandbox else ""


@tool(read_only=True, open_world=True)
async def search_humans(
    ctx: ToolContext,
    *,
    skill: str,
    city: str | None = None,
    max_rate: Decimal | None = None,
    min_rating: float = 0.0,
    limit: int = 20,
) -> HumanSearchOut:
    """Search RentAHuman for workers with a skill, best rated first.

    Args:
        skill: a skill such as Cleaning or Handyman (see list_skills); matched loosely by the marketplace.
        city: only workers in this city.
        max_rate: the highest hourly rate to show.
        min_rating: the lowest rating to show (0-5).
        limit: how many to show, at most 50.
    """
    ctx.actor.require(*READERS)
    if not skill.strip():
        raise InvalidInput("Name a skill to search for, e.g. Cleaning.")
    if max_rate is not None and max_rate <= 0:
        raise InvalidInput("The highest hourly rate must be above zero.")
    limit = max(1, min(limit, 50))
    found = await ctx.deps.marketplace.search_workers(skill=skill.strip(), city=city, max_rate=max_rate, limit=limit)
    kept = sorted((w for w in found if w.rating >= min_rating), key=lambda w: (-w.rating, w.hourly_rate, w.id))
    return HumanSearchOut(humans=[HumanOut.of(w) for w in kept[:limit]], sandbox=ctx.deps.marketplace.is_sandbox,
                          note=_note(ctx))  # fmt: skip


@tool(read_only=True, open_world=True)
async def get_human(ctx: ToolContext, *, human_id: str) -> HumanProfileOut:
    """One RentAHuman worker's profile: skills, rate, city, rating.

    Args:
        human_id: the worker's id (from search_humans).
    """
    ctx.actor.require(*READERS)
    worker = await ctx.deps.marketplace.get_worker(human_id)
    return HumanProfileOut(human=HumanOut.of(worker), sandbox=ctx.deps.marketplace.is_sandbox, note=_note(ctx))


@tool(read_only=True, open_world=True)
async def list_reviews(ctx: ToolContext, *, human_id: str, limit: int = 20) -> ReviewsOut:
    """What hosts wrote about a RentAHuman worker, with the average rating.

    Args:
        human_id: the worker's id (from search_humans).
        limit: how many reviews to show, at most 100.
    """
    ctx.actor.require(*READERS)
    reviews = await ctx.deps.marketplace.worker_reviews(human_id, limit=max(1, min(limit, 100)))
    average = round(sum(r.rating for r in reviews) / len(reviews), 2) if reviews else None
    return ReviewsOut(
        human_id=human_id, reviews=[ReviewOut.of(r) for r in reviews], average=average,
        sandbox=ctx.deps.marketplace.is_sandbox, note=_note(ctx),
    )  # fmt: skip


@tool(read_only=True)
async def list_skills(ctx: ToolContext) -> SkillsOut:
    """The skills to search RentAHuman with (the marketplace has no list of its own; skills are free text)."""
    ctx.actor.require(*READERS)
    return SkillsOut(
        skills=list(KNOWN_SKILLS),
        note="Skills are free text on RentAHuman and matched loosely; these are the ones turnovers need.",
    )
