"""The host-wide lists narrowed in the database (property, statuses, kind, since, channel, subject), on
memory, SQLite and PostgreSQL alike: the filters combine, and the order and paging stay the lists' own."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from domain.events import EventKind
from domain.ports import UnitOfWork, UnitOfWorkFactory
from domain.reservations import ReservationStatus
from domain.tasks import TaskKind, TaskStatus
from tests.storage.samples import (
    a_feed,
    a_host,
    a_property,
    a_reservation,
    a_task,
    an_audit_entry,
    an_event,
    at,
    seed,
)

R, S = ReservationStatus, TaskStatus


async def _two_properties(uow: UnitOfWork) -> None:
    await seed(uow)  # res_1 on prop_1, tentative, 10 July
    await uow.hosts.add(a_host(id="host_2"))
    await uow.properties.add(a_property(id="prop_2"))
    await uow.feeds.add(a_feed(id="feed_2", property_id="prop_2"))


async def test_reservations_of_a_host_narrow_by_property_and_status(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await _two_properties(uow)
        specs = [
            ("r_a", "prop_2", "host_1", 1, R.CONFIRMED), ("r_b", "prop_1", "host_1", 2, R.CANCELLED),
            ("r_c", "prop_2", "host_1", 3, R.CANCELLED), ("r_d", "prop_1", "host_1", 4, R.CONFIRMED),
            ("r_o", "prop_1", "host_2", 0, R.CONFIRMED),
        ]  # fmt: skip
        for res_id, prop_id, host_id, day, status in specs:
            check_in = date(2026, 7, 1) + timedelta(days=day)
            await uow.reservations.add(
                a_reservation(id=res_id, uid=res_id, host_id=host_id, property_id=prop_id, status=status,
                              feed_id="feed_1" if prop_id == "prop_1" else "feed_2", check_in=check_in,
                              check_out=check_in + timedelta(days=2))
            )  # fmt: skip

        async def ids(**kw: object) -> list[str]:
            return [r.id for r in await uow.reservations.list_for_host("host_1", **kw)]  # type: ignore[arg-type]

        assert await ids(property_id="prop_1") == ["r_b", "r_d", "res_1"]
        assert await ids(statuses=[R.CONFIRMED, R.TENTATIVE]) == ["r_a", "r_d", "res_1"]
        assert await ids(property_id="prop_2", statuses=[R.CANCELLED]) == ["r_c"]
        assert await ids(statuses=[R.CANCELLED], limit=1, offset=1) == ["r_c"]
        assert await ids(statuses=[]) == []
        assert await ids(property_id="prop_nope") == []


async def test_tasks_of_a_host_narrow_by_property_status_and_kind(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await _two_properties(uow)
        start = datetime(2026, 7, 20, 10, 0, tzinfo=UTC)
        specs = [
            ("t_a", "prop_2", "host_1", 0, S.PLANNED, TaskKind.CLEAN),
            ("t_b", "prop_1", "host_1", 1, S.NEEDS_HOST, TaskKind.CLEAN),
            ("t_c", "prop_1", "host_1", 2, S.PLANNED, TaskKind.MAINTENANCE),
            ("t_d", "prop_1", "host_1", 3, S.PLANNED, TaskKind.CLEAN),
            ("t_o", "prop_1", "host_2", 0, S.PLANNED, TaskKind.CLEAN),
        ]
        for task_id, prop_id, host_id, hours, status, kind in specs:
            window = start + timedelta(hours=hours)
            await uow.tasks.add(
                a_task(id=task_id, host_id=host_id, property_id=prop_id, natural_key=task_id, kind=kind,
                       window_start=window, deadline=window + timedelta(hours=3), status=status, reservation_id=None)
            )  # fmt: skip

        async def ids(**kw: object) -> list[str]:
            return [t.id for t in await uow.tasks.list_for_host("host_1", **kw)]  # type: ignore[arg-type]

        assert await ids(property_id="prop_1") == ["t_b", "t_c", "t_d"]
        assert await ids(statuses=[S.PLANNED]) == ["t_a", "t_c", "t_d"]
        assert await ids(kind=TaskKind.CLEAN) == ["t_a", "t_b", "t_d"]
        assert await ids(property_id="prop_1", statuses=[S.PLANNED], kind=TaskKind.CLEAN) == ["t_d"]
        assert await ids(kind=TaskKind.CLEAN, limit=1, offset=1) == ["t_b"]
        assert await ids(statuses=[]) == []


async def test_events_of_a_host_narrow_by_time_property_and_subject(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.hosts.add(a_host())
        await uow.hosts.add(a_host(id="host_2"))
        specs = [
            ("e_a", "host_1", 1, "prop_1", "res_1"), ("e_b", "host_1", 2, "prop_2", "res_1"),
            ("e_c", "host_1", 3, None, "feed_1"), ("e_d", "host_1", 4, "prop_1", "task_1"),
            ("e_o", "host_2", 5, "prop_1", "res_1"),
        ]  # fmt: skip
        for event_id, host_id, hours, prop_id, subject in specs:
            await uow.events.add(
                an_event(id=event_id, host_id=host_id, created_at=at(hours), property_id=prop_id, subject_id=subject,
                         kind=EventKind.RESERVATION_CHANGED)
            )  # fmt: skip

        async def ids(**kw: object) -> list[str]:
            return [e.id for e in await uow.events.list_for_host("host_1", **kw)]  # type: ignore[arg-type]

        assert await ids(since=at(2).astimezone(UTC)) == ["e_d", "e_c", "e_b"]  # the instant itself included
        assert await ids(property_id="prop_1") == ["e_d", "e_a"]
        assert await ids(subject_id="res_1") == ["e_b", "e_a"]
        assert await ids(since=at(2), property_id="prop_2", subject_id="res_1") == ["e_b"]
        assert await ids(property_id="prop_1", limit=1) == ["e_d"]


async def test_audit_entries_of_a_host_narrow_by_time_channel_and_named_property(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await uow.hosts.add(a_host())
        await uow.hosts.add(a_host(id="host_2"))
        specs = [
            ("a_a", "host_1", 1, "cli", {"property_id": "prop_1", "kind": "clean"}),
            ("a_b", "host_1", 2, "slack", {"property_id": "prop_2"}),
            ("a_c", "host_1", 3, "cli", {"name": "Loft"}),
            ("a_d", "host_1", 4, "mcp", {"property_id": "prop_1"}),
            ("a_o", "host_2", 5, "cli", {"property_id": "prop_1"}),
        ]
        for entry_id, host_id, hours, channel, arguments in specs:
            await uow.audit.add(
                an_audit_entry(id=entry_id, host_id=host_id, at=at(hours), channel=channel, arguments=arguments)
            )

        async def ids(**kw: object) -> list[str]:
            return [e.id for e in await uow.audit.list_for_host("host_1", **kw)]  # type: ignore[arg-type]

        assert await ids(since=at(2)) == ["a_d", "a_c", "a_b"]
        assert await ids(channel="cli") == ["a_c", "a_a"]
        assert await ids(property_id="prop_1") == ["a_d", "a_a"]
        assert await ids(since=at(1), channel="cli", property_id="prop_1") == ["a_a"]
        assert await ids(property_id="prop_1", limit=1) == ["a_d"]
