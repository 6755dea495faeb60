"""Engines and schema state: `make_engine`, `prepare_database`, `upgrade_database`, `sqlite_url`.

SQLite (`sqlite+aiosqlite:///path`) is the embedded default: every connection gets WAL, foreign keys,
a busy timeout, and SQLAlchemy-emitted `BEGIN IMMEDIATE` (the sqlite3 driver's own transaction
handling skips BEGIN before reads and breaks SAVEPOINTs; IMMEDIATE takes the write lock up front, so
two units of work queue behind the busy timeout instead of failing on a stale read snapshot).
PostgreSQL is `postgresql+asyncpg://user:password@host:port/db`.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from domain.errors import ConfigurationError, SchemaTooNew
from storage.migrations import alembic_config, run_upgrade

CONNECT_TIMEOUT_SECONDS = 5
SQLITE_CACHE_KIB = 32 * 1024
BUSY_TIMEOUT_MS = 5_000
_MIGRATION_LOCK = 7_415_289_001  # pg_advisory_xact_lock key: one instance migrates at a time
_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg"}
_HINT = "Check TURNOVER_DATABASE_URL."


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def make_engine(url: str) -> AsyncEngine:
    """An engine for a SQLite or PostgreSQL URL (`sqlite://` and `postgresql://` get the async driver)."""
    parsed = _parse(url)
    if parsed.drivername == "sqlite+aiosqlite":
        engine = create_async_engine(parsed)
        event.listen(engine.sync_engine, "connect", _on_sqlite_connect)
        event.listen(engine.sync_engine, "begin", _on_sqlite_begin)
        return engine
    if parsed.drivername == "postgresql+asyncpg":
        # REPEATABLE READ: a unit of work that writes a row another one changed since it read it fails
        # (SQLSTATE 40001, raised as `Conflict`) instead of silently undoing the other's write. SQLite
        # gets the same guarantee from BEGIN IMMEDIATE, which runs units of work one at a time.
        return create_async_engine(
            parsed,
            pool_pre_ping=True,
            isolation_level="REPEATABLE READ",
            connect_args={"timeout": CONNECT_TIMEOUT_SECONDS},
        )
    raise ConfigurationError(
        f"Unsupported database URL scheme {parsed.drivername!r}: use sqlite+aiosqlite:///path "
        f"or postgresql+asyncpg://user@host/db. {_HINT}"
    )


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigurationError(f"The database URL is not a URL. {_HINT}") from None
    return parsed.set(drivername=_DRIVERS.get(parsed.drivername, parsed.drivername))


def _on_sqlite_connect(dbapi_connection: Any, connection_record: Any) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see _on_sqlite_begin)
    cursor = dbapi_connection.cursor()
    # A 32 MB page cache (the default is 2 MB): the date-ordered indexes take inserts all over, and a
    # large sync would otherwise read the same pages back from the OS again and again.
    pragmas = ("journal_mode=WAL", "foreign_keys=ON", f"busy_timeout={BUSY_TIMEOUT_MS}", "synchronous=NORMAL",
               f"cache_size=-{SQLITE_CACHE_KIB}")  # fmt: skip
    for pragma in pragmas:
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _on_sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


async def prepare_database(engine: AsyncEngine, *, upgrade: bool = True) -> str:
    """Make sure the schema is this Turnover's; returns the revision the database is at.

    An empty or older database is migrated to head (or, with `upgrade=False`, refused with a hint to
    run `turnover db upgrade`). A database migrated by a newer Turnover raises `SchemaTooNew`; an
    unreachable one raises `ConfigurationError` naming the host and port, never the password.
    """
    conn = await _connect(engine)
    try:
        async with conn.begin():
            return await _check_and_upgrade(conn, upgrade=upgrade)
    finally:
        await conn.close()


async def _check_and_upgrade(conn: AsyncConnection, *, upgrade: bool) -> str:
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    if head is None:
        raise RuntimeError("The migration scripts have no head revision.")
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
    current = await conn.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())
    if current is not None and current not in {s.revision for s in script.walk_revisions()}:
        raise SchemaTooNew(
            f"The database schema (revision {current}) is newer than this Turnover (revision {head}): "
            "upgrade Turnover, or point it at another database."
        )
    if current == head:
        return head
    if not upgrade:
        raise ConfigurationError(
            f"The database schema is at revision {current or 'empty'}, this Turnover needs {head}: "
            "run `turnover db upgrade`."
        )
    await conn.run_sync(run_upgrade, "head")
    return head


async def upgrade_database(url: str) -> str:
    """`turnover db upgrade`: migrate the database at `url` to this version's schema; returns the revision."""
    engine = make_engine(url)
    try:
        return await prepare_database(engine, upgrade=True)
    finally:
        await engine.dispose()


async def _connect(engine: AsyncEngine) -> AsyncConnection:
    url = engine.url
    where = url.database if url.get_backend_name() == "sqlite" else f"{url.host or 'localhost'}:{url.port or 5432}"
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        folder = Path(url.database).parent
        if not folder.is_dir():  # checked here: a failed aiosqlite open leaves its worker thread behind
            raise ConfigurationError(f"Cannot open the database at {where}: the folder {folder} does not exist.")
    try:
        return await engine.connect()
    except (OSError, TimeoutError, DBAPIError) as exc:
        reason = _reason(exc)
        if url.password:
            reason = reason.replace(url.password, "***")
        raise ConfigurationError(f"Cannot reach the database at {where}: {reason}. {_HINT}") from None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError):
        return f"no answer within {CONNECT_TIMEOUT_SECONDS} s"
    if isinstance(exc, socket.gaierror):
        return "unknown host"
    lines = str(exc).strip().splitlines()
    return lines[0].rstrip(".") if lines else type(exc).__name__
