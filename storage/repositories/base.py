"""What every SQL repository shares: guarded writes and row fetching on one `AsyncConnection`.

Each write runs inside a SAVEPOINT, so a constraint violation becomes a domain `Conflict` and the
surrounding transaction stays usable (PostgreSQL would otherwise abort it). Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from sqlalchemy import Executable, Row, Table, delete, select
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import NotFound
from storage.contract import dangling, duplicate


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
            message = str(exc.orig).lower()
            if "foreign key" in message:
                raise dangling(self.kind) from exc
            if "unique" in message or "duplicate" in message:
                raise duplicate(self.kind) from exc
            raise
        except StatementError as exc:
            if isinstance(exc.orig, ValueError | TypeError):
                raise exc.orig from exc  # a naive datetime or a float for a Decimal: a caller bug
            raise

    async def _insert(self, values: dict[str, Any]) -> None:
        await self._write(self.table.insert().values(**values))

    async def _insert_many(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self._write(self.table.insert(), rows)

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
