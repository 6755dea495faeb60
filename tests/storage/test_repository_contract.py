"""The repository contract (domain.ports and storage.contract), on memory, SQLite and PostgreSQL alike."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest

from domain.approvals import ApprovalStatus
from domain.errors import Conflict, InvalidInput, NotFound
from domain.events import EventKind
from domain.feeds import FeedFetch, FeedHealth, FeedOptions, FetchOutcome
from domain.hires import HireStatus
from domain.hosts import Role
from domain.ports import UnitOfWork, UnitOfWorkFactory
from domain.properties import HiringPolicy, PlanningRules
from domain.reservations import ReservationStatus
from domain.tasks import TaskKind, TaskStatus
from tests.storage.samples import (
    a_block,
    a_feed,
    a_hire,
    a_host,
    a_member,
    a_property,
    a_reservation,
    a_task,
    an_approval,
    an_audit_entry,
    an_event,
    at,
    seed,
)

Reader = Callable[[UnitOfWork], Awaitable[Any]]


async def add_everything(uow: UnitOfWork) -> None:
    await seed(uow, task=True)
    await uow.members.add(a_member())
    await uow.blocks.add(a_block())
    await uow.hires.add(a_hire())
    await uow.approvals.add(an_approval())
    await uow.events.add(an_event())
    await uow.audit.add(an_audit_entry())


async def _first(rows: Awaitable[list[Any]]) -> Any:
    return (await rows)[0]


ENTITIES: dict[str, tuple[Callable[..., Any], Reader]] = {
    "host": (a_host, lambda uow: uow.hosts.get("host_1")),
    "member": (a_member, lambda uow: uow.members.get("mem_1")),
    "property": (a_property, lambda uow: uow.properties.get("prop_1")),
    "feed": (a_feed, lambda uow: uow.feeds.get("feed_1")),
    "reservation": (a_reservation, lambda uow: uow.reservations.get("res_1")),
    "block": (a_block, lambda uow: _first(uow.blocks.list_for_feed("feed_1"))),
    "task": (a_task, lambda uow: uow.tasks.get("task_1")),
    "hire": (a_hire, lambda uow: uow.hires.get("hire_1")),
    "approval": (an_approval, lambda uow: uow.approvals.get("apr_1")),
    "event": (an_event, lambda uow: _first(uow.events.list_for_host("host_1"))),
    "audit entry": (an_audit_entry, lambda uow: _first(uow.audit.list_for_host("host_1"))),
}

CHANGED: dict[str, Any] = {
    "host": a_host(name="Ana B", timezone="Europe/Paris", monthly_cap=None),
    "member": a_member(name="Ana B", role=Role.OWNER, identities={"slack": "U999"}),
    "property": a_property(
        name="Loft",
        check_in_time=time(17, 0),
        required_skills={TaskKind.CLEAN: ("Deep cleaning",)},
        policy=HiringPolicy(),
        planning=PlanningRules(),
        cleaning_budget=Decimal("101.01"),
    ),
    "feed": a_feed(url="https://example.test/new.ics", health=FeedHealth(), options=FeedOptions()),
    "reservation": a_reservation(
        status=ReservationStatus.CANCELLED, check_out=date(2026, 7, 15), code=None, guest="", phone_last4=None
    ),
    "block": a_block(end=date(2026, 8, 5), summary="Blocked", window=False),
    "task": a_task(
        status=TaskStatus.PLANNED,
        reservation_id=None,
        hire_id=None,
        updated_at=None,
        deadline=datetime(2026, 7, 14, 18, 0, tzinfo=UTC),
    ),
    "hire": a_hire(
        status=HireStatus.CANCELLED,
        history=[],
        booking_id=None,
        completed_on_time=None,
        final_cost=None,
        completed_at=None,
        evidence=(),
        no_show=True,
        conversation_id=None,
        access_sent_at=None,
        request=None,
        rescheduled=True,
    ),
    "approval": an_approval(status=ApprovalStatus.OPEN, decided_by=None, decided_at=None),
    "event": an_event(notified_at=None, payload={}, property_id=None),
}
REPOSITORY = {"audit entry": "audit", "property": "properties"}


def _repo(uow: UnitOfWork, entity: str) -> Any:
    return getattr(uow, REPOSITORY.get(entity, entity.replace(" ", "_") + "s"))


def datetimes_in(value: Any) -> Iterator[datetime]:
    if isinstance(value, datetime):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from datetimes_in(getattr(value, field.name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from datetimes_in(item)


# --- round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize("entity", ENTITIES)
async def test_every_entity_comes_back_equal_with_all_its_fields(uow_factory: UnitOfWorkFactory, entity: str) -> None:
    build, read = ENTITIES[entity]
    async with uow_factory() as uow:
        await add_everything(uow)
        await uow.commit()
    async with uow_factory() as uow:
        stored = await read(uow)
    assert stored == build()
    assert all(moment.tzinfo is UTC for moment in datetimes_in(stored))


@pytest.mark.parametrize("entity", CHANGED)
async def test_update_writes_every_field(uow_factory: UnitOfWorkFactory, entity: str) -> None:
    async with uow_factory() as uow:
        await add_everything(uow)
        await uow.commit()
    async with uow_factory() as uow:
        await _repo(uow, entity).update(CHANGED[entity])
        await uow.commit()
    async with uow_factory() as uow:
        assert await ENTITIES[entity][1](uow) == CHANGED[entity]


async def test_datetimes_come_back_as_the_same_instant_in_utc(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow, task=True)
        await uow.commit()
    async with uow_factory() as uow:
        task = await uow.tasks.get("task_1")
    assert task is not None
    assert task.window_start == a_task().window_start
    assert task.window_start.tzinfo is UTC
    assert task.window_start.hour == 15  # 11:00 in New York (summer time)


async def test_decimals_come_back_with_the_same_digits(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await add_everything(uow)
        await uow.commit()
    async with uow_factory() as uow:
        host, prop, hire = (
            await uow.hosts.get("host_1"),
            await uow.properties.get("prop_1"),
            await uow.hires.get("hire_1"),
        )
    assert host is not None and prop is not None and hire is not None
    assert [str(host.monthly_cap), str(prop.cleaning_budget), str(prop.policy.auto_approve_limit)] == [
        "1500.50", "95.10", "130.00"
    ]  # fmt: skip
    assert [str(hire.price), str(hire.final_cost)] == ["88.80", "90.00"]


async def test_dates_come_back_as_dates(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow)
        await uow.commit()
    async with uow_factory() as uow:
        reservation = await uow.reservations.get("res_1")
    assert reservation is not None
    assert [type(reservation.check_in), type(reservation.check_out)] == [date, date]


async def test_a_naive_datetime_is_refused(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        with pytest.raises(ValueError):
            await uow.hosts.add(a_host(created_at=datetime(2026, 7, 1, 10, 0)))


async def test_payloads_come_back_as_json_gives_them(uow_factory: UnitOfWorkFactory) -> None:
    payload = {"price": Decimal("88.80"), "on": date(2026, 7, 1), "kind": TaskKind.CLEAN, "skills": ("a", "b")}
    async with uow_factory() as uow:
        await uow.hosts.add(a_host())
        await uow.events.add(an_event(payload=payload))
        await uow.audit.add(an_audit_entry(arguments=payload))
        await uow.commit()
    async with uow_factory() as uow:
        [event], [entry] = await uow.events.list_for_host("host_1"), await uow.audit.list_for_host("host_1")
    expected = {"price": "88.80", "on": "2026-07-01", "kind": "clean", "skills": ["a", "b"]}
    assert (event.payload, entry.arguments) == (expected, expected)


async def test_a_payload_that_is_not_json_is_invalid_input(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.hosts.add(a_host())
        with pytest.raises(InvalidInput):
            await uow.events.add(an_event(payload={"worker": object()}))


async def test_objects_handed_in_or_out_are_not_the_stored_rows(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        host = a_host()
        await uow.hosts.add(host)
        host.name = "changed after add"
        fetched = await uow.hosts.get("host_1")
        assert fetched is not None
        fetched.name = "changed after get"
        assert await uow.hosts.get("host_1") == a_host()


@pytest.mark.parametrize(
    "lookup",
    [
        lambda uow: uow.hosts.get("nope"),
        lambda uow: uow.members.get("nope"),
        lambda uow: uow.properties.get("nope"),
        lambda uow: uow.feeds.get("nope"),
        lambda uow: uow.reservations.get("nope"),
        lambda uow: uow.reservations.get_by_uid("feed_1", "nope"),
        lambda uow: uow.tasks.get("nope"),
        lambda uow: uow.tasks.get_by_natural_key("nope"),
        lambda uow: uow.hires.get("nope"),
        lambda uow: uow.hires.get_by_idempotency_key("nope"),
        lambda uow: uow.approvals.get("nope"),
        lambda uow: uow.members.find_by_identity("slack", "nope"),
    ],
)
async def test_looking_up_what_is_not_stored_gives_none(uow_factory: UnitOfWorkFactory, lookup: Reader) -> None:
    async with uow_factory() as uow:
        await add_everything(uow)
        assert await lookup(uow) is None


async def test_updating_what_is_not_stored_is_not_found(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        with pytest.raises(NotFound):
            await uow.hosts.update(a_host(id="nope"))


# --- transactions ----------------------------------------------------------------------------


async def test_committed_work_is_seen_by_the_next_unit_of_work(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.hosts.add(a_host())
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.hosts.list() == [a_host()]


async def test_work_left_uncommitted_is_gone_after_the_block(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.hosts.add(a_host())
        assert await uow.hosts.get("host_1") == a_host()  # a unit of work reads its own writes
    async with uow_factory() as uow:
        assert await uow.hosts.list() == []


async def test_an_error_in_the_block_rolls_back(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(RuntimeError):
        async with uow_factory() as uow:
            await uow.hosts.add(a_host())
            raise RuntimeError("boom")
    async with uow_factory() as uow:
        assert await uow.hosts.list() == []


async def test_rollback_discards_pending_writes_and_the_unit_of_work_goes_on(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.hosts.add(a_host())
        await uow.rollback()
        await uow.hosts.add(a_host(id="host_2"))
        await uow.commit()
    async with uow_factory() as uow:
        assert [h.id for h in await uow.hosts.list()] == ["host_2"]


async def test_each_commit_keeps_what_came_before_it_in_the_block(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.hosts.add(a_host(id="host_a"))
        await uow.commit()
        await uow.hosts.add(a_host(id="host_b"))
        await uow.commit()
        await uow.hosts.add(a_host(id="host_c"))
    async with uow_factory() as uow:
        assert [h.id for h in await uow.hosts.list()] == ["host_a", "host_b"]


# --- constraints -----------------------------------------------------------------------------


async def test_duplicate_reservation_uid_in_one_feed_is_a_conflict(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow)
        with pytest.raises(Conflict):
            await uow.reservations.add(a_reservation(id="res_2"))


async def test_the_same_uid_in_another_feed_is_another_reservation(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow)
        await uow.feeds.add(a_feed(id="feed_2"))
        await uow.reservations.add(a_reservation(id="res_2", feed_id="feed_2"))
        assert (await uow.reservations.get_by_uid("feed_2", "uid-1@vrbo")) == a_reservation(
            id="res_2", feed_id="feed_2"
        )


async def test_duplicate_block_uid_in_one_feed_is_a_conflict(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow)
        await uow.blocks.add(a_block())
        with pytest.raises(Conflict):
            await uow.blocks.add(a_block(id="blk_2"))


async def test_duplicate_task_natural_key_is_a_conflict_even_across_commits(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow, task=True)
        await uow.commit()
    async with uow_factory() as uow:
        with pytest.raises(Conflict):
            await uow.tasks.add(a_task(id="task_2"))


async def test_duplicate_hire_idempotency_key_is_a_conflict(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow, task=True)
        await uow.hires.add(a_hire())
        with pytest.raises(Conflict):
            await uow.hires.add(a_hire(id="hire_2"))


async def test_a_second_row_with_the_same_id_is_a_conflict(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.hosts.add(a_host())
        with pytest.raises(Conflict):
            await uow.hosts.add(a_host(name="Other"))


async def test_an_identity_linked_to_another_member_is_a_conflict(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.hosts.add(a_host())
        await uow.members.add(a_member())
        with pytest.raises(Conflict):
            await uow.members.add(a_member(id="mem_2", identities={"telegram": "42"}))
        assert await uow.members.get("mem_2") is None
        await uow.members.add(a_member(id="mem_3", identities={}))
        with pytest.raises(Conflict):
            await uow.members.update(a_member(id="mem_3", identities={"slack": "U123"}))


async def test_a_row_pointing_at_nothing_is_a_conflict(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.hosts.add(a_host())
        with pytest.raises(Conflict):
            await uow.properties.add(a_property(host_id="no_such_host"))


async def test_updating_into_another_rows_unique_key_is_a_conflict(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow, task=True)
        await uow.tasks.add(a_task(id="task_2", natural_key="res_1:clean"))
        with pytest.raises(Conflict):
            await uow.tasks.update(a_task(id="task_2"))


async def test_a_conflict_leaves_the_unit_of_work_usable(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow)
        with pytest.raises(Conflict):
            await uow.reservations.add(a_reservation(id="res_2"))
        await uow.reservations.add(a_reservation(id="res_3", uid="uid-3"))
        await uow.commit()
    async with uow_factory() as uow:
        assert [r.id for r in await uow.reservations.list_for_feed("feed_1")] == ["res_1", "res_3"]


# --- lists and queries -----------------------------------------------------------------------


async def test_hosts_and_members_list_in_creation_order_then_id(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        for host_id, hours in [("host_c", 1), ("host_b", 0), ("host_a", 1)]:
            await uow.hosts.add(a_host(id=host_id, created_at=at(hours)))
        for member_id, hours in [("mem_c", 1), ("mem_b", 0), ("mem_a", 1)]:
            await uow.members.add(a_member(id=member_id, host_id="host_a", created_at=at(hours), identities={}))
        await uow.members.add(a_member(id="mem_other", host_id="host_b", identities={}))
        assert [h.id for h in await uow.hosts.list()] == ["host_b", "host_a", "host_c"]
        assert [m.id for m in await uow.members.list_for_host("host_a")] == ["mem_b", "mem_a", "mem_c"]


async def test_a_member_is_found_by_any_of_its_identities(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.hosts.add(a_host())
        await uow.members.add(a_member())
        await uow.members.add(a_member(id="mem_2", identities={"mcp_token_sha256": "f00d"}))
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.members.find_by_identity("telegram", "42")) == a_member()
        assert (await uow.members.find_by_identity("mcp_token_sha256", "f00d")) == a_member(
            id="mem_2", identities={"mcp_token_sha256": "f00d"}
        )
        assert await uow.members.find_by_identity("slack", "42") is None  # the value of another kind


async def test_properties_of_a_host_page_in_creation_order(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.hosts.add(a_host())
        await uow.hosts.add(a_host(id="host_2"))
        for n in range(5):
            await uow.properties.add(a_property(id=f"prop_{n}", created_at=at(10 - n)))
        await uow.properties.add(a_property(id="prop_x", host_id="host_2", created_at=at(0)))
        page = [p.id for p in await uow.properties.list_for_host("host_1", limit=2, offset=1)]
        assert page == ["prop_3", "prop_2"]
        assert [p.id for p in await uow.properties.list_for_host("host_1", offset=4)] == ["prop_0"]
        assert [p.id for p in await uow.properties.list_all()] == [
            "prop_x",
            "prop_4",
            "prop_3",
            "prop_2",
            "prop_1",
            "prop_0",
        ]


async def test_feeds_list_for_their_property_and_all(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow)
        await uow.properties.add(a_property(id="prop_2"))
        await uow.feeds.add(a_feed(id="feed_0", created_at=at(9)))
        await uow.feeds.add(a_feed(id="feed_2", property_id="prop_2", created_at=at(0)))
        assert [f.id for f in await uow.feeds.list_for_property("prop_1")] == ["feed_1", "feed_0"]
        assert [f.id for f in await uow.feeds.list_all()] == ["feed_2", "feed_1", "feed_0"]


async def test_deleting_a_feed_deletes_its_stays_and_blocks_and_detaches_their_tasks(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await seed(uow, task=True)
        await uow.blocks.add(a_block())
        await uow.commit()
    async with uow_factory() as uow:
        await uow.feeds.delete("feed_1")
        await uow.feeds.delete("no_such_feed")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.feeds.get("feed_1") is None
        assert await uow.reservations.get("res_1") is None
        assert await uow.blocks.list_for_feed("feed_1") == []
        assert await uow.tasks.get("task_1") == a_task(reservation_id=None)


async def test_reservations_list_by_check_in_then_id(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow)
        await uow.properties.add(a_property(id="prop_2"))
        await uow.feeds.add(a_feed(id="feed_2", property_id="prop_2"))
        stays = [("res_b", 2, "feed_1"), ("res_a", 2, "feed_2"), ("res_0", 20, "feed_1"), ("res_z", 0, "feed_2")]
        for res_id, day, feed_id in stays:
            prop_id = "prop_1" if feed_id == "feed_1" else "prop_2"
            check_in = date(2026, 7, 1) + timedelta(days=day)
            await uow.reservations.add(
                a_reservation(id=res_id, uid=res_id, feed_id=feed_id, property_id=prop_id, check_in=check_in,
                              check_out=check_in + timedelta(days=2))
            )  # fmt: skip
        await uow.reservations.add(a_reservation(id="res_other", uid="o", host_id="host_2"))
        assert [r.id for r in await uow.reservations.list_for_feed("feed_1")] == [
            "res_b",
            "res_1",
            "res_other",
            "res_0",
        ]
        assert [r.id for r in await uow.reservations.list_for_property("prop_2")] == ["res_z", "res_a"]
        assert [r.id for r in await uow.reservations.list_for_host("host_1")] == [
            "res_z", "res_a", "res_b", "res_1", "res_0"
        ]  # fmt: skip
        assert [r.id for r in await uow.reservations.list_for_host("host_1", limit=2, offset=2)] == ["res_b", "res_1"]


async def test_reservations_ending_after_a_date_leave_out_those_checking_out_by_then(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await seed(uow)  # res_1: 10 to 14 July
        await uow.reservations.add(
            a_reservation(id="res_2", uid="u2", check_in=date(2026, 7, 14), check_out=date(2026, 7, 16))
        )
        ending = [r.id for r in await uow.reservations.list_for_property("prop_1", ending_after=date(2026, 7, 14))]
        assert ending == ["res_2"]
        ending = [r.id for r in await uow.reservations.list_for_property("prop_1", ending_after=date(2026, 7, 13))]
        assert ending == ["res_1", "res_2"]


async def test_blocks_list_by_start_then_id_and_can_be_deleted(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow)
        await uow.feeds.add(a_feed(id="feed_2"))
        for block_id, day in [("blk_c", 5), ("blk_b", 1), ("blk_a", 5)]:
            start = date(2026, 9, 1) + timedelta(days=day)
            await uow.blocks.add(a_block(id=block_id, uid=block_id, start=start, end=start + timedelta(days=1)))
        await uow.blocks.add(a_block(id="blk_other", feed_id="feed_2"))
        assert [b.id for b in await uow.blocks.list_for_feed("feed_1")] == ["blk_b", "blk_a", "blk_c"]
        await uow.blocks.delete("blk_a")
        await uow.blocks.delete("no_such_block")
        assert [b.id for b in await uow.blocks.list_for_feed("feed_1")] == ["blk_b", "blk_c"]


async def _add_tasks(uow: UnitOfWork) -> None:
    """host_1: t_c, t_b (same window, later) and t_a (earliest); host_2: t_x. All on prop_1 for simplicity."""
    await seed(uow)
    await uow.hosts.add(a_host(id="host_2"))
    start = datetime(2026, 7, 20, 10, 0, tzinfo=UTC)
    specs = [
        ("t_c", "host_1", 5, TaskStatus.PLANNED, "res_1"),
        ("t_b", "host_1", 5, TaskStatus.HIRING, None),
        ("t_a", "host_1", 0, TaskStatus.PLANNED, "res_1"),
        ("t_x", "host_2", 1, TaskStatus.PLANNED, None),
    ]
    for task_id, host_id, hours, status, reservation_id in specs:
        window = start + timedelta(hours=hours)
        await uow.tasks.add(
            a_task(id=task_id, host_id=host_id, natural_key=task_id, window_start=window,
                   deadline=window + timedelta(hours=3), status=status, reservation_id=reservation_id)
        )  # fmt: skip


async def test_tasks_list_by_window_start_then_id(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await _add_tasks(uow)
        assert [t.id for t in await uow.tasks.list_for_property("prop_1")] == ["t_a", "t_x", "t_b", "t_c"]
        assert [t.id for t in await uow.tasks.list_for_reservation("res_1")] == ["t_a", "t_c"]
        assert [t.id for t in await uow.tasks.list_for_host("host_1")] == ["t_a", "t_b", "t_c"]
        assert [t.id for t in await uow.tasks.list_for_host("host_1", limit=1, offset=1)] == ["t_b"]
        assert (await uow.tasks.get_by_natural_key("t_b")) is not None


async def test_tasks_by_status_with_and_without_a_host(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await _add_tasks(uow)
        planned = [t.id for t in await uow.tasks.list_by_status([TaskStatus.PLANNED])]
        assert planned == ["t_a", "t_x", "t_c"]
        mine = [t.id for t in await uow.tasks.list_by_status([TaskStatus.PLANNED, TaskStatus.HIRING], host_id="host_1")]
        assert mine == ["t_a", "t_b", "t_c"]
        assert await uow.tasks.list_by_status([TaskStatus.DONE]) == []
        assert await uow.tasks.list_by_status([]) == []


async def test_hires_list_by_creation_and_since_includes_that_instant(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow, task=True)
        await uow.tasks.add(a_task(id="task_2", natural_key="k2"))
        specs = [("h_c", "task_1", 2), ("h_b", "task_2", 1), ("h_a", "task_1", 2), ("h_0", "task_1", 0)]
        for hire_id, task_id, hours in specs:
            await uow.hires.add(a_hire(id=hire_id, task_id=task_id, idempotency_key=hire_id, created_at=at(hours)))
        await uow.hires.add(a_hire(id="h_other", host_id="host_2", idempotency_key="o", created_at=at(5)))
        assert [h.id for h in await uow.hires.list_for_task("task_1")] == ["h_0", "h_a", "h_c", "h_other"]
        assert [h.id for h in await uow.hires.list_for_host("host_1")] == ["h_0", "h_b", "h_a", "h_c"]
        since = at(1).astimezone(UTC)
        assert [h.id for h in await uow.hires.list_for_host("host_1", since=since)] == ["h_b", "h_a", "h_c"]
        assert (await uow.hires.get_by_idempotency_key("h_b")) is not None


async def test_hires_by_status_oldest_first_across_hosts(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow, task=True)
        specs = [("h_b", HireStatus.BOOKED, 2), ("h_c", HireStatus.CONFIRMED, 1), ("h_x", HireStatus.COMPLETED, 0)]
        for hire_id, status, hours in specs:
            await uow.hires.add(a_hire(id=hire_id, idempotency_key=hire_id, status=status, created_at=at(hours)))
        await uow.hires.add(a_hire(id="h_o", host_id="host_2", idempotency_key="o", status=HireStatus.BOOKED))
        wanted = (HireStatus.BOOKED, HireStatus.CONFIRMED)
        assert [h.id for h in await uow.hires.list_by_status(wanted)] == ["h_c", "h_b", "h_o"]
        assert await uow.hires.list_by_status((HireStatus.IN_PROGRESS,)) == []


async def test_open_approvals_of_a_host_oldest_first(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow, task=True)
        await uow.hires.add(a_hire())
        specs = [
            ("apr_c", "host_1", 2, ApprovalStatus.OPEN),
            ("apr_b", "host_1", 1, ApprovalStatus.OPEN),
            ("apr_a", "host_1", 2, ApprovalStatus.OPEN),
            ("apr_done", "host_1", 0, ApprovalStatus.APPROVED),
            ("apr_other", "host_2", 0, ApprovalStatus.OPEN),
        ]
        for approval_id, host_id, hours, status in specs:
            await uow.approvals.add(an_approval(id=approval_id, host_id=host_id, created_at=at(hours), status=status))
        assert [a.id for a in await uow.approvals.list_open("host_1")] == ["apr_b", "apr_a", "apr_c"]


async def test_unnotified_events_come_oldest_first_up_to_the_limit(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.hosts.add(a_host())
        await uow.hosts.add(a_host(id="host_2"))
        for event_id, host_id, hours, notified in [
            ("e_c", "host_1", 2, None), ("e_b", "host_2", 1, None), ("e_a", "host_1", 2, None),
            ("e_sent", "host_1", 0, at(3)),
        ]:  # fmt: skip
            await uow.events.add(an_event(id=event_id, host_id=host_id, created_at=at(hours), notified_at=notified))
        assert [e.id for e in await uow.events.list_unnotified()] == ["e_b", "e_a", "e_c"]
        assert [e.id for e in await uow.events.list_unnotified(limit=2)] == ["e_b", "e_a"]
        [first] = await uow.events.list_unnotified(limit=1)
        first.notified_at = at(4)
        await uow.events.update(first)
        assert [e.id for e in await uow.events.list_unnotified()] == ["e_a", "e_c"]


async def test_events_and_audit_entries_of_a_host_come_newest_first(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.hosts.add(a_host())
        await uow.hosts.add(a_host(id="host_2"))
        for ident, host_id, hours in [
            ("x_c", "host_1", 2),
            ("x_b", "host_1", 1),
            ("x_a", "host_1", 2),
            ("x_o", "host_2", 5),
        ]:
            await uow.events.add(an_event(id=ident, host_id=host_id, created_at=at(hours), kind=EventKind.TASK_PLANNED))
            await uow.audit.add(an_audit_entry(id=ident, host_id=host_id, at=at(hours)))
        assert [e.id for e in await uow.events.list_for_host("host_1")] == ["x_c", "x_a", "x_b"]
        assert [e.id for e in await uow.events.list_for_host("host_1", limit=1)] == ["x_c"]
        assert [e.id for e in await uow.audit.list_for_host("host_1")] == ["x_c", "x_a", "x_b"]
        assert [e.id for e in await uow.audit.list_for_host("host_1", limit=2)] == ["x_c", "x_a"]


def a_fetch(fetch_id: str, hours: float, **kw: Any) -> FeedFetch:
    defaults: dict[str, Any] = dict(
        id=fetch_id, feed_id="feed_1", at=at(hours), outcome=FetchOutcome.APPLIED, body_sha256="b" * 64,
        events_hash="e" * 64, event_count=2, error="", held_reason="", new=1, changed=1, cancelled=0,
        events=({"uid": "u1", "start": "2026-07-01", "end": "2026-07-03", "summary": "Reserved", "description": ""},),
    )  # fmt: skip
    return FeedFetch(**(defaults | kw))


async def test_feed_fetches_round_trip_and_list_newest_first(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow)
        first = a_fetch("fx_1", 1)
        held = a_fetch("fx_2", 2, outcome=FetchOutcome.HELD, held_reason="the feed came back empty", events=None)
        failed = a_fetch("fx_3", 3, outcome=FetchOutcome.FAILED, error="HTTP 503", event_count=0, events=None)
        for fetch in (held, first, failed):
            await uow.fetches.add(fetch)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.fetches.list_for_feed("feed_1") == [failed, held, first]
        assert await uow.fetches.list_for_feed("feed_1", limit=1) == [failed]
        assert await uow.fetches.list_for_feed("feed_2") == []


async def test_a_fetch_of_an_unknown_feed_is_a_conflict(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        with pytest.raises(Conflict):
            await uow.fetches.add(a_fetch("fx_1", 1, feed_id="nope"))


async def test_deleting_a_feed_deletes_its_fetch_log(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow)
        await uow.fetches.add(a_fetch("fx_1", 1))
        await uow.commit()
    async with uow_factory() as uow:
        await uow.feeds.delete("feed_1")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.fetches.list_for_feed("feed_1") == []


async def test_expiring_snapshots_clears_old_superseded_ones_and_keeps_every_audit_row(
    uow_factory: UnitOfWorkFactory,
) -> None:
    fetches = [
        a_fetch("fx_1", 1),  # older than the cutoff, superseded: cleared
        a_fetch("fx_2", 2, outcome=FetchOutcome.FAILED, error="HTTP 503", event_count=0, events=None),
        a_fetch("fx_3", 10),  # exactly at the cutoff is not older: kept
        a_fetch("fx_4", 30),  # feed_1's newest snapshot
        a_fetch("fx_6", 1, feed_id="feed_2"),  # cleared
        a_fetch("fx_7", 2, feed_id="feed_2", outcome=FetchOutcome.HELD, held_reason="empty"),  # cleared: fx_9 ties
        a_fetch("fx_9", 2, feed_id="feed_2"),  # feed_2's newest snapshot (same instant, greater id): kept, however old
        a_fetch("fx_8", 5, feed_id="feed_2", outcome=FetchOutcome.UNCHANGED, events=None),
    ]
    async with uow_factory() as uow:
        await seed(uow)
        await uow.feeds.add(a_feed(id="feed_2"))
        for fetch in fetches:
            await uow.fetches.add(fetch)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.fetches.expire_snapshots(at(10)) == 3
        await uow.commit()
    async with uow_factory() as uow:
        stored = [*await uow.fetches.list_for_feed("feed_1"), *await uow.fetches.list_for_feed("feed_2")]
        assert await uow.fetches.expire_snapshots(at(10)) == 0
    expected = {f.id: dataclasses.replace(f, events=None) if f.id in {"fx_1", "fx_6", "fx_7"} else f for f in fetches}
    newest_first = ["fx_4", "fx_3", "fx_2", "fx_1", "fx_8", "fx_9", "fx_7", "fx_6"]
    assert stored == [expected[ident] for ident in newest_first]


async def test_expiring_snapshots_is_undone_by_a_rollback(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow)
        await uow.fetches.add(a_fetch("fx_1", 1))
        await uow.fetches.add(a_fetch("fx_2", 2))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.fetches.expire_snapshots(at(5)) == 1
        assert [f.events is None for f in await uow.fetches.list_for_feed("feed_1")] == [False, True]
    async with uow_factory() as uow:
        assert [f.events is None for f in await uow.fetches.list_for_feed("feed_1")] == [False, False]


async def test_add_many_writes_every_row_or_none(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow)
        await uow.reservations.add_many([])
        stays = [a_reservation(id=f"res_{n}", uid=f"uid-{n}", check_in=date(2026, 9, n), check_out=date(2026, 9, n + 1))
                 for n in (2, 3)]  # fmt: skip
        await uow.reservations.add_many(stays)
        await uow.blocks.add_many([a_block(id="blk_2", uid="b2"), a_block(id="blk_3", uid="b3")])
        await uow.tasks.add_many([a_task(id="task_2", natural_key="k2"), a_task(id="task_3", natural_key="k3")])
        await uow.events.add_many([an_event(id="evt_2"), an_event(id="evt_3")])
        with pytest.raises(Conflict):  # the second row repeats a UID: the first is not written either
            await uow.reservations.add_many([a_reservation(id="res_8", uid="uid-8"), a_reservation(id="res_9")])
        await uow.commit()
    async with uow_factory() as uow:
        assert [r.id for r in await uow.reservations.list_for_feed("feed_1")] == ["res_1", "res_2", "res_3"]
        assert await uow.reservations.get("res_2") == stays[0]
        assert len(await uow.blocks.list_for_feed("feed_1")) == 2
        assert {t.id for t in await uow.tasks.list_for_property("prop_1")} == {"task_2", "task_3"}
        assert {e.id for e in await uow.events.list_for_host("host_1")} == {"evt_2", "evt_3"}


async def test_update_health_writes_the_health_and_nothing_else(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await seed(uow)
        await uow.commit()
    async with uow_factory() as uow:
        listed = await uow.feeds.get("feed_1")
        edited = await uow.feeds.get("feed_1")
        assert listed is not None and edited is not None
        edited.url = "https://example.test/new.ics?t=rotated"  # a concurrent edit of the feed itself
        await uow.feeds.update(edited)
        listed.health.record_success(at(20), "events-hash", "body-digest", 12)
        await uow.feeds.update_health(listed)
        await uow.fetches.add_many([FeedFetch("fx_8", "feed_1", at(20), FetchOutcome.UNCHANGED),
                                    FeedFetch("fx_9", "feed_1", at(21), FetchOutcome.UNCHANGED)])  # fmt: skip
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.feeds.get("feed_1")
        fetches = await uow.fetches.list_for_feed("feed_1")
    assert stored is not None and stored.url == "https://example.test/new.ics?t=rotated"
    assert (stored.health.last_body_digest, stored.health.last_event_count) == ("body-digest", 12)
    assert [f.id for f in fetches] == ["fx_9", "fx_8"]
    with pytest.raises(NotFound):
        async with uow_factory() as uow:
            await uow.feeds.update_health(dataclasses.replace(stored, id="nope"))
