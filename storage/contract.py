"""Rules that the SQL repositories and the in-memory fake share, so the contract tests hold for both.

- A write that would duplicate an id or a unique key (a reservation's `(feed_id, uid)`, a task's
  `natural_key`, a hire's `idempotency_key`, a member identity), or that points at a row that
  does not exist, raises `Conflict` and leaves the unit of work as it was before the call.
- `update` of an id that is not stored raises `NotFound`; `delete` of one is a no-op.
- Free-form dictionaries (event payloads, audit arguments) are stored as JSON, and what comes back
  is what JSON gives back: tuples become lists; Decimals, dates, times and enums become strings.
  Any other value raises `InvalidInput`.
- A write to a row another unit of work changed and committed since this one began raises
  `Conflict` (nothing of this unit of work is saved) instead of undoing the other's change.
- Datetimes must be timezone-aware (`ValueError` otherwise) and come back in UTC.
"""

from __future__ import annotations

import enum
import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from domain.errors import Conflict, InvalidInput


def duplicate(kind: str) -> Conflict:
    return Conflict(f"A {kind} with the same identity is already stored.")


def concurrent(kind: str) -> Conflict:
    return Conflict(f"This {kind} was changed by someone else at the same time; nothing was saved, try again.")


def dangling(kind: str) -> Conflict:
    return Conflict(f"This {kind} refers to something that is not stored.")


def json_copy(value: dict[str, Any], what: str) -> dict[str, Any]:
    """`value` as it will come back from a JSON column; `InvalidInput` when it is not JSON."""
    try:
        copied: dict[str, Any] = json.loads(json.dumps(value, allow_nan=False, default=_plain))
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"The {what} must be plain JSON data: {exc}") from exc
    return copied


def _plain(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"{type(value).__name__} is not JSON data")
