"""Escrow, rentals, bounties and applications from RentAHuman JSON: one parsing function per object.

The same rules as `parse`: resource key first, then the top level; unknown fields kept in `raw`; a
missing required key is a `RentAHumanSchemaError` naming it. Nearly every key here is [G]
(`rentahuman-api.md` §5.4-§5.6, Q7), so each lives in exactly one function below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from integrations.rentahuman.errors import RentAHumanSchemaError
from integrations.rentahuman.parse import (
    Booking,
    Json,
    _decimal,
    _lenient_time,
    _resource,
    _text,
    parse_booking,
    parse_evidence,
)


@dataclass(frozen=True, slots=True)
class Escrow:
    """Money held for one hire. Statuses [V]: funding, funded, locked, delivered, completed, warranty_hold,
    released, cancelled, disputed, refunded, expired; anything else is kept as given."""

    id: str
    status: str
    amount: Decimal | None = None
    platform_fee: Decimal | None = None
    human_id: str = ""
    bounty_id: str = ""
    evidence: tuple[str, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    raw: Json = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class Checkout:
    """What `rent_human` (`POST /escrow/agent-checkout`) answers: funded at once, or a checkout URL for a person."""

    escrow_id: str
    status: str
    bounty_id: str = ""
    checkout_url: str | None = None  # shown to a person, never opened automatically (§9 rule 6)
    raw: Json = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class Rental:
    """One of our direct hires as `GET /escrow/agent-rentals` lists it."""

    escrow_id: str
    status: str
    human_id: str = ""
    title: str = ""
    bounty_id: str = ""
    amount: Decimal | None = None
    checkout_url: str | None = None
    raw: Json = field(default_factory=dict, repr=False)

    @property
    def id(self) -> str:
        return self.escrow_id

    def as_checkout(self) -> Checkout:
        return Checkout(self.escrow_id, self.status, self.bounty_id, self.checkout_url, self.raw)


@dataclass(frozen=True, slots=True)
class Bounty:
    """An open-market job. `deposit_url` is set while it waits for a Stripe deposit [V]."""

    id: str
    status: str
    title: str = ""
    price: Decimal | None = None
    currency: str = "USD"
    spots_available: int | None = None
    deposit_url: str | None = None
    created_at: datetime | None = None
    raw: Json = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class BountyPreview:
    """A `dryRun: true` answer [V]: nothing was created or charged. `funding_total` in currency units."""

    funding_total: Decimal | None
    raw: Json = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class Application:
    """A human's application to a bounty. Statuses [V]: pending, accepted, rejected, withdrawn."""

    id: str
    bounty_id: str
    human_id: str
    status: str
    human_name: str = ""
    proposed_price: Decimal | None = None
    cover_letter: str = ""
    created_at: datetime | None = None
    raw: Json = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class Acceptance:
    """An accepted application and its documented side effects [V]: a booking, an escrow, a conversation."""

    application: Application | None
    booking: Booking | None
    escrow_id: str | None
    conversation_id: str | None
    raw: Json = field(default_factory=dict, repr=False)


def parse_escrow(payload: Json) -> Escrow:
    """Keys [G] (§5.6): `id`, `status`, `amount`, `platformFee`, `humanId`, `bountyId`, `evidence`, times."""
    data = _resource(payload, "escrow")
    return Escrow(
        id=_text(data, "id", "escrow"),
        status=_text(data, "status", "escrow"),
        amount=_money(data, "amount", "escrow"),
        platform_fee=_money(data, "platformFee", "escrow"),
        human_id=str(data.get("humanId") or ""),
        bounty_id=str(data.get("bountyId") or ""),
        evidence=parse_evidence(data.get("evidence")),
        created_at=_lenient_time(data.get("createdAt")),
        updated_at=_lenient_time(data.get("updatedAt")),
        raw=dict(data),
    )


def parse_checkout(payload: Json) -> Checkout:
    """`{escrowId, bountyId, status, checkoutUrl}` at the top level [G] (§5.6); `escrow.id` also accepted."""
    escrow = payload.get("escrow")
    data: Json = payload
    if "escrowId" not in payload and isinstance(escrow, Mapping):
        data = {**payload, "escrowId": escrow.get("id"), "status": payload.get("status") or escrow.get("status")}
    return Checkout(
        escrow_id=_text(data, "escrowId", "checkout"),
        status=_text(data, "status", "checkout"),
        bounty_id=str(data.get("bountyId") or ""),
        checkout_url=_optional_text(data.get("checkoutUrl")),
        raw=dict(payload),
    )


