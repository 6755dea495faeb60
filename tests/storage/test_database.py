"""Engines and schema state: migrations to head, refusing newer schemas, clear connection errors."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.errors import ConfigurationError, SchemaTooNew
from storage.database import make_engine, prepare_database, sqlite_url, upgrade_database
from storage.migrations import alembic_config
from storage.tables import metadata
from storage.uow import SqlUnitOfWorkFactory
from tests.storage.samples import a_host, at

HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


async def _revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())


async def test_a_fresh_database_is_migrated_to_head(engine: AsyncEngine) -> None:
    assert await prepare_database(engine) == HEAD
    assert await _revision(engine) == HEAD
    assert await prepare_database(engine) == HEAD  # and a second start changes nothing


async def test_the_migrations_build_exactly_the_schema_of_the_tables_module(engine: AsyncEngine) -> None:
    await prepare_database(engine)
    async with engine.connect() as conn:
        diffs = await conn.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata)
        )
        tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert diffs == []
    assert tables == set(metadata.tables) | {"alembic_version"}


async def test_a_database_migrated_by_a_newer_turnover_is_refused(engine: AsyncEngine) -> None:
    await prepare_database(engine)
    async with engine.begin() as conn:
        await conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    with pytest.raises(SchemaTooNew) as refused:
        await prepare_database(engine)
    assert "9999_from_the_future" in str(refused.value)


async def test_a_database_with_an_empty_version_table_is_upgraded(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.exec_driver_sql(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
            "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
        )
    assert await prepare_database(engine) == HEAD


async def test_an_older_database_is_refused_when_upgrading_is_off(engine: AsyncEngine) -> None:
    with pytest.raises(ConfigurationError) as refused:
        await prepare_database(engine, upgrade=False)
    assert not isinstance(refused.value, SchemaTooNew)
    assert await _revision(engine) is None


async def test_concurrent_units_of_work_wait_for_each_other_instead_of_failing(engine: AsyncEngine) -> None:
    await prepare_database(engine)
    uow_factory = SqlUnitOfWorkFactory(engine)

    async def read_then_write(n: int) -> None:
        async with uow_factory() as uow:
            await uow.hosts.list()
            await uow.hosts.add(a_host(id=f"host_{n}", created_at=at(n)))
            await uow.commit()

    await asyncio.gather(*(read_then_write(n) for n in range(6)))
    async with uow_factory() as uow:
        assert [h.id for h in await uow.hosts.list()] == [f"host_{n}" for n in range(6)]


async def test_sqlite_connections_use_wal_and_enforce_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "turnover.sqlite"))
    try:
        async with engine.connect() as conn:
            journal = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
            foreign_keys = (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar()
    finally:
        await engine.dispose()
    assert (journal, foreign_keys) == ("wal", 1)


async def test_upgrade_database_migrates_the_database_at_a_url(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "turnover.sqlite")
    assert await upgrade_database(url) == HEAD
    assert await upgrade_database(url) == HEAD


async def test_an_unreachable_server_is_one_clear_line_naming_host_and_port_but_not_the_password() -> None:
    engine = make_engine("postgresql+asyncpg://postgres:hunter2@127.0.0.1:1/test")
    try:
        async with asyncio.timeout(10):
            with pytest.raises(ConfigurationError) as refused:
                await prepare_database(engine)
    finally:
        await engine.dispose()
    message = str(refused.value)
    assert "127.0.0.1:1" in message
    assert "hunter2" not in message
    assert "\n" not in message
    assert refused.value.__cause__ is None


async def test_a_sqlite_file_that_cannot_be_opened_is_a_configuration_error(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "missing-dir" / "turnover.sqlite"))
    try:
        with pytest.raises(ConfigurationError):
            await prepare_database(engine)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("url", ["mysql://user@host/db", "not a url"])
def test_an_unsupported_database_url_is_a_configuration_error(url: str) -> None:
    with pytest.raises(ConfigurationError):
        make_engine(url)


@pytest.mark.parametrize(
    ("url", "driver"),
    [("postgresql://user@host/db", "postgresql+asyncpg"), ("sqlite:///turnover.sqlite", "sqlite+aiosqlite")],
)
async def test_plain_urls_get_the_async_driver(url: str, driver: str) -> None:
    engine = make_engine(url)
    await engine.dispose()
    assert engine.url.drivername == driver


async def test_a_database_at_the_first_revision_keeps_its_feeds_when_upgraded(engine: AsyncEngine) -> None:
    from storage.migrations import run_upgrade

    async with engine.begin() as conn:
        await conn.run_sync(run_upgrade, "0001")
        await conn.exec_driver_sql(
            "INSERT INTO hosts (id, name, timezone, created_at) VALUES ('h1', 'H', 'UTC', '2026-11-01 00:00:00+00:00')"
        )
        await conn.exec_driver_sql(
            "INSERT INTO properties (id, host_id, name, city, timezone, created_at, address, country, bedrooms,"
            " bathrooms, max_guests, check_in_time, check_out_time, cleaning_budget, cleaning_minutes, access_notes,"
            " required_skills, auto_approve_limit, min_rating, ack_hours, check_in_tasks, check_out_tasks) VALUES"
            " ('p1', 'h1', 'P', 'Lisbon', 'Europe/Lisbon', '2026-11-01 00:00:00+00:00', '', '', 1, 1, 2, '16:00:00',"
            " '11:00:00', '90', 180, '', '{}', '120', 4.0, 12, false, false)"
        )
        await conn.exec_driver_sql(
            "INSERT INTO feeds (id, property_id, platform, url, created_at, blocks_are_bookings, honour_event_times,"
            " dtend_is_last_night, last_error, consecutive_failures, last_content_hash) VALUES ('f1', 'p1', 'airbnb',"
            " 'https://example.test/x.ics', '2026-11-01 00:00:00+00:00', false, false, false, '', 0, 'abc')"
        )
    assert await prepare_database(engine) == HEAD
    async with SqlUnitOfWorkFactory(engine)() as uow:
        feed = await uow.feeds.get("f1")
    assert feed is not None
    assert (feed.health.last_content_hash, feed.health.held_count, feed.health.holding) == ("abc", 0, False)
