"""`/api` request bodies the sandbox accepts, and the error envelope it answers with (`rentahuman-api.md` §3-§5, §10).

The `/_sim` bodies live in `sim_models`. Bodies are validated with pydantic in strict mode, by their
camelCase names; a refusal is a 400
`{"success": false, "error": "taskTitle: String should have at least 3 characters", "code": "validation"}`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

M = TypeVar("M", bound=BaseModel)
BookingStatus = Literal["pending", "confirmed", "in_progress", "completed", "cancelled"]
AgentType = Literal["clawdbot", "moltbot", "openclaw", "other"]
EvidenceType = Literal["photo", "video", "link", "text"]
MessageType = Literal["text", "task_request", "payment_offer"]
Category = Literal[
    "physical-tasks", "meetings", "errands", "research", "documentation", "food-tasting", "pet-care",
    "home-services", "transportation", "other",
]  # fmt: skip
EVENT_TYPES = (
    "booking.created", "booking.status_changed", "application.received", "application.withdrawn",
    "message.received", "escrow.status_changed", "bounty.status_changed",
)  # fmt: skip


def idempotency_key_field() -> Any:
    """The optional body `idempotencyKey` every create accepts (§3, §10)."""
    return Field(default=None, alias="idempotencyKey", min_length=1, max_length=255)


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
    agent_type: AgentType = Field(alias="agentType")
    agent_name: str | None = Field(default=None, alias="agentName")
    task_title: str = Field(alias="taskTitle", min_length=3, max_length=200)
    task_description: str = Field(alias="taskDescription", min_length=1)
    start_time: datetime = Field(alias="startTime")
    estimated_hours: float = Field(alias="estimatedHours", ge=0.5, le=168)
    task_category: str | None = Field(default=None, alias="taskCategory")
    idempotency_key: str | None = idempotency_key_field()

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


class RentHuman(_Body):
    """`POST /escrow/agent-checkout` (MCP `rent_human`): pay one chosen human through escrow [V] (MCP14)."""

    human_id: str = Field(alias="humanId", min_length=1)
    task_title: str = Field(alias="taskTitle", min_length=5, max_length=200)
    task_description: str = Field(alias="taskDescription", min_length=10)
    price: float = Field(ge=1, le=10_000)
    estimated_hours: float = Field(default=1, alias="estimatedHours", ge=0.5, le=168)
    idempotency_key: str | None = idempotency_key_field()


class PersonalBounty(RentHuman):
    """`POST /escrow/personal-bounty`: `rent_human` plus criteria, evidence types and a deadline [C]."""

    completion_criteria: str | None = Field(default=None, alias="completionCriteria")
    evidence_types: list[EvidenceType] = Field(default_factory=list, alias="evidenceTypes")
    deadline: datetime | None = None

    @field_validator("deadline", mode="before")
    @classmethod
    def _iso(cls, value: object) -> datetime | None:
        return None if value is None else iso_instant(value)


class CreateBounty(_Body):
    """`POST /bounties` with the §5.4 limits; `dryRun` previews, `idempotencyKey` dedupes [V]."""

    title: str = Field(min_length=5, max_length=200)
    description: str = Field(min_length=20, max_length=5000)
    price: float = Field(ge=1, le=1_000_000)
    price_type: Literal["fixed", "hourly"] = Field(default="fixed", alias="priceType")
    currency: Literal["USD", "EUR", "ETH", "BTC", "USDC"] = "USD"
    estimated_hours: float = Field(default=1, alias="estimatedHours", ge=0.5, le=168)
    category: Category = "other"
    skills_needed: list[str] = Field(default_factory=list, alias="skillsNeeded")
    completion_criteria: str | None = Field(default=None, alias="completionCriteria")
    evidence_types: list[EvidenceType] = Field(default_factory=list, alias="evidenceTypes")
    location: str | dict[str, Any] | None = None
    deadline: datetime | None = None
    spots_available: int = Field(default=1, alias="spotsAvailable", ge=1, le=500)
    agent_type: AgentType | None = Field(default=None, alias="agentType")
    agent_id: str | None = Field(default=None, alias="agentId")
    requirements: str | list[str] | None = None
    dry_run: bool = Field(default=False, alias="dryRun")
    idempotency_key: str | None = idempotency_key_field()

    @field_validator("deadline", mode="before")
    @classmethod
    def _iso(cls, value: object) -> datetime | None:
        return None if value is None else iso_instant(value)


class UpdateBounty(_Body):
    """`PATCH /bounties/{id}`: a `status` (open, in_review, cancelled) or updatable fields [V]."""

    status: Literal["open", "in_review", "cancelled"] | None = None
    title: str | None = Field(default=None, min_length=5, max_length=200)
    description: str | None = Field(default=None, min_length=20, max_length=5000)
    price: float | None = Field(default=None, ge=1, le=1_000_000)
    deadline: datetime | None = None
    location: str | dict[str, Any] | None = None
    skills_needed: list[str] | None = Field(default=None, alias="skillsNeeded")
    completion_criteria: str | None = Field(default=None, alias="completionCriteria")

    @field_validator("deadline", mode="before")
    @classmethod
    def _iso(cls, value: object) -> datetime | None:
        return None if value is None else iso_instant(value)

    @model_validator(mode="after")
    def _something(self) -> UpdateBounty:
        if not self.model_fields_set:
            raise ValueError("send status or a field to update")
        return self


class ApplicationAction(_Body):
    """`PATCH`/`POST /bounties/{id}/applications/{appId}` [V] (CLI; LLMS says POST)."""

    action: Literal["accept", "reject"]
    response: str | None = None
    idempotency_key: str | None = idempotency_key_field()


class StartConversation(_Body):
    """`POST /conversations` (alias `/conversations/start`) [V] (CLI)."""

    human_id: str = Field(alias="humanId", min_length=1)
    subject: str = Field(min_length=1, max_length=200)
    message: str = Field(min_length=1, max_length=10_000)
    agent_type: AgentType = Field(alias="agentType")
    agent_name: str | None = Field(default=None, alias="agentName")
    agent_id: str | None = Field(default=None, alias="agentId")
    message_type: MessageType = Field(default="text", alias="messageType")
    metadata: dict[str, Any] | None = None
    idempotency_key: str | None = idempotency_key_field()


class SendMessage(_Body):
    """`POST /conversations/{id}/messages` [V] (CLI); its `senderType`/`senderId`/`senderName` are ignored."""

    content: str = Field(min_length=1, max_length=10_000)
    message_type: MessageType = Field(default="text", alias="messageType")
    metadata: dict[str, Any] | None = None
    idempotency_key: str | None = idempotency_key_field()


def _webhook_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError("must be an http(s) URL")
    return value


class CreateWebhookEndpoint(_Body):
    """`POST /webhooks/endpoints` `{url, events}` [G] (3P catalog)."""

    url: str
    events: list[str] = Field(min_length=1)
    idempotency_key: str | None = idempotency_key_field()

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _webhook_url(value)

    @field_validator("events")
    @classmethod
    def _known(cls, events: list[str]) -> list[str]:
        unknown = [e for e in events if e not in EVENT_TYPES and e != "*"]
        if unknown:
            raise ValueError(f"unknown event type(s) {', '.join(unknown)}; known: {', '.join(EVENT_TYPES)}")
        return events


class KeyWebhook(_Body):
    """`PATCH /keys/{id}` `{webhookUrl}` [G] (AE): every event to one URL; null removes it."""

    webhook_url: str | None = Field(alias="webhookUrl")

    @field_validator("webhook_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None else _webhook_url(value)


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