def parse_rental(payload: Json) -> Rental:
    """A rental [G] (§5.6 says only `{rentals, summary}`): `escrowId` or `id`, `humanId`, `taskTitle` or `title`."""
    data = _resource(payload, "rental")
    escrow_id = data.get("escrowId") or data.get("id")
    if not isinstance(escrow_id, str) or not escrow_id:
        raise RentAHumanSchemaError("RentAHuman rental has no 'escrowId' (expected rental.escrowId or rental.id)")
    return Rental(
        escrow_id=escrow_id,
        status=_text(data, "status", "rental"),
        human_id=str(data.get("humanId") or ""),
        title=str(data.get("taskTitle") or data.get("title") or ""),
        bounty_id=str(data.get("bountyId") or ""),
        amount=_money(data, "price", "rental") if data.get("price") is not None else _money(data, "amount", "rental"),
        checkout_url=_optional_text(data.get("checkoutUrl")),
        raw=dict(data),
    )


def parse_bounty(payload: Json) -> Bounty:
    """`{bounty: {...}, deposit_url}`: `deposit_url` [V], the `bounty` key [C], the rest [G] (§5.4)."""
    data = _resource(payload, "bounty")
    spots = data.get("spotsAvailable")
    deposit = payload.get("deposit_url") or data.get("deposit_url") or data.get("depositUrl")
    return Bounty(
        id=_text(data, "id", "bounty"),
        status=_text(data, "status", "bounty"),
        title=str(data.get("title") or ""),
        price=_money(data, "price", "bounty"),
        currency=str(data.get("currency") or "USD"),
        spots_available=spots if isinstance(spots, int) and not isinstance(spots, bool) else None,
        deposit_url=_optional_text(deposit),
        created_at=_lenient_time(data.get("createdAt")),
        raw=dict(data),
    )


def parse_bounty_preview(payload: Json) -> BountyPreview:
    """`{dryRun: true, preview: {fundingTotal}}` [V]. An answer without `preview` was no dry run: refuse it."""
    preview = payload.get("preview")
    if payload.get("dryRun") is not True or not isinstance(preview, Mapping):
        created = _resource(payload, "bounty").get("id")
        raise RentAHumanSchemaError(
            "RentAHuman answered a dry run without a preview"
            + (f"; it may have created bounty {created!r}: check it" if created else "")
        )
    return BountyPreview(funding_total=_money(preview, "fundingTotal", "preview"), raw=dict(preview))


def parse_application(payload: Json) -> Application:
    """Keys [G] (§5.5): `id`, `bountyId`, `humanId`, `humanName`, `coverLetter`, `proposedPrice`, `status`."""
    data = _resource(payload, "application")
    return Application(
        id=_text(data, "id", "application"),
        bounty_id=str(data.get("bountyId") or ""),
        human_id=_text(data, "humanId", "application"),
        status=_text(data, "status", "application"),
        human_name=str(data.get("humanName") or ""),
        proposed_price=_money(data, "proposedPrice", "application"),
        cover_letter=str(data.get("coverLetter") or ""),
        created_at=_lenient_time(data.get("createdAt")),
        raw=dict(data),
    )


def parse_acceptance(payload: Json) -> Acceptance:
    """`{application, booking, escrowId, conversationId}` [G] (§5.5); each part may be missing."""
    application, booking = payload.get("application"), payload.get("booking")
    return Acceptance(
        application=parse_application(application) if isinstance(application, Mapping) else None,
        booking=parse_booking(booking) if isinstance(booking, Mapping) else None,
        escrow_id=_optional_text(payload.get("escrowId")),
        conversation_id=_optional_text(payload.get("conversationId")),
        raw=dict(payload),
    )


def _money(data: Json, key: str, what: str) -> Decimal | None:
    return None if data.get(key) is None else _decimal(data, key, what)


def _optional_text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
