"""The sandbox's marketplace objects and their state machines (`rentahuman-api.md` §5, §6).

Each object knows its JSON shape (`to_json`, camelCase) and the API key that owns it (`owner_key`,
never shown): webhooks go only to endpoints of that key. The move tables are the §6 graphs; an
illegal move is a 409 `conflict` (`SandboxState.transition`). Moves the platform makes on its own
(a bounty reopening when a worker withdraws) bypass the tables on purpose.

```mermaid
stateDiagram-v2
    state Escrow {
        funding --> funded: wallet or checkout
        funding --> expired: checkout not paid in 24 h
        funded --> delivered: the human marks it (evidence)
        funded --> locked
        locked --> delivered
        delivered --> completed: POST complete
        delivered --> warranty_hold
        delivered --> released: 2 days of silence
        delivered --> disputed
        completed --> released: POST release
        warranty_hold --> released
        disputed --> released
        disputed --> refunded
        funding --> cancelled
        funded --> cancelled
        locked --> cancelled
    }
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar

BOOKING_MOVES: dict[str, frozenset[str]] = {
    "pending": frozenset({"confirmed", "cancelled"}),
    "confirmed": frozenset({"in_progress", "cancelled"}),
    "in_progress": frozenset({"completed", "cancelled"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
}
ESCROW_MOVES: dict[str, frozenset[str]] = {
    "funding": frozenset({"funded", "cancelled", "expired"}),
    "funded": frozenset({"delivered", "locked", "cancelled"}),
    "locked": frozenset({"delivered", "cancelled"}),
    "delivered": frozenset({"completed", "warranty_hold", "released", "disputed"}),
    "completed": frozenset({"released"}),
    "warranty_hold": frozenset({"released"}),
    "disputed": frozenset({"released", "refunded"}),
    "released": frozenset(),
    "cancelled": frozenset(),
    "refunded": frozenset(),
    "expired": frozenset(),
}
BOUNTY_MOVES: dict[str, frozenset[str]] = {
    "pending_deposit": frozenset({"open", "cancelled"}),
    "open": frozenset({"in_review", "partially_filled", "assigned", "cancelled"}),
    "in_review": frozenset({"open", "partially_filled", "assigned", "cancelled"}),
    "partially_filled": frozenset({"assigned", "cancelled"}),
    "assigned": frozenset({"completed", "cancelled"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
}
APPLICATION_MOVES: dict[str, frozenset[str]] = {
    "pending": frozenset({"accepted", "rejected", "withdrawn"}),
    "accepted": frozenset({"withdrawn"}),
    "rejected": frozenset(),
    "withdrawn": frozenset(),
}
MOVES = {"booking": BOOKING_MOVES, "escrow": ESCROW_MOVES, "bounty": BOUNTY_MOVES, "application": APPLICATION_MOVES}
ESCROW_ACTIVE = frozenset({"funding", "funded", "locked", "delivered", "completed", "warranty_hold", "disputed"})
EVIDENCE_HOST = "https://sandbox.rentahuman.local"


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else iso(moment)


def json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def photo_evidence(kind: str, object_id: str, count: int = 3) -> list[dict[str, str]]:
    """What a sandbox worker uploads on delivery (ours): numbered photo URLs under the object's id."""
    return [{"type": "photo", "url": f"{EVIDENCE_HOST}/evidence/{object_id}/{n}.jpg"} for n in range(1, count + 1)]


@dataclass(slots=True, kw_only=True)
class WorkerPlan:
    """What one hire's worker will do, drawn once from the seeded RNG when the hire is created."""

    confirm: str = "auto"
    confirm_after_seconds: float = 0
    start: str = "on_time"
    deliver_after_seconds: float | None = None
    cancel_at: datetime | None = None
    no_show: bool = False
    decline: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "confirm": self.confirm, "confirmAfterSeconds": self.confirm_after_seconds, "start": self.start,
            "deliverAfterSeconds": self.deliver_after_seconds, "cancelAt": iso_or_none(self.cancel_at),
            "noShow": self.no_show, "decline": self.decline,
        }  # fmt: skip


@dataclass(slots=True, kw_only=True, eq=False)
class Tracked:
    """An object with a status, timestamps, an owner key and a worker-timer generation."""

    kind: ClassVar[str] = ""
    id: str
    owner_key: str
    status: str
    created_at: datetime
    updated_at: datetime
    timer_gen: int = 0  # bumped on every change; older timers for this object are stale


@dataclass(slots=True, kw_only=True, eq=False)
class Booking(Tracked):
    kind: ClassVar[str] = "booking"
    human_id: str
    agent_id: str
    agent_type: str
    agent_name: str | None
    task_title: str
    task_description: str
    task_category: str | None
    start_time: datetime
    estimated_hours: float
    total_amount: Decimal
    currency: str
    payment_status: str = "pending"
    payment_tx_hash: str | None = None
    evidence: list[dict[str, str]] = field(default_factory=list)
    completed_at: datetime | None = None
    links: dict[str, str] = field(default_factory=dict)  # bountyId, applicationId, escrowId after an accept
    plan: WorkerPlan = field(default_factory=WorkerPlan)

    @property
    def end_time(self) -> datetime:
        return self.start_time + timedelta(hours=self.estimated_hours)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "humanId": self.human_id, "agentId": self.agent_id, "agentName": self.agent_name,
            "agentType": self.agent_type, "taskTitle": self.task_title, "taskDescription": self.task_description,
            "taskCategory": self.task_category, "startTime": iso(self.start_time), "endTime": iso(self.end_time),
            "estimatedHours": self.estimated_hours, "totalAmount": json_number(self.total_amount),
            "currency": self.currency, "paymentStatus": self.payment_status, "paymentTxHash": self.payment_tx_hash,
            "status": self.status, "evidence": list(self.evidence), "completedAt": iso_or_none(self.completed_at),
            "createdAt": iso(self.created_at), "updatedAt": iso(self.updated_at),
        } | self.links  # fmt: skip


