"""Alembic environment: migrates the connection handed in by `storage.migrations.run_upgrade`, or,
from the `alembic` command line, the database at `sqlalchemy.url` / TURNOVER_DATABASE_URL."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy import Connection

from storage.tables import metadata

config = context.config
target_metadata = metadata


def do_run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations(url: str) -> None:
    from storage.database import make_engine  # the same connection setup as the app (SQLite pragmas)

    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(do_run_migrations)
    finally:
        await engine.dispose()


def run_migrations_offline(url: str) -> None:
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
        return
    url = os.environ.get("TURNOVER_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("Set TURNOVER_DATABASE_URL (or sqlalchemy.url) to run Alembic by hand.")
    if context.is_offline_mode():
        run_migrations_offline(url)
    else:
        asyncio.run(run_async_migrations(url))


main()
