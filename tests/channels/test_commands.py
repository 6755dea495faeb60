"""The chat command table over the shared world: parsed arguments, the tools it calls, the text it renders."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from inline_snapshot import snapshot

from channels.commands import Session, UnknownCommand, default_commands
from domain.calendar import CalendarEvent, FeedSnapshot, events_hash
from domain.errors import InvalidInput
from domain.hosts import Channel, Role
from scheduler.pipeline import run_pipeline
from tests.conftest import World
from tools.catalog import default_catalog
from tools.context import ToolContext
from tools.feeds import add_feed
from tools.properties import add_property

STUDIO_FEED = "https://calendar.example.test/listing/2.ics?t=fedcba9876543210"
TABLE = default_commands()


def session(world: World, channel: Channel = Channel.CONSOLE, role: Role = Role.OWNER) -> Session:
    actor = dataclasses.replace(world.ctx.actor, channel=channel, role=role)
    return Session(default_catalog(), ToolContext(world.deps, actor))


async def busy_day(world: World) -> Session:
    """Guests leave and others arrive at the loft today; the studio's clean costs more than its
    auto-approve limit (50), so the pipeline leaves it waiting for an approver."""
    studio = await add_property(
        world.ctx, name="Graça studio", city="Lisbon", timezone="Europe/Lisbon", auto_approve_limit=Decimal("50")
    )
    await add_feed(world.ctx, property_id=studio.id, url=STUDIO_FEED)
    world.publish(("a", date(2026, 11, 23), 2), ("b", date(2026, 11, 25), 2))
    stay = (CalendarEvent(uid="g", start=date(2026, 11, 26), end=date(2026, 11, 29), summary="Reserved"),)
    world.fetcher.snapshots[STUDIO_FEED] = FeedSnapshot(events=stay, body_digest=events_hash(stay))
    await run_pipeline(world.deps, force_sync=True)
    return session(world)


async def say(s: Session, line: str) -> str:
    return (await TABLE.respond(s, line)).text


def test_arguments_are_parsed_into_typed_values() -> None:
    assert TABLE.parse("/approve 2 fine this once")[1] == {"N": 2, "note": "fine this once"}
    assert TABLE.parse("/decline apr_7")[1] == {"N": "apr_7", "note": None}
    assert TABLE.parse("/tasks  Graça studio ")[1] == {"property": "Graça studio"}
    assert TABLE.parse("/TODAY")[0].name == "today"
    assert TABLE.parse("/tasks@turnover_bot")[0].name == "tasks"  # Telegram names the bot in groups


@pytest.mark.parametrize("line", ["/approve", "/approve 0", "/properties please"])
def test_missing_bad_or_extra_arguments_are_refused_with_the_usage(line: str) -> None:
    with pytest.raises(InvalidInput):
        TABLE.parse(line)


def test_an_unknown_command_is_refused() -> None:
    with pytest.raises(UnknownCommand):
        TABLE.parse("/tsks")


async def test_help_is_generated_from_the_table(world: World) -> None:
    assert await say(session(world), "/help") == snapshot("""\
Commands:
  /today             today: departures and cleans, arrivals, tasks due, approvals waiting
  /tasks [property]  open tasks, of every property or of one (by name)
  /approvals         hires waiting for your decision, numbered
  /approve N [note]  approve hire N of /approvals: the worker is booked
  /decline N [note]  decline hire N of /approvals: the task comes back to you
  /properties        your properties and their rules
  /feeds             how each calendar feed is doing
  /hires             the latest hires: who, for what, at what price
  /help              what you can ask\
""")


async def test_an_unknown_command_suggests_the_closest_one_and_help(world: World) -> None:
    reply = await TABLE.respond(session(world), "/tsks")
    assert (reply.ok, reply.command, reply.text) == (
        False,
        None,
        snapshot("There is no /tsks command. Did you mean /tasks? /help lists what you can ask."),
    )
    assert await say(session(world), "/weather") == snapshot(
        "There is no /weather command. /help lists what you can ask."
    )


async def test_today_shows_who_leaves_and_arrives_the_work_due_and_what_waits(world: World) -> None:
    s = await busy_day(world)
    assert await say(s, "/today") == snapshot("""\
Today, Wed 25 Nov 2026
Leaving:
  Alfama loft: "a stay" checks out at 11:00, same-day turnover
Arriving:
  Alfama loft: "a stay" arrives at 16:00, 2 nights
Work today:
  Wed 25 Nov 11:00–16:00 · clean · Alfama loft · booked · same-day turnover
1 approval waiting: /approvals\
""")


async def test_a_quiet_day_says_so(world: World) -> None:
    assert await say(session(world), "/today") == snapshot("""\
Today, Wed 25 Nov 2026
Leaving: nobody
Arriving: nobody
Work today: none\
""")


async def test_tasks_lists_open_tasks_earliest_first_or_those_of_one_property_by_name(world: World) -> None:
    s = await busy_day(world)
    assert await say(s, "/tasks") == snapshot("""\