@dataclass(slots=True, kw_only=True, eq=False)
class Escrow(Tracked):
    kind: ClassVar[str] = "escrow"
    origin: str  # rent_human, personal_bounty or application
    human_id: str
    bounty_id: str
    task_title: str
    amount: Decimal
    platform_fee: Decimal = Decimal(0)  # unknown on the real platform, so none here
    currency: str = "USD"
    estimated_hours: float = 1
    booking_id: str | None = None
    checkout_url: str | None = None
    wallet_cents: int = 0  # what came from the wallet, refunded there on cancel
    deadline: datetime | None = None
    evidence: list[dict[str, str]] = field(default_factory=list)
    audit_log: list[dict[str, Any]] = field(default_factory=list)
    funded_at: datetime | None = None
    delivered_at: datetime | None = None
    plan: WorkerPlan | None = None  # None when a booking drives the work (an accepted application)

    def to_json(self) -> dict[str, Any]:
        answer = {
            "id": self.id, "status": self.status, "amount": json_number(self.amount),
            "platformFee": json_number(self.platform_fee), "currency": self.currency, "humanId": self.human_id,
            "bountyId": self.bounty_id, "taskTitle": self.task_title, "estimatedHours": self.estimated_hours,
            "checkoutUrl": self.checkout_url, "evidence": list(self.evidence), "auditLog": list(self.audit_log),
            "deadline": iso_or_none(self.deadline), "fundedAt": iso_or_none(self.funded_at),
            "deliveredAt": iso_or_none(self.delivered_at), "createdAt": iso(self.created_at),
            "updatedAt": iso(self.updated_at),
        }  # fmt: skip
        return answer | ({"bookingId": self.booking_id} if self.booking_id else {})


@dataclass(slots=True, kw_only=True, eq=False)
class Bounty(Tracked):
    kind: ClassVar[str] = "bounty"
    agent_id: str | None
    title: str
    description: str
    price: Decimal
    price_type: str = "fixed"
    currency: str = "USD"
    estimated_hours: float = 1
    category: str = "other"
    skills_needed: list[str] = field(default_factory=list)
    completion_criteria: str | None = None
    evidence_types: list[str] = field(default_factory=list)
    location: Any = None
    deadline: datetime | None = None
    spots_available: int = 1
    spots_filled: int = 0
    deposit_url: str | None = None
    wallet_cents: int = 0
    assigned_human_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # requirements, requiredLinks, ... as sent

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "description": self.description, "price": json_number(self.price),
            "priceType": self.price_type, "currency": self.currency, "estimatedHours": self.estimated_hours,
            "category": self.category, "skillsNeeded": list(self.skills_needed),
            "completionCriteria": self.completion_criteria, "evidenceTypes": list(self.evidence_types),
            "location": self.location, "deadline": iso_or_none(self.deadline), "spotsAvailable": self.spots_available,
            "spotsFilled": self.spots_filled, "status": self.status, "assignedHumanId": self.assigned_human_id,
            "depositUrl": self.deposit_url, "createdAt": iso(self.created_at), "updatedAt": iso(self.updated_at),
        } | self.extra  # fmt: skip


@dataclass(slots=True, kw_only=True, eq=False)
class Application(Tracked):
    kind: ClassVar[str] = "application"
    bounty_id: str
    human_id: str
    human_name: str
    cover_letter: str | None
    proposed_price: Decimal | None
    availability: Any = None
    response: str | None = None
    links: dict[str, str] = field(default_factory=dict)  # bookingId, escrowId, conversationId after an accept

    def to_json(self) -> dict[str, Any]:
        price = None if self.proposed_price is None else json_number(self.proposed_price)
        return {
            "id": self.id, "bountyId": self.bounty_id, "humanId": self.human_id, "humanName": self.human_name,
            "coverLetter": self.cover_letter, "proposedPrice": price, "availability": self.availability,
            "status": self.status, "response": self.response, "createdAt": iso(self.created_at),
            "updatedAt": iso(self.updated_at),
        } | self.links  # fmt: skip


@dataclass(slots=True, kw_only=True)
class Message:
    id: str
    conversation_id: str
    sender_type: str  # agent, human or system
    content: str
    message_type: str
    metadata: dict[str, Any] | None
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "conversationId": self.conversation_id, "senderType": self.sender_type,
            "content": self.content, "messageType": self.message_type, "metadata": self.metadata,
            "createdAt": iso(self.created_at),
        }  # fmt: skip


@dataclass(slots=True, kw_only=True, eq=False)
class Conversation(Tracked):
    kind: ClassVar[str] = "conversation"
    human_id: str
    agent_id: str | None
    agent_name: str | None
    agent_type: str
    subject: str
    messages: list[Message] = field(default_factory=list)

    def to_json(self, *, with_messages: bool = True) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "id": self.id, "humanId": self.human_id, "subject": self.subject, "status": self.status,
            "agentType": self.agent_type, "agentName": self.agent_name, "messageCount": len(self.messages),
            "createdAt": iso(self.created_at), "updatedAt": iso(self.updated_at),
        }  # fmt: skip
        if self.agent_id is not None:
            answer["agentId"] = self.agent_id
        if with_messages:
            answer["messages"] = [m.to_json() for m in self.messages]
        return answer
