"""The in-memory database: committed tables of domain objects, and a transaction of pending writes.

It keeps the constraints of `storage/tables.py` (primary keys, unique keys, foreign keys with their
ON DELETE rule), so the fake refuses what SQL refuses, with the same `Conflict`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from domain.errors import NotFound
from storage.contract import dangling, duplicate


@dataclass(frozen=True, slots=True)
class Reference:
    attr: str
    parent: str
    on_delete: Literal["cascade", "set null"] = "cascade"


@dataclass(frozen=True, slots=True)
class TableSpec:
    kind: str
    uniques: tuple[Callable[[Any], Iterable[Hashable]], ...] = ()
    references: tuple[Reference, ...] = ()


def _key(*attrs: str) -> Callable[[Any], Iterable[Hashable]]:
    return lambda obj: [tuple(getattr(obj, a) for a in attrs)]


TABLES: dict[str, TableSpec] = {
    "hosts": TableSpec("host"),
    "members": TableSpec(
        "member",
        uniques=(lambda m: [("identity", kind, value) for kind, value in m.identities.items()],),
        references=(Reference("host_id", "hosts"),),
    ),
    "properties": TableSpec("property", references=(Reference("host_id", "hosts"),)),
    "feeds": TableSpec("feed", references=(Reference("property_id", "properties"),)),
    "feed_fetches": TableSpec("feed fetch", references=(Reference("feed_id", "feeds"),)),
    "reservations": TableSpec(
        "reservation",
        uniques=(_key("feed_id", "uid"),),
        references=(Reference("property_id", "properties"), Reference("feed_id", "feeds")),
    ),
    "blocks": TableSpec(
        "block",
        uniques=(_key("feed_id", "uid"),),
        references=(Reference("property_id", "properties"), Reference("feed_id", "feeds")),
    ),
    "tasks": TableSpec(
        "task",
        uniques=(_key("natural_key"),),
        references=(Reference("property_id", "properties"), Reference("reservation_id", "reservations", "set null")),
    ),
    "hires": TableSpec("hire", uniques=(_key("idempotency_key"),), references=(Reference("task_id", "tasks"),)),
    "approvals": TableSpec("approval", references=(Reference("task_id", "tasks"), Reference("hire_id", "hires"))),
    "events": TableSpec("event", references=(Reference("host_id", "hosts"),)),
    "audit_log": TableSpec("audit entry", references=(Reference("host_id", "hosts"),)),
    "conversations": TableSpec(
        "conversation", uniques=(_key("host_id", "thread"),), references=(Reference("host_id", "hosts"),)
    ),
}

_DELETED = None  # a pending delete


class InMemoryStore:
    """The committed state, shared by every unit of work of one factory."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, Any]] = {name: {} for name in TABLES}
        self.commits = 0


class Transaction:
    """Pending writes over the store. Reads see the committed rows with these writes on top."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store
        self._pending: dict[str, dict[str, Any]] = {name: {} for name in TABLES}

    def rows(self, table: str) -> list[Any]:
        merged = self._store.tables[table] | self._pending[table]
        return [row for row in merged.values() if row is not _DELETED]

    def get(self, table: str, ident: str) -> Any | None:
        pending = self._pending[table]
        return pending[ident] if ident in pending else self._store.tables[table].get(ident)

    def insert(self, table: str, obj: Any) -> None:
        if self.get(table, obj.id) is not None:
            raise duplicate(TABLES[table].kind)
        self._check(table, obj)
        self._pending[table][obj.id] = obj

    def update(self, table: str, obj: Any) -> None:
        if self.get(table, obj.id) is None:
            raise NotFound(TABLES[table].kind, obj.id)
        self._check(table, obj)
        self._pending[table][obj.id] = obj

    def delete(self, table: str, ident: str) -> None:
        """Delete a row (a no-op when absent) and apply the ON DELETE rules of the rows that point at it."""
        if self.get(table, ident) is None:
            return
        self._pending[table][ident] = _DELETED
        for child, spec in TABLES.items():
            for ref in spec.references:
                if ref.parent != table:
                    continue
                for row in [r for r in self.rows(child) if getattr(r, ref.attr) == ident]:
                    if ref.on_delete == "cascade":
                        self.delete(child, row.id)
                    else:
                        self._pending[child][row.id] = dataclasses.replace(row, **{ref.attr: None})

    def commit(self) -> None:
        """Apply the pending writes, re-checked against what other units of work committed meanwhile."""
        for table, pending in self._pending.items():
            for row in pending.values():
                if row is not _DELETED:
                    self._check(table, row)
        for table, pending in self._pending.items():
            committed = self._store.tables[table]
            for ident, row in pending.items():
                if row is _DELETED:
                    committed.pop(ident, None)
                else:
                    committed[ident] = row
        self.rollback()

    def rollback(self) -> None:
        for pending in self._pending.values():
            pending.clear()

    def _check(self, table: str, obj: Any) -> None:
        spec = TABLES[table]
        for unique in spec.uniques:
            keys = set(unique(obj))
            if any(not keys.isdisjoint(unique(row)) for row in self.rows(table) if row.id != obj.id):
                raise duplicate(spec.kind)
        for ref in spec.references:
            parent_id = getattr(obj, ref.attr)
            if parent_id is not None and self.get(ref.parent, parent_id) is None:
                raise dangling(spec.kind)