Open tasks (3):
  Wed 25 Nov 11:00–16:00 · clean · Alfama loft · booked · same-day turnover
  Fri 27 Nov 11:00–16:00 · clean · Alfama loft · booked
  Sun 29 Nov 11:00–16:00 · clean · Graça studio · awaiting approval\
""")
    assert await say(s, "/tasks graça") == snapshot("""\
Open tasks at Graça studio (1):
  Sun 29 Nov 11:00–16:00 · clean · Graça studio · awaiting approval\
""")
    assert await say(s, "/tasks Chalet") == snapshot("No property is called 'Chalet'. /properties lists them.")


async def test_approvals_are_numbered_and_approve_1_books_the_worker(world: World) -> None:
    s = await busy_day(world)
    assert await say(s, "/approvals") == snapshot("""\
1 approval waiting:
  1. Worker w1 for clean at Graça studio, Sun 29 Nov 11:00: 75.00 (above the auto-approve limit of 50); decide within 24 h
/approve N or /decline N, with a note if you like.\
""")  # noqa: E501
    reply = await TABLE.respond(s, "/approve 1 fine this once")
    assert reply.text == snapshot("Approved by Owner via console: Worker w1 for clean at Graça studio, 75.00. Booked.")
    assert (reply.data["status"], reply.data["hire_status"]) == ("approved", "booked")
    assert await say(s, "/approvals") == snapshot("No approvals waiting.")
    assert await say(s, "/approve 1") == snapshot("No approvals are waiting.")


async def test_approve_with_a_number_beyond_the_list_says_how_many_wait(world: World) -> None:
    s = await busy_day(world)
    assert await say(s, "/approve 3") == snapshot("There is no approval 3: 1 is waiting. /approvals lists them.")
    assert await say(s, "/approve 0") == snapshot(
        "'0' is not an approval number (see /approvals) or an approval id. Usage: /approve N [note]"
    )


async def test_approve_n_means_the_card_the_list_showed_even_if_the_waiting_list_changed(world: World) -> None:
    s = await busy_day(world)
    await say(s, "/approvals")
    other = session(world)
    [first] = await other.call("list_approvals")
    await say(other, f"/decline {first['id']}")
    newer = await other.call("propose_hire", task_id=first["task_id"], human_id="w2")
    assert await say(s, "/approve 1") == "Already declined."  # the card it showed, not the newer one
    assert [(a["id"], a["status"]) for a in await other.call("list_approvals")] == [(newer["approval_id"], "open")]


async def test_decline_by_approval_id_hands_the_task_back(world: World) -> None:
    s = await busy_day(world)
    [waiting] = await s.call("list_approvals")
    assert await say(s, f"/decline {waiting['id']} too dear") == snapshot(
        "Declined by Owner via console: Worker w1 for clean at Graça studio, 75.00."
    )
    assert "needs host" in await say(s, "/tasks studio")


async def test_a_domain_error_is_one_friendly_line(world: World) -> None:
    s = await busy_day(world)
    assert await say(s, "/approve apr_nope") == snapshot("No approval with id 'apr_nope'.")
    viewer = session(world, role=Role.VIEWER)
    assert await say(viewer, "/approve 1") == snapshot("This needs the owner or approver role; you are viewer.")


async def test_the_table_cannot_approve_for_a_model_channel(world: World) -> None:
    await busy_day(world)
    reply = await TABLE.respond(session(world, Channel.AGENT), "/approve 1")
    assert not reply.ok and reply.command == "approve"
    assert [a["status"] for a in await session(world).call("list_approvals")] == ["open"]


async def test_properties_feeds_and_hires(world: World) -> None:
    s = await busy_day(world)
    assert await say(s, "/properties") == snapshot("""\
Alfama loft · Lisbon (Europe/Lisbon) · check-in 16:00, checkout 11:00 · clean budget 90 · auto-approve up to 120
Graça studio · Lisbon (Europe/Lisbon) · check-in 16:00, checkout 11:00 · clean budget 90 · auto-approve up to 50\
""")
    world.clock.advance(timedelta(minutes=150))
    assert await say(s, "/feeds") == snapshot("""\
Alfama loft · airbnb · ok · last good fetch 2 h ago
Graça studio · airbnb · ok · last good fetch 2 h ago\
""")
    assert await say(s, "/hires") == snapshot("""\
clean at Graça studio, Sun 29 Nov 11:00 · Worker w1 · 75.00 · proposed (sandbox)
clean at Alfama loft, Fri 27 Nov 11:00 · Worker w1 · 75.00 · booked (sandbox)
clean at Alfama loft, Wed 25 Nov 11:00 · Worker w1 · 75.00 · booked (sandbox)\
""")
