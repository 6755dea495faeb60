"""The column types on their own: UTC in and out, exact decimals, refusals of ambiguous values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import make_url

from storage.types import DecimalText, UTCDateTime

SQLITE = make_url("sqlite+aiosqlite://").get_dialect()()
POSTGRES = make_url("postgresql+asyncpg://").get_dialect()()


def test_an_aware_datetime_is_written_in_utc() -> None:
    moment = datetime(2026, 7, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    assert UTCDateTime().process_bind_param(moment, POSTGRES) == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    assert UTCDateTime().process_bind_param(moment, SQLITE) == datetime(2026, 7, 1, 10, 0)


def test_a_naive_datetime_cannot_be_written() -> None:
    with pytest.raises(ValueError):
        UTCDateTime().process_bind_param(datetime(2026, 7, 1, 12, 0), SQLITE)


def test_a_naive_datetime_read_from_sqlite_is_utc() -> None:
    read = UTCDateTime().process_result_value(datetime(2026, 7, 1, 10, 0), SQLITE)
    assert read == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    assert read is not None and read.tzinfo is UTC


def test_a_decimal_keeps_its_digits() -> None:
    text = DecimalText().process_bind_param(Decimal("90.10"), SQLITE)
    assert text == "90.10"
    assert str(DecimalText().process_result_value(text, SQLITE)) == "90.10"


def test_a_float_is_not_taken_for_a_decimal() -> None:
    with pytest.raises(TypeError):
        DecimalText().process_bind_param(90.1, SQLITE)
