"""The hire and worker tools: money rules by channel, caps, cancellation, status, listing."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from inline_snapshot import snapshot

from domain.approvals import ApprovalStatus
from domain.errors import BudgetExceeded, Conflict, NotFound, PermissionDenied
from domain.hires import HireStatus
from domain.hosts import Channel, Role
from domain.tasks import Task, TaskStatus
from scheduler.plan import plan_tasks
from scheduler.sync import sync_feeds
from tests.conftest import World
from tools.approvals import decide_approval
from tools.context import ToolContext
from tools.hires import cancel_booking, create_booking, get_booking_status, list_hires, propose_hire
from tools.hosts import ensure_local_owner
from tools.workers import get_human, list_reviews, list_skills, search_humans


async def _clean(world: World, *, auto_approve_limit: Decimal | None = None) -> Task:
    """A planned clean (nothing hired: only sync and plan ran)."""
    if auto_approve_limit is not None:
        async with world.deps.uow() as uow:
            prop = await uow.properties.get(world.property_id)
            assert prop is not None
            prop.policy.auto_approve_limit = auto_approve_limit
            await uow.properties.update(prop)
            await uow.commit()
    world.publish(("a", date(2026, 11, 26), 2))
    await sync_feeds(world.deps, force=True)
    await plan_tasks(world.deps)
    async with world.deps.uow() as uow:
        [task] = await uow.tasks.list_for_host(world.ctx.actor.host_id)
    return task


def _as(world: World, channel: Channel, role: Role = Role.OWNER) -> ToolContext:
    return ToolContext(world.deps, dataclasses.replace(world.ctx.actor, channel=channel, role=role))


async def test_a_booking_within_the_auto_approve_limit_is_sent_at_once_on_any_channel(world: World) -> None:
    task = await _clean(world)
    out = await create_booking(_as(world, Channel.AGENT), task_id=task.id, human_id="w1")
    assert (out.status, out.price, out.task_status, len(world.market.requests)) == (
        HireStatus.BOOKED, Decimal("75.00"), "booked", 1,
    )  # fmt: skip
    assert out.note == snapshot(
        "Booked. Sandbox: a local simulation of RentAHuman; no real person is hired and no money moves."
    )


@pytest.mark.parametrize("channel", [Channel.AGENT, Channel.MCP])
async def test_a_model_asking_to_book_above_the_limit_gets_an_approval_card_and_nothing_is_sent(
    world: World, channel: Channel
) -> None:
    task = await _clean(world, auto_approve_limit=Decimal("60"))
    out = await create_booking(_as(world, channel), task_id=task.id, human_id="w1")
    assert (out.status, out.task_status, world.market.requests) == (HireStatus.PROPOSED, "awaiting_approval", [])
    async with world.deps.uow() as uow:
        [approval] = await uow.approvals.list_open(world.ctx.actor.host_id)
    assert (approval.id, approval.amount) == (out.approval_id, Decimal("75.00"))
    who = f"Owner via {channel.value}"
    assert approval.reason == f"proposed by {who}, above the auto-approve limit of 60"


async def test_a_person_picking_a_worker_above_the_limit_is_the_approver_and_books(world: World) -> None:
    task = await _clean(world, auto_approve_limit=Decimal("60"))
    out = await create_booking(_as(world, Channel.CLI), task_id=task.id, human_id="w1")
    assert (out.status, out.approval_id, len(world.market.requests)) == (HireStatus.BOOKED, None, 1)


async def test_a_price_above_the_task_budget_is_refused_on_every_channel_and_nothing_is_stored(world: World) -> None:
    task = await _clean(world)
    for channel in (Channel.CLI, Channel.AGENT):
        with pytest.raises(BudgetExceeded):
            await create_booking(_as(world, channel), task_id=task.id, human_id="w3")  # 50/h x 3 h = 150 > 108
    assert await list_hires(world.ctx) == []
    assert world.market.requests == []


async def test_a_model_gets_no_widened_budget_and_a_person_does(world: World) -> None:
    task = await _clean(world)
    async with world.deps.uow() as uow:
        stored = await uow.tasks.get(task.id)
        assert stored is not None
        stored.budget = Decimal("70")  # w1 costs 75: over the budget, within the 20% a person may add
        await uow.tasks.update(stored)
        await uow.commit()
    with pytest.raises(BudgetExceeded):
        await create_booking(_as(world, Channel.AGENT), task_id=task.id, human_id="w1")
    assert (await create_booking(world.ctx, task_id=task.id, human_id="w1")).status is HireStatus.BOOKED


async def test_cancelling_work_in_progress_hands_the_task_to_the_host(world: World) -> None:
    task = await _clean(world)
    booked = await create_booking(world.ctx, task_id=task.id, human_id="w1")
    async with world.deps.uow() as uow:
        stored = await uow.tasks.get(task.id)
        assert stored is not None
        stored.transition(TaskStatus.IN_PROGRESS, world.clock.now(), "started")
        await uow.tasks.update(stored)
        await uow.commit()
    out = await cancel_booking(world.ctx, hire_id=booked.id)
    assert (out.status, out.task_status) == (HireStatus.CANCELLED, TaskStatus.NEEDS_HOST.value)


async def test_a_viewer_cannot_book_or_propose(world: World) -> None:
    task = await _clean(world)
    viewer = _as(world, Channel.CLI, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        await create_booking(viewer, task_id=task.id, human_id="w1")
    with pytest.raises(PermissionDenied):
        await propose_hire(viewer, task_id=task.id, human_id="w1")


async def test_a_task_already_booked_is_not_booked_twice(world: World) -> None:
    task = await _clean(world)
    await create_booking(world.ctx, task_id=task.id, human_id="w1")
    with pytest.raises(Conflict):
        await create_booking(world.ctx, task_id=task.id, human_id="w2")
    assert len(world.market.requests) == 1


async def test_a_proposal_waits_for_a_person_then_books(world: World) -> None:
    task = await _clean(world)
    proposed = await propose_hire(_as(world, Channel.AGENT), task_id=task.id, human_id="w2")
    assert (proposed.status, world.market.requests) == (HireStatus.PROPOSED, [])
    assert proposed.approval_id is not None
    decided = await decide_approval(world.ctx, approval_id=proposed.approval_id, approve=True)
    assert (decided.status, decided.hire_status, len(world.market.requests)) == ("approved", "booked", 1)


async def test_cancelling_a_booking_cancels_it_on_the_marketplace_and_hires_again(world: World) -> None:
    task = await _clean(world)
    booked = await create_booking(world.ctx, task_id=task.id, human_id="w1")
    out = await cancel_booking(world.ctx, hire_id=booked.id, reason="found a regular")
    assert booked.booking_id is not None
    assert (out.status, out.task_status, world.market.bookings[booked.booking_id].status) == (
        HireStatus.CANCELLED, "hiring", "cancelled",
    )  # fmt: skip
    assert out.note.startswith("Cancelled by Owner via cli: found a regular. Sandbox:")
    again = await cancel_booking(world.ctx, hire_id=booked.id)
    assert again.status is HireStatus.CANCELLED


async def test_cancelling_without_rehire_hands_the_task_to_the_host(world: World) -> None:
    task = await _clean(world)
    booked = await create_booking(world.ctx, task_id=task.id, human_id="w1")
    out = await cancel_booking(world.ctx, hire_id=booked.id, rehire=False)
    assert out.task_status == TaskStatus.NEEDS_HOST.value


async def test_cancelling_a_proposal_withdraws_its_approval_card(world: World) -> None:
    task = await _clean(world)
    proposed = await propose_hire(world.ctx, task_id=task.id, human_id="w2")
    await cancel_booking(world.ctx, hire_id=proposed.id)
    async with world.deps.uow() as uow:
        approval = await uow.approvals.get(proposed.approval_id or "")
    assert approval is not None and approval.status is ApprovalStatus.EXPIRED  # withdrawn cards show as expired


async def test_the_booking_status_carries_the_marketplace_answer(world: World) -> None:
    task = await _clean(world)
    booked = await create_booking(world.ctx, task_id=task.id, human_id="w1")
    status = await get_booking_status(_as(world, Channel.MCP, Role.VIEWER), hire_id=booked.id)
    assert (status.marketplace_status, status.sandbox) == ("pending", True)


async def test_list_hires_filters_and_pages(world: World) -> None:
    task = await _clean(world)
    first = await create_booking(world.ctx, task_id=task.id, human_id="w1")
    await cancel_booking(world.ctx, hire_id=first.id)
    await create_booking(world.ctx, task_id=task.id, human_id="w2")
    assert [h.worker_id for h in await list_hires(world.ctx)] == ["w2", "w1"]
    assert [h.worker_id for h in await list_hires(world.ctx, status=HireStatus.CANCELLED)] == ["w1"]
    assert [h.worker_id for h in await list_hires(world.ctx, task_id=task.id, limit=1, offset=1)] == ["w1"]


async def test_another_hosts_tasks_and_hires_are_not_found(world: World) -> None:
    task = await _clean(world)
    booked = await create_booking(world.ctx, task_id=task.id, human_id="w1")
    async with world.deps.uow() as uow:
        member = await uow.members.get(world.ctx.actor.member_id)
        assert member is not None
        member.identities = {}
        await uow.members.update(member)
        await uow.commit()
    stranger = ToolContext(world.deps, await ensure_local_owner(world.deps))  # a second, separate host
    assert stranger.actor.host_id != world.ctx.actor.host_id
    with pytest.raises(NotFound):
        await create_booking(stranger, task_id=task.id, human_id="w1")
    for call in (get_booking_status, cancel_booking):
        with pytest.raises(NotFound):
            await call(stranger, hire_id=booked.id)
    with pytest.raises(NotFound):
        await list_hires(stranger, task_id=task.id)
    assert await list_hires(stranger) == []


async def test_worker_tools_say_when_the_marketplace_is_the_sandbox(world: World) -> None:
    found = await search_humans(world.ctx, skill="Cleaning", city="Lisbon", min_rating=4.7)
    assert [h.id for h in found.humans] == ["w1", "w3"]
    assert (found.sandbox, found.note) == (
        True,
        snapshot("Sandbox: simulated RentAHuman workers; nobody real is hired and no money moves."),
    )
    profile = await get_human(world.ctx, human_id="w2")
    assert (profile.human.name, profile.sandbox) == ("Worker w2", True)
    reviews = await list_reviews(world.ctx, human_id="w2")
    assert (reviews.average, len(reviews.reviews)) == (4.6, 1)
    with pytest.raises(NotFound):
        await get_human(world.ctx, human_id="nobody")
    assert "Cleaning" in (await list_skills(world.ctx)).skills
