"""Request bodies the sandbox accepts, and the error envelope it answers with (`rentahuman-api.md` §3, §10).

Bodies are validated with pydantic in strict mode, by their camelCase names; a refusal is a 400
`{"success": false, "error": "taskTitle: String should have at least 3 characters", "code": "validation"}`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

M = TypeVar("M", bound=BaseModel)
BookingStatus = Literal["pending", "confirmed", "in_progress", "completed", "cancelled"]


class SandboxError(Exception):
    """An error answer: HTTP status, envelope `code` (ours, §10) and a message for people."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def envelope(self) -> dict[str, Any]:
        return {"success": False, "error": self.message, "code": self.code}


def not_found(what: str) -> SandboxError:
    return SandboxError(404, "not_found", f"{what} not found")


def conflict(message: str, code: str = "conflict") -> SandboxError:
    return SandboxError(409, code, message)


def invalid(message: str) -> SandboxError:
    return SandboxError(400, "validation", message)


def iso_instant(value: object) -> datetime:
    """An ISO 8601 string as an aware UTC datetime (naive means UTC). Numbers are refused."""
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("must be an ISO 8601 instant, e.g. 2026-03-01T18:00:00Z") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class _Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class CreateBooking(_Body):
    """`POST /bookings`: the OAS-required fields plus the optional ones [V]; `idempotencyKey` is ours."""

    human_id: str = Field(alias="humanId", min_length=1)
    agent_id: str = Field(alias="agentId", min_length=1)
    agent_type: Literal["clawdbot", "moltbot", "openclaw", "other"] = Field(alias="agentType")
    agent_name: str | None = Field(default=None, alias="agentName")
    task_title: str = Field(alias="taskTitle", min_length=3, max_length=200)
    task_description: str = Field(alias="taskDescription", min_length=1)
    start_time: datetime = Field(alias="startTime")
    estimated_hours: float = Field(alias="estimatedHours", ge=0.5, le=168)
    task_category: str | None = Field(default=None, alias="taskCategory")
    idempotency_key: str | None = Field(default=None, alias="idempotencyKey", min_length=1, max_length=255)

    @field_validator("start_time", mode="before")
    @classmethod
    def _iso(cls, value: object) -> datetime:
        return iso_instant(value)


class UpdateBooking(_Body):
    """`PATCH /bookings/{id}`: a new `status`, a `paymentTxHash`, or both [V]."""

    status: Literal["confirmed", "in_progress", "completed", "cancelled"] | None = None
    payment_tx_hash: str | None = Field(default=None, alias="paymentTxHash", min_length=1)

    @model_validator(mode="after")
    def _something(self) -> UpdateBooking:
        if self.status is None and self.payment_tx_hash is None:
            raise ValueError("send status or paymentTxHash")
        return self


class SimReset(_Body):
    seed: int | None = None
    fixtures: Literal["default", "empty"] = "default"


class SimClock(_Body):
    now: datetime | None = None
    advance_seconds: float | None = Field(default=None, alias="advanceSeconds", ge=0)

    @field_validator("now", mode="before")
    @classmethod
    def _iso(cls, value: object) -> datetime | None:
        return None if value is None else iso_instant(value)

    @model_validator(mode="after")
    def _one(self) -> SimClock:
        if (self.now is None) == (self.advance_seconds is None):
            raise ValueError("send exactly one of now or advanceSeconds")
        return self


class SimAdvance(_Body):
    kind: Literal["booking"]  # escrow, bounty and application come with those flows
    id: str
    to: str


class SimConfig(_Body):
    idempotency: Literal["on", "off"] | None = None
    rate_limits: bool | None = Field(default=None, alias="rateLimits")


class WorkerScript(_Body):
    """How a seeded human behaves, driven by the sim clock (`POST /_sim/humans/{id}/script`)."""

    confirm: Literal["auto", "never"] = "auto"
    confirm_after_seconds: float = Field(default=0, alias="confirmAfterSeconds", ge=0)


def parse_body(model: type[M], body: object) -> M:
    """Validate a JSON body by its camelCase names; any refusal becomes a 400 `validation` error."""
    if not isinstance(body, dict):
        raise invalid("the request body must be a JSON object")
    try:
        return model.model_validate(body, by_alias=True)
    except ValidationError as exc:
        raise invalid(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    """`taskTitle: String should have at least 3 characters; startTime: Field required`."""
    parts = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"])
        parts.append(f"{where}: {error['msg']}" if where else str(error["msg"]))
    return "; ".join(parts)


def describe_request_errors(errors: Sequence[Any]) -> str:
    """FastAPI's query and path errors, in the same words: `limit: Input should be a valid integer`."""
    parts = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body", "header")]
        parts.append(f"{'.'.join(loc)}: {error.get('msg', 'invalid')}" if loc else str(error.get("msg", "invalid")))
    return "; ".join(parts) or "invalid request"
