"""A feed URL or door code given to the agent reaches the tool, but never the stored conversation."""

from __future__ import annotations

from agent import build_agent, reply
from tests.agent.script import Script, call
from tests.conftest import World
from tools.catalog import default_catalog

THREAD = "console:owner"
URL = "https://www.airbnb.test/calendar/ical/42.ics?s=t0ps3cr3t"


async def test_secret_arguments_and_urls_in_the_persons_words_are_not_kept_in_the_history(world: World) -> None:
    script = Script(
        [
            call("add_feed", property_id=world.property_id, url=URL, platform="airbnb"),
            call("update_property", property_id=world.property_id, access_notes="Key box 4711"),
        ],
        "Done: the calendar is connected and the notes saved.",
    )
    agent = build_agent(default_catalog(), script.model)
    answer = await reply(agent, world.ctx, thread=THREAD, text=f"Connect {URL} and the key box is 4711")
    assert answer.tool_calls == ["add_feed", "update_property"]
    async with world.deps.uow() as uow:
        feeds = await uow.feeds.list_for_property(world.property_id)
        prop = await uow.properties.get(world.property_id)
        stored = await uow.conversations.find(world.ctx.actor.host_id, THREAD)
    assert URL in [f.url for f in feeds] and prop is not None and prop.access_notes == "Key box 4711"
    assert stored is not None
    assert "t0ps3cr3t" not in stored.messages and "Key box 4711" not in stored.messages
    assert "[secret: not kept]" in stored.messages and "https://www.airbnb.test/" in stored.messages
    follow_up = Script("It is connected.")
    await reply(build_agent(default_catalog(), follow_up.model), world.ctx, thread=THREAD, text="Is it connected?")
    assert len(follow_up.seen) == 1  # the redacted history still loads and replays
