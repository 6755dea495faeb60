"""Storage fixtures: the same unit-of-work factory on memory, SQLite and (when configured) PostgreSQL.

PostgreSQL runs only with TURNOVER_TEST_DATABASE_URL set, e.g.
`postgresql+asyncpg://postgres@127.0.0.1:5432/test`. That database is wiped before each test.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.ports import UnitOfWorkFactory
from storage.database import make_engine, prepare_database, sqlite_url
from storage.memory import InMemoryUnitOfWorkFactory
from storage.uow import SqlUnitOfWorkFactory

POSTGRES_URL_VARIABLE = "TURNOVER_TEST_DATABASE_URL"


def postgres_url() -> str:
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        pytest.skip(f"set {POSTGRES_URL_VARIABLE} to run the PostgreSQL tests")
    return url


async def wipe_postgres(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        await conn.exec_driver_sql("CREATE SCHEMA public")


async def empty_engine(backend: str, tmp_path: Path) -> AsyncEngine:
    """An engine on an empty database: a new SQLite file, or the wiped PostgreSQL test database."""
    if backend == "sqlite":
        return make_engine(sqlite_url(tmp_path / "turnover.sqlite"))
    engine = make_engine(postgres_url())
    await wipe_postgres(engine)
    return engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An unmigrated, empty database on each SQL backend."""
    engine = await empty_engine(request.param, tmp_path)
    yield engine
    await engine.dispose()


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def uow_factory(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[UnitOfWorkFactory]:
    if request.param == "memory":
        yield InMemoryUnitOfWorkFactory()
        return
    engine = await empty_engine(request.param, tmp_path)
    try:
        await prepare_database(engine)
        yield SqlUnitOfWorkFactory(engine)
    finally:
        await engine.dispose()
