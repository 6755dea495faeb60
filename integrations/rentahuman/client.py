"""`RentAHumanClient`: the `Marketplace` port over RentAHuman's REST API (or the local sandbox).

    client = RentAHumanClient(http, base_url="https://rentahuman.ai/api", api_key=key, agent_id="turnover")
    workers = await client.search_workers(skill="Cleaning", city="Lisbon", max_rate=Decimal("30"))
    state = await client.create_booking(BookingRequest(...))  # safe to call again with the same key

One client per process, over the process's one `httpx.AsyncClient` (built by `turnover.bootstrap`).
This module has humans, reviews, bookings and the port's private message; `hiring` adds direct hires
(`rent_human`), escrow, bounties and applications; `messaging` adds conversations and webhook
endpoints; `webhooks.verify_webhook` checks a delivery's signature.

Rules (`rentahuman-api.md` §3, §8; the retry table is in `transport`):
- the key goes in `X-API-Key` (or `Authorization: Bearer` when asked) and is never logged or shown;
  message text (door codes) is never logged either;
- every failure is a typed `RentAHumanError`; nothing returns `[]` or `None` in place of one;
- reads retry on 429, 5xx and transport errors (`RetryPolicy`: 3 attempts, jittered backoff,
  honouring `X-RateLimit-Reset`, never waiting over 60 s);
- a create is retried only because it carries its idempotency key, in the body and in the
  `Idempotency-Key` header; after an ambiguous failure (the server may have acted) it first
  looks for what it made (`GET /bookings?agentId=`, `GET /escrow/agent-rentals`,
  `GET /bounties?mine=true`, `GET /conversations`) and sends again only if nothing matches;
- other writes (complete or release an escrow, accept or reject an application, a message without
  a key, a webhook registration) are sent once: an ambiguous failure is `RentAHumanUnavailable`,
  and the caller must look before trying again;
- a status change (`PATCH /bookings/{id}`, a cancel) names its target state, so it is retried like
  a read, and finding the target state already reached counts as done;
- every request passes one `RateGate` per client (`pacing`), so concurrent callers stay inside the
  server's `X-RateLimit-*` budget.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx

from domain.errors import NotFound
from domain.hires import BookingRequest, Worker, WorkerReview
from domain.ports import BookingState, PrivateMessage
from integrations.rentahuman.errors import RentAHumanConflict, RentAHumanNotFound
from integrations.rentahuman.hiring import HiringCalls
from integrations.rentahuman.messaging import MessagingCalls
from integrations.rentahuman.pacing import DEFAULT_CONCURRENCY
from integrations.rentahuman.parse import Booking, Human, Review, parse_booking, parse_human, parse_review
from integrations.rentahuman.retry import RetryPolicy
from integrations.rentahuman.transport import PAGE_LIMIT, Transport

AGENT_TYPE = "other"  # one of clawdbot, moltbot, openclaw, other [V]
AGENT_NAME = "Turnover"
BOOKING_STATUSES = ("confirmed", "in_progress", "completed", "cancelled")  # what PATCH /bookings/{id} takes [V]


class RentAHumanClient(HiringCalls, MessagingCalls):
    """The RentAHuman REST API. `http` is the process's shared client; `base_url` ends in `/api`.

    `api_key` may be None for public reads only; `bearer` sends it as `Authorization: Bearer` (Q1);
    `retry` injects sleep, randomness and the wall clock (for retries and pacing); `page_size` is the
    `limit` asked per page; `max_concurrency` bounds this client's requests in flight.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        base_url: str,
        api_key: str | None,
        agent_id: str,
        sandbox: bool = False,
        agent_name: str = AGENT_NAME,
        bearer: bool = False,
        retry: RetryPolicy | None = None,
        page_size: int = PAGE_LIMIT,
        max_concurrency: int = DEFAULT_CONCURRENCY,
    ) -> None:
        self._t = Transport(
            http,
            base_url=base_url,
            api_key=api_key,
            bearer=bearer,
            retry=retry,
            page_size=page_size,
            max_concurrency=max_concurrency,
        )
        self._agent_id = agent_id
        self._agent_name = agent_name
        self._agent_type = AGENT_TYPE
        self._sandbox = sandbox

    def __repr__(self) -> str:
        key = "set" if self._t.has_key else "none"
        return f"RentAHumanClient(base_url={self._t.base_url!r}, agent_id={self._agent_id!r}, api_key={key})"

    @property
    def is_sandbox(self) -> bool:
        return self._sandbox

    # --- humans and reviews (public reads) ---------------------------------------------------

    async def search_workers(
        self, *, skill: str, city: str | None = None, max_rate: Decimal | None = None, limit: int = 50
    ) -> list[Worker]:
        humans = await self.search_humans(skill=skill, city=city, max_rate=max_rate, limit=limit)
        return [human.worker for human in humans]

    async def search_humans(
        self,
        *,
        skill: str | None = None,
        city: str | None = None,
        country: str | None = None,
        min_rate: Decimal | None = None,
        max_rate: Decimal | None = None,
        limit: int = 50,
    ) -> list[Human]:
        """`GET /humans`, paging with `limit` and `offset` until `limit` humans or the last page."""
        filters = {"skill": skill, "city": city, "country": country, "minRate": min_rate, "maxRate": max_rate}
        return await self._t.collect("/humans", filters, "humans", parse_human, limit=limit)

    async def get_human(self, human_id: str) -> Human:
        return parse_human(await self._t.read("GET", f"/humans/{human_id}"))

    async def get_worker(self, worker_id: str) -> Worker:
        try:
            return (await self.get_human(worker_id)).worker
        except RentAHumanNotFound:
            raise NotFound("human", worker_id) from None

    async def worker_reviews(self, worker_id: str, *, limit: int = 20) -> list[WorkerReview]:
        reviews = await self.list_reviews(worker_id, limit=limit)
        return [WorkerReview(rating=r.rating, comment=r.comment, created_at=r.created_at) for r in reviews]

    async def list_reviews(self, human_id: str, *, limit: int = 100) -> list[Review]:
        return await self._t.collect("/reviews", {"humanId": human_id}, "reviews", parse_review, limit=limit)

    # --- bookings ------------------------------------------------------------------------------

    async def list_bookings(
        self, agent_id: str | None = None, *, human_id: str | None = None, status: str | None = None, limit: int = 100
    ) -> list[Booking]:
        """`GET /bookings` for an agent (ours by default), optionally one human's or one status's."""
        filters = {"agentId": agent_id or self._agent_id, "humanId": human_id, "status": status}
        return await self._t.collect("/bookings", filters, "bookings", parse_booking, limit=limit)

    async def fetch_booking(self, booking_id: str) -> Booking:
        """`GET /bookings/{id}` with every field we read, not only the port's `BookingState`."""
        return parse_booking(await self._t.read("GET", f"/bookings/{booking_id}"))

    async def get_booking(self, booking_id: str) -> BookingState:
        return (await self.fetch_booking(booking_id)).state

    async def create_booking(self, request: BookingRequest) -> BookingState:
        """`POST /bookings`, or the booking an earlier attempt with the same key already made."""

        async def find_again() -> BookingState | None:
            found = await self.find_booking(request)
            return found.state if found else None

        return await self._t.create(
            "/bookings",
            self.booking_body(request),
            key=request.idempotency_key,
            parse=lambda payload: parse_booking(payload).state,
            reconcile=find_again,
        )

    async def find_booking(self, request: BookingRequest) -> Booking | None:
        """The booking that `request` created, if any: same human, start time and title; live ones first.

        Filters are checked here too, in case the server ignores `agentId` or `humanId` [G].
        """
        start = _utc_seconds(request.start)
        matches = [
            b
            for b in await self.list_bookings(human_id=request.worker_id)
            if b.state.worker_id == request.worker_id
            and b.agent_id in ("", self._agent_id)
            and b.title == request.title
            and b.start == start
        ]
        matches.sort(key=lambda b: b.state.status == "cancelled")
        return matches[0] if matches else None

    async def recover_booking(self, request: BookingRequest) -> BookingState | None:
        """The booking an earlier send of `request` made (its answer was lost), or None: `find_booking`'s state."""
        found = await self.find_booking(request)
        return found.state if found else None

    async def update_booking_status(
        self, booking_id: str, status: str, payment_tx_hash: str | None = None
    ) -> BookingState:
        """`PATCH /bookings/{id}` with `status` (confirmed, in_progress, completed, cancelled) [V].

        `payment_tx_hash` marks the booking paid [V]. The call names its target state, so it is retried
        like a read; a 409 after which the booking already has `status` counts as done (the first
        attempt got through); any other conflict is raised.
        """
        if status not in BOOKING_STATUSES:
            raise ValueError(f"a booking cannot be moved to {status!r}")
        body: dict[str, Any] = {"status": status}
        if payment_tx_hash is not None:
            body["paymentTxHash"] = payment_tx_hash
        try:
            payload = await self._t.read("PATCH", f"/bookings/{booking_id}", json=body)
        except RentAHumanConflict:
            current = await self.get_booking(booking_id)
            if current.status == status:
                return current
            raise
        if isinstance(payload.get("booking"), Mapping) or "id" in payload:
            return parse_booking(payload).state
        return await self.get_booking(booking_id)  # the body of a PATCH answer is unspecified [V]

    async def cancel_booking(self, booking_id: str) -> BookingState:
        """`PATCH /bookings/{id}` to `cancelled`. Already cancelled counts as done; other conflicts raise."""
        return await self.update_booking_status(booking_id, "cancelled")

    def booking_body(self, request: BookingRequest) -> dict[str, Any]:
        """The `POST /bookings` body: every OAS-required field, plus our category and idempotency key."""
        return {
            "humanId": request.worker_id,
            "agentId": self._agent_id,
            "agentType": AGENT_TYPE,
            "agentName": self._agent_name,
            "taskTitle": request.title,
            "taskDescription": request.description,
            "startTime": _utc_seconds(request.start).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "estimatedHours": request.estimated_hours,
            "taskCategory": request.category,
            "idempotencyKey": request.idempotency_key,
        }

    # --- the port's private message ----------------------------------------------------------

    async def send_private_message(self, message: PrivateMessage) -> str:
        """Start a conversation with the worker whose first message is `message.text`; its id.

        Idempotent by `message.idempotency_key` (see `start_conversation`). The text is never logged.
        """
        conversation = await self.start_conversation(
            message.worker_id, message.subject, message.text, idempotency_key=message.idempotency_key
        )
        return conversation.id


def _utc_seconds(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("booking start times must be timezone-aware")
    return moment.astimezone(UTC).replace(microsecond=0)
