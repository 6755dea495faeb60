"""Direct hires (`rent_human`), escrow, bounties and applications: the money-moving half of the client.

Mixed into `RentAHumanClient`; the retry rules are the `transport` table:

- `rent_human` (`POST /escrow/agent-checkout`): a create with its key; reconciled through
  `GET /escrow/agent-rentals`, matching human and title.
- `create_bounty` (`POST /bounties`): a create with its key; reconciled through
  `GET /bounties?mine=true`, matching the title. A dry run sends no key and is retried like a read
  (it changes nothing).
- `get_escrow`, `list_rentals`, `list_bounties`, `get_bounty`, `list_applications`: reads.
- `cancel_escrow`: retried like a read; finding it cancelled after a 409 counts as done.
- `complete_escrow`, `release_escrow`, `accept_application`, `reject_application`: sent once.

Spending calls (`rent_human`, a real `create_bounty`, `accept_application`, `release_escrow`) must
only be made after the host's approval policy said yes (§9); this module does not decide that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal, overload

from integrations.rentahuman.errors import RentAHumanConflict
from integrations.rentahuman.parse import items_of
from integrations.rentahuman.parse_hiring import (
    Acceptance,
    Application,
    Bounty,
    BountyPreview,
    Checkout,
    Escrow,
    Rental,
    parse_acceptance,
    parse_application,
    parse_bounty,
    parse_bounty_preview,
    parse_checkout,
    parse_escrow,
    parse_rental,
)
from integrations.rentahuman.transport import Transport


@dataclass(frozen=True, slots=True)
class BountyDraft:
    """A bounty to post (§5.4). Its text is public: no door codes, no exact address (§9 rule 1)."""

    title: str  # 5-200 chars
    description: str  # 20-5000 chars
    price: Decimal  # per person, in currency units
    estimated_hours: float
    category: str = "home-services"
    skills: tuple[str, ...] = ()
    location: str = ""  # city or ZIP only
    deadline: datetime | None = None
    completion_criteria: str = ""
    evidence_types: tuple[str, ...] = ("photo",)
    spots_available: int = 1
    price_type: str = "fixed"
    currency: str = "USD"


class HiringCalls:
    _t: Transport
    _agent_id: str
    _agent_name: str
    _agent_type: str

    # --- direct hire and escrow ----------------------------------------------------------------

    async def rent_human(
        self,
        *,
        human_id: str,
        title: str,
        description: str,
        price: Decimal,
        idempotency_key: str,
        estimated_hours: float = 1.0,
    ) -> Checkout:
        """`POST /escrow/agent-checkout` (MCP `rent_human`): hire one human at a fixed price, into escrow.

        Funded from the wallet at once, or else `checkout_url` is for a person to pay (§9 rule 6).
        Safe to call again with the same key: a lost answer is found among our rentals first.
        """
        body = {
            "humanId": human_id,
            "taskTitle": title,
            "taskDescription": description,
            "price": _json_money(price),
            "estimatedHours": estimated_hours,
            "agentId": self._agent_id,
            "agentType": self._agent_type,
            "agentName": self._agent_name,
        }

        async def find_again() -> Checkout | None:
            found = await self.find_rental(human_id=human_id, title=title)
            return found.as_checkout() if found else None

        return await self._t.create(
            "/escrow/agent-checkout", body, key=idempotency_key, parse=parse_checkout, reconcile=find_again
        )

    async def list_rentals(self) -> list[Rental]:
        """`GET /escrow/agent-rentals` (`get_my_rentals`): our direct hires. The summary stays in the answer."""
        payload = await self._t.read("GET", "/escrow/agent-rentals")
        return [parse_rental(item) for item in items_of(payload, "rentals")]

    async def find_rental(self, *, human_id: str, title: str) -> Rental | None:
        """Our rental of `human_id` titled `title`, live ones first; None if there is none."""
        matches = [r for r in await self.list_rentals() if r.human_id == human_id and r.title == title]
        matches.sort(key=lambda r: r.status in ("cancelled", "refunded", "expired"))
        return matches[0] if matches else None

    async def get_escrow(self, escrow_id: str) -> Escrow:
        return parse_escrow(await self._t.read("GET", f"/escrow/{escrow_id}"))

    async def complete_escrow(self, escrow_id: str) -> Escrow:
        """`POST /escrow/{id}/complete` (`confirm_delivery`): `delivered` → `completed`. Sent once; policy first."""
        return await self._escrow_answer(
            escrow_id, await self._t.write_once("POST", f"/escrow/{escrow_id}/complete", json={})
        )

    async def release_escrow(self, escrow_id: str) -> Escrow:
        """`POST /escrow/{id}/release` (`release_payment`) on a `completed` escrow. Pays the human; sent once."""
        payload = await self._t.write_once("POST", f"/escrow/{escrow_id}/release", json={"acknowledgeRelease": True})
        return await self._escrow_answer(escrow_id, payload)

    async def cancel_escrow(self, escrow_id: str) -> Escrow:
        """`POST /escrow/{id}/cancel` from `funding`, `funded` or `locked` (a refund); already cancelled is done."""
        try:
            payload = await self._t.read("POST", f"/escrow/{escrow_id}/cancel", json={})
        except RentAHumanConflict:
            current = await self.get_escrow(escrow_id)
            if current.status in ("cancelled", "refunded"):
                return current
            raise
        return await self._escrow_answer(escrow_id, payload)

    async def _escrow_answer(self, escrow_id: str, payload: dict[str, Any]) -> Escrow:
        if isinstance(payload.get("escrow"), dict) or ("id" in payload and "status" in payload):
            return parse_escrow(payload)
        return await self.get_escrow(escrow_id)  # the answer's body is [G]: read the escrow back

    # --- bounties and applications -------------------------------------------------------------

    @overload
    async def create_bounty(
        self, draft: BountyDraft, *, dry_run: Literal[True], idempotency_key: str
    ) -> BountyPreview: ...
    @overload
    async def create_bounty(self, draft: BountyDraft, *, dry_run: Literal[False], idempotency_key: str) -> Bounty: ...
    @overload
    async def create_bounty(
        self, draft: BountyDraft, *, dry_run: bool, idempotency_key: str
    ) -> Bounty | BountyPreview: ...

    async def create_bounty(self, draft: BountyDraft, *, dry_run: bool, idempotency_key: str) -> Bounty | BountyPreview:
        """`POST /bounties`. A dry run returns a `BountyPreview` and spends nothing [V]; else the `Bounty`.

        The dry run does not send `idempotency_key`, so it can never be replayed in place of the real
        create that follows under the same key. A real create is safe to call again with its key.
        """
        if dry_run:
            payload = await self._t.read("POST", "/bounties", json=self.bounty_body(draft, dry_run=True))
            return parse_bounty_preview(payload)

        async def find_again() -> Bounty | None:
            return await self.find_bounty(draft.title)

        return await self._t.create(
            "/bounties", self.bounty_body(draft), key=idempotency_key, parse=parse_bounty, reconcile=find_again
        )

    def bounty_body(self, draft: BountyDraft, *, dry_run: bool = False) -> dict[str, Any]:
        """The `POST /bounties` body (§5.4), with `estimatedHours` and `agentType` always sent (MCP14)."""
        body: dict[str, Any] = {
            "title": draft.title,
            "description": draft.description,
            "price": _json_money(draft.price),
            "priceType": draft.price_type,
            "currency": draft.currency,
            "estimatedHours": draft.estimated_hours,
            "category": draft.category,
            "skillsNeeded": list(draft.skills),
            "evidenceTypes": list(draft.evidence_types),
            "spotsAvailable": draft.spots_available,
            "agentType": self._agent_type,
            "agentName": self._agent_name,
            "dryRun": dry_run,
        }
        if draft.location:
            body["location"] = draft.location
        if draft.completion_criteria:
            body["completionCriteria"] = draft.completion_criteria
        if draft.deadline is not None:
            body["deadline"] = _iso(draft.deadline)
        return body

    async def list_bounties(
        self,
        *,
        mine: bool = False,
        status: str | None = None,
        skill: str | None = None,
        category: str | None = None,
        limit: int = 100,
    ) -> list[Bounty]:
        """`GET /bounties`; `mine` asks for ours only [C]."""
        filters = {"mine": "true" if mine else None, "status": status, "skill": skill, "category": category}
        return await self._t.collect("/bounties", filters, "bounties", parse_bounty, limit=limit)

    async def find_bounty(self, title: str) -> Bounty | None:
        """Our bounty titled `title`, live ones first; None if there is none."""
        matches = [b for b in await self.list_bounties(mine=True) if b.title == title]
        matches.sort(key=lambda b: b.status == "cancelled")
        return matches[0] if matches else None

    async def get_bounty(self, bounty_id: str) -> Bounty:
        return parse_bounty(await self._t.read("GET", f"/bounties/{bounty_id}"))

    async def list_applications(
        self, bounty_id: str, *, status: str | None = None, limit: int = 100
    ) -> list[Application]:
        path = f"/bounties/{bounty_id}/applications"
        return await self._t.collect(path, {"status": status}, "applications", parse_application, limit=limit)

    async def accept_application(
        self, bounty_id: str, application_id: str, *, response: str | None = None
    ) -> Acceptance:
        """`PATCH .../applications/{id}` `{"action": "accept"}`: funds escrow, makes a booking and a conversation.

        Spends money; sent once. After `RentAHumanUnavailable`, read the application before trying again.
        """
        return parse_acceptance(await self._application_action(bounty_id, application_id, "accept", response))

    async def reject_application(
        self, bounty_id: str, application_id: str, *, response: str | None = None
    ) -> Application:
        """`PATCH .../applications/{id}` `{"action": "reject"}`; sent once."""
        return parse_application(await self._application_action(bounty_id, application_id, "reject", response))

    async def _application_action(
        self, bounty_id: str, application_id: str, action: str, response: str | None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"action": action}
        if response:
            body["response"] = response
        return await self._t.write_once("PATCH", f"/bounties/{bounty_id}/applications/{application_id}", json=body)


def _json_money(amount: Decimal) -> int | float:
    """Currency units as a JSON number (USD 90, not "90.00"): an int when whole."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("deadlines must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
