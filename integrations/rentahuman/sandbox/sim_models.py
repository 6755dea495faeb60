"""`/_sim` request bodies (`rentahuman-api.md` §10), validated like the `/api` ones (`models.parse_body`).

The shapes where §10 left room are ours: worker probabilities (`noShow`, `cancel`, `decline`), config
`limits`/`windowSeconds`/`workers`, `cancelAt` as seconds after the hire was created or an ISO instant,
and fault `times: null` meaning "every matching request".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from integrations.rentahuman.sandbox.models import EvidenceType, _Body, iso_instant

FaultKind = Literal[
    "latency", "error", "rate_limit", "timeout", "drop_after_commit", "error_after_commit", "webhook_fail"
]  # fmt: skip
FailReason = Literal["no_show", "human_cancelled", "platform_cancelled", "dispute"]


class SimReset(_Body):
    seed: int | None = None
    fixtures: Literal["default", "empty"] = "default"


class SimSeed(_Body):
    """Extra humans and reviews (missing fields get defaults), and the wallet balance in cents."""

    humans: list[dict[str, Any]] = Field(default_factory=list)
    reviews: list[dict[str, Any]] = Field(default_factory=list)
    wallet_balance_cents: int | None = Field(default=None, alias="walletBalanceCents", ge=0)


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
    kind: Literal["booking", "escrow", "bounty", "application"]
    id: str
    to: str


class SimApply(_Body):
    bounty_id: str = Field(alias="bountyId")
    human_id: str = Field(alias="humanId")
    proposed_price: float | None = Field(default=None, alias="proposedPrice", ge=1)
    cover_letter: str | None = Field(default=None, alias="coverLetter")
    availability: Any = None


class Evidence(_Body):
    type: EvidenceType
    url: str | None = None
    text: str | None = None

    @model_validator(mode="after")
    def _content(self) -> Evidence:
        if self.url is None and self.text is None:
            raise ValueError("evidence needs a url or a text")
        return self

    def to_json(self) -> dict[str, str]:
        return (
            {"type": self.type} | ({"url": self.url} if self.url else {}) | ({"text": self.text} if self.text else {})
        )


class SimDeliver(_Body):
    """The human delivers: an escrow goes `delivered`, a booking `completed` (default evidence: photos)."""

    escrow_id: str | None = Field(default=None, alias="escrowId")
    booking_id: str | None = Field(default=None, alias="bookingId")
    evidence: list[Evidence] | None = None

    @model_validator(mode="after")
    def _one(self) -> SimDeliver:
        if (self.escrow_id is None) == (self.booking_id is None):
            raise ValueError("send exactly one of escrowId or bookingId")
        return self


class SimFail(_Body):
    kind: Literal["booking", "escrow", "application"]
    id: str
    reason: FailReason


class SimReply(_Body):
    """Ours: the human answers in a conversation (`message.received`)."""

    content: str = Field(min_length=1)


class WorkerProbabilities(_Body):
    no_show: float | None = Field(default=None, alias="noShow", ge=0, le=1)
    cancel: float | None = Field(default=None, ge=0, le=1)
    decline: float | None = Field(default=None, ge=0, le=1)


class WorkerScript(WorkerProbabilities):
    """How a seeded human behaves, driven by the sim clock (`POST /_sim/humans/{id}/script`).

    `confirmAfterSeconds` counts from the booking's creation; `deliverAfterSeconds` from the start
    (bookings) or funding (escrows), default `estimatedHours`; `cancelAt` is seconds after creation
    or an ISO instant. Probabilities left out fall back to `/_sim/config` `workers`.
    """

    confirm: Literal["auto", "never"] = "auto"
    confirm_after_seconds: float = Field(default=0, alias="confirmAfterSeconds", ge=0)
    start: Literal["on_time", "never"] = "on_time"
    deliver_after_seconds: float | None = Field(default=None, alias="deliverAfterSeconds", ge=0)
    cancel_at: float | datetime | None = Field(default=None, alias="cancelAt")

    @field_validator("cancel_at", mode="before")
    @classmethod
    def _when(cls, value: object) -> float | datetime | None:
        if value is None or isinstance(value, datetime):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            if value < 0:
                raise ValueError("must be >= 0 seconds")
            return float(value)
        return iso_instant(value)

    def to_json(self) -> dict[str, Any]:
        answer = self.model_dump(by_alias=True)
        if isinstance(self.cancel_at, datetime):
            answer["cancelAt"] = self.cancel_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        return answer


class RateLimitSizes(_Body):
    public: int | None = Field(default=None, ge=1)
    read: int | None = Field(default=None, ge=1)
    write: int | None = Field(default=None, ge=1)


class SimConfig(_Body):
    idempotency: Literal["on", "off"] | None = None
    rate_limits: bool | None = Field(default=None, alias="rateLimits")
    webhook_retries: int | None = Field(default=None, alias="webhookRetries", ge=0, le=10)
    limits: RateLimitSizes | None = None
    window_seconds: float | None = Field(default=None, alias="windowSeconds", ge=1, le=86_400)
    workers: WorkerProbabilities | None = None


class FaultMatch(_Body):
    method: str | None = None
    path: str | None = None  # exact, or a prefix ending in "*"


class FaultRule(_Body):
    """A §10 fault rule. `times` null means every matching request; `probability` uses the seeded RNG."""

    match: FaultMatch = Field(default_factory=FaultMatch)
    kind: FaultKind
    times: int | None = Field(default=1, ge=1)
    probability: float = Field(default=1.0, ge=0, le=1)
    params: dict[str, Any] = Field(default_factory=dict)
