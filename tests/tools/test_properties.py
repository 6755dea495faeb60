"""Properties and feeds through the tools: planning rules and feed options reach the store."""

from __future__ import annotations

import pytest

from domain.errors import InvalidInput, PermissionDenied
from domain.feeds import Platform
from domain.hosts import Actor, Channel, Role
from integrations.clock import FrozenClock, SequentialIds
from storage.memory import InMemoryUnitOfWorkFactory
from tests.builders import NOW
from tests.fakes import FakeMarketplace, RecordingNotifier, StaticFeedFetcher
from tools.context import AppDeps, ToolContext
from tools.feeds import add_feed
from tools.hosts import ensure_local_owner
from tools.properties import add_property


@pytest.fixture
async def ctx() -> ToolContext:
    deps = AppDeps(
        uow=InMemoryUnitOfWorkFactory(), clock=FrozenClock(NOW), ids=SequentialIds(), fetcher=StaticFeedFetcher(),
        marketplace=FakeMarketplace(), notifier=RecordingNotifier(),
    )  # fmt: skip
    return ToolContext(deps, await ensure_local_owner(deps))


async def test_planning_rules_and_feed_options_are_stored(ctx: ToolContext) -> None:
    out = await add_property(
        ctx, name="Alfama loft", city="Lisbon", timezone="Europe/Lisbon", max_guests=4, restock_every_stays=3,
        supplies_guest_nights=40, inspection_after_vacant_days=7, maintenance_every_days=90,
    )  # fmt: skip
    feed = await add_feed(ctx, property_id=out.id, url="https://pms.example.test/x.ics?k=secret",
                          platform=Platform.GENERIC, honour_event_times=True, dtend_is_last_night=True)  # fmt: skip
    async with ctx.deps.uow() as uow:
        prop = await uow.properties.get(out.id)
        stored = await uow.feeds.get(feed.id)
    assert prop is not None and stored is not None
    rules = prop.planning
    assert (prop.max_guests, rules.restock_every_stays, rules.supplies_guest_nights) == (4, 3, 40)
    assert (rules.inspection_after_vacant_days, rules.maintenance_every_days) == (7, 90)
    assert (stored.options.honour_event_times, stored.options.dtend_is_last_night) == (True, True)
    assert "secret" not in feed.url


@pytest.mark.parametrize("field", ["restock_every_stays", "inspection_after_vacant_days", "maintenance_every_days"])
async def test_a_rule_below_one_is_refused_in_plain_words(ctx: ToolContext, field: str) -> None:
    with pytest.raises(InvalidInput, match="at least 1"):
        await add_property(ctx, name="Loft", city="Lisbon", timezone="Europe/Lisbon", **{field: 0})


async def test_a_viewer_cannot_add_a_property(ctx: ToolContext) -> None:
    viewer = ToolContext(ctx.deps, Actor(ctx.actor.host_id, "member_v", Role.VIEWER, Channel.CONSOLE))
    with pytest.raises(PermissionDenied):
        await add_property(viewer, name="Loft", city="Lisbon", timezone="Europe/Lisbon")
