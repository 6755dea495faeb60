"""Alembic migrations, driven from code: no alembic.ini is needed in the working directory.

`alembic_config()` points at this package; `run_upgrade` migrates on a connection we already hold
(from `AsyncConnection.run_sync`), so nothing calls `asyncio.run` inside a running loop.
For hand use (new revisions): `alembic -c storage/migrations/alembic.ini revision --autogenerate -m ...`
with TURNOVER_DATABASE_URL set.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for our scripts; with `connection`, env.py migrates on that connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def run_upgrade(connection: Connection, revision: str = "head") -> None:
    """Upgrade on an open (sync) connection, inside the caller's transaction."""
    command.upgrade(alembic_config(connection), revision)
