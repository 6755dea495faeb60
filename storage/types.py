"""Column types that keep Turnover's values exact on every backend.

- `UTCDateTime`: instants are stored in UTC and always come back timezone-aware (UTC), also from
  SQLite, whose driver drops the offset. Writing a naive datetime is a bug and raises `ValueError`.
- `DecimalText`: money as its exact decimal text. SQLite has no decimal type (SQLAlchemy warns
  when `Numeric` is used there); text round-trips `Decimal("90.00")` digit for digit on both
  backends. Never compare or sum these columns in SQL: do it in Python.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Dialect, Text
from sqlalchemy.types import TypeDecorator


def as_utc(value: datetime) -> datetime:
    """The same instant in UTC; a naive datetime is refused (it has no instant)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"A naive datetime cannot be stored: {value.isoformat()} has no timezone.")
    return value.astimezone(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """`DateTime(timezone=True)` that writes UTC and reads back aware UTC datetimes."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = as_utc(value)
        # SQLite keeps the text without an offset; PostgreSQL takes the aware value as is.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class DecimalText(TypeDecorator[Decimal]):
    """A `Decimal` stored as its exact text (`TEXT` on every backend)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            raise TypeError(f"DecimalText stores Decimal values, not {type(value).__name__}.")
        return str(Decimal(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)
