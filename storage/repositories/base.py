"""What every SQL repository shares: guarded writes and row fetching on one `AsyncConnection`.

A write that could fail halfway runs inside a SAVEPOINT, so a constraint violation becomes a domain
`Conflict` and the surrounding transaction stays usable (PostgreSQL would otherwise abort it).
Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from sqlalchemy import Executable, Row, Table, delete, select
from sqlalchemy.engine import CursorResult, Dialect
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import NotFound
from storage.contract import concurrent, dangling, duplicate


class SqlRepository:
    table: ClassVar[Table]
    kind: ClassVar[str]  # how errors name a row of this table: "reservation"

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def _write(self, statement: Executable, rows: list[dict[str, Any]] | None = None) -> CursorResult[Any]:
        """Execute one write (for many `rows` at once if given); constraint violations become `Conflict`
        and leave the transaction usable.

        That takes a savepoint, except for a single statement on SQLite, where a failed statement
        is undone alone anyway (a multi-row executemany is several statements there, so it gets one).
        """
        try:
            if rows is None and self._conn.dialect.name == "sqlite":
                return await self._conn.execute(statement)
            async with self._conn.begin_nested():
                return await self._conn.execute(statement, rows)
        except IntegrityError as exc:
            raise self._conflict(exc) from exc
        except DBAPIError as exc:
            if is_concurrent_write(exc):
                raise concurrent(self.kind) from exc
            raise
        except StatementError as exc:
            if isinstance(exc.orig, ValueError | TypeError):
                raise exc.orig from exc  # a naive datetime or a float for a Decimal: a caller bug
            raise

    def _conflict(self, exc: IntegrityError) -> Exception:
        message = str(exc.orig).lower()
        if "foreign key" in message:
            return dangling(self.kind)
        if "unique" in message or "duplicate" in message:
            return duplicate(self.kind)
        return exc

    async def _insert(self, values: dict[str, Any]) -> None:
        await self._write(self.table.insert().values(**values))

    async def _insert_many(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if self._conn.dialect.name != "sqlite":
            await self._write(self.table.insert(), rows)
            return
        # SQLite: the same INSERT and the same type processors SQLAlchemy would apply, run once per
        # value here and handed to the driver's executemany, without Core's per-row bookkeeping
        # (half the cost of a large import). Every value still goes through its column's type.
        sql, processors = _driver_insert(self.table, tuple(rows[0]), self._conn.dialect)
        params = [tuple(p(row[name]) if p else row[name] for name, p in processors) for row in rows]
        try:
            async with self._conn.begin_nested():
                await self._conn.exec_driver_sql(sql, params)
        except IntegrityError as exc:
            raise self._conflict(exc) from exc

    async def _update(self, ident: str, values: dict[str, Any]) -> None:
        result = await self._write(self.table.update().where(self.table.c.id == ident).values(**values))
        if result.rowcount == 0:
            raise NotFound(self.kind, ident)

    async def _delete(self, ident: str) -> None:
        await self._write(delete(self.table).where(self.table.c.id == ident))

    async def _get_row(self, ident: str) -> Row[Any] | None:
        return (await self._conn.execute(select(self.table).where(self.table.c.id == ident))).first()

    async def _rows(self, statement: Executable) -> Sequence[Row[Any]]:
        return (await self._conn.execute(statement)).all()


_Processor = Callable[[Any], Any] | None  # a column type's bind processor for the dialect
_DRIVER_INSERTS: dict[tuple[str, tuple[str, ...], str], tuple[str, list[tuple[str, _Processor]]]] = {}


def _driver_insert(table: Table, names: tuple[str, ...], dialect: Dialect) -> tuple[str, list[tuple[str, _Processor]]]:
    """`INSERT INTO t (a, b) VALUES (?, ?)` and each column's bind processor, built once per shape."""
    key = (table.name, names, dialect.name)
    if key not in _DRIVER_INSERTS:
        quote = dialect.identifier_preparer.quote
        sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
            f"VALUES ({', '.join('?' for _ in names)})"
        )
        processors: list[tuple[str, _Processor]] = [
            (n, table.c[n].type.dialect_impl(dialect).bind_processor(dialect)) for n in names
        ]
        _DRIVER_INSERTS[key] = (sql, processors)
    return _DRIVER_INSERTS[key]


SERIALIZATION_FAILURES = frozenset({"40001", "40P01"})  # serialization failure, deadlock (PostgreSQL)


def is_concurrent_write(exc: DBAPIError) -> bool:
    """Whether the database refused a write because another unit of work changed the row meanwhile."""
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code in SERIALIZATION_FAILURES
