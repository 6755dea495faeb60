"""`RentAHumanClient`: the `Marketplace` port over RentAHuman's REST API (or the local sandbox).

    client = RentAHumanClient(http, base_url="https://rentahuman.ai/api", api_key=key, agent_id="turnover")
    workers = await client.search_workers(skill="Cleaning", city="Lisbon", max_rate=Decimal("30"))
    state = await client.create_booking(BookingRequest(...))  # safe to call again with the same key

Rules (`rentahuman-api.md` §3, §8):
- the key goes in `X-API-Key` (or `Authorization: Bearer` when asked) and is never logged or shown;
- every failure is a typed `RentAHumanError`; nothing returns `[]` or `None` in place of one;
- reads retry on 429, 5xx and transport errors (`RetryPolicy`: 3 attempts, jittered backoff,
  honouring `X-RateLimit-Reset`, never waiting over 60 s);
- a create is retried only because it carries its idempotency key, in the body and in the
  `Idempotency-Key` header; after an ambiguous failure (the server may have acted) it first
  looks for the booking (`GET /bookings?agentId=`, matching human, start time and title) and
  sends again only if nothing matches;
- a cancel is a `PATCH {"status": "cancelled"}`, retried like a read since its target state makes it
  safe to repeat; cancelling a cancelled booking returns its state instead of a conflict.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol, TypeVar

import httpx

from domain.hires import Worker
from domain.ports import BookingRequest, BookingState
from integrations.rentahuman.envelope import decode
from integrations.rentahuman.errors import RentAHumanConflict, RentAHumanError, RentAHumanUnavailable
from integrations.rentahuman.parse import (
    Booking,
    Human,
    Json,
    Review,
    has_more,
    items_of,
    parse_booking,
    parse_human,
    parse_review,
)
from integrations.rentahuman.retry import RetryPolicy

log = logging.getLogger(__name__)

AGENT_TYPE = "other"  # one of clawdbot, moltbot, openclaw, other [V]
AGENT_NAME = "Turnover"
PAGE_LIMIT = 100  # the documented maximum `limit` [V]
MAX_PAGES = 50  # a server that ignores `offset` must not keep us paging forever

T = TypeVar("T")


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


Item = TypeVar("Item", bound=_Identified)


class RentAHumanClient:
    """The RentAHuman REST API. `http` is the process's shared client; `base_url` ends in `/api`.

    `api_key` may be None for public reads only; `bearer` sends it as `Authorization: Bearer` (Q1);
    `retry` injects sleep, randomness and the wall clock; `page_size` is the `limit` asked per page.
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
    ) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._agent_id = agent_id
        self._agent_name = agent_name
        self._sandbox = sandbox
        self._bearer = bearer
        self._retry = retry or RetryPolicy()
        self._page_size = max(1, min(page_size, PAGE_LIMIT))

    def __repr__(self) -> str:
        key = "set" if self._api_key else "none"
        return f"RentAHumanClient(base_url={self._base_url!r}, agent_id={self._agent_id!r}, api_key={key})"

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
        return await self._collect("/humans", filters, "humans", parse_human, limit=limit)

    async def get_human(self, human_id: str) -> Human:
        return parse_human(await self._read("GET", f"/humans/{human_id}"))

    async def list_reviews(self, human_id: str, *, limit: int = 100) -> list[Review]:
        return await self._collect("/reviews", {"humanId": human_id}, "reviews", parse_review, limit=limit)

    # --- bookings ------------------------------------------------------------------------------

    async def list_bookings(
        self, agent_id: str | None = None, *, human_id: str | None = None, status: str | None = None, limit: int = 100
    ) -> list[Booking]:
        """`GET /bookings` for an agent (ours by default), optionally one human's or one status's."""
        filters = {"agentId": agent_id or self._agent_id, "humanId": human_id, "status": status}
        return await self._collect("/bookings", filters, "bookings", parse_booking, limit=limit)

    async def fetch_booking(self, booking_id: str) -> Booking:
        """`GET /bookings/{id}` with every field we read, not only the port's `BookingState`."""
        return parse_booking(await self._read("GET", f"/bookings/{booking_id}"))

    async def get_booking(self, booking_id: str) -> BookingState:
        return (await self.fetch_booking(booking_id)).state

    async def create_booking(self, request: BookingRequest) -> BookingState:
        """`POST /bookings`, or the booking an earlier attempt with the same key already made."""
        body = self.booking_body(request)
        headers = {"Idempotency-Key": request.idempotency_key}

        async def send() -> BookingState:
            return parse_booking(await self._call("POST", "/bookings", json=body, headers=headers)).state

        async def find_again() -> BookingState | None:
            found = await self.find_booking(request)
            return found.state if found else None

        return await self._retrying(send, reconcile=find_again)

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

    async def cancel_booking(self, booking_id: str) -> BookingState:
        """`PATCH /bookings/{id}` to `cancelled`. Already cancelled counts as done; other conflicts raise."""
        try:
            payload = await self._read("PATCH", f"/bookings/{booking_id}", json={"status": "cancelled"})
        except RentAHumanConflict:
            current = await self.get_booking(booking_id)
            if current.status == "cancelled":
                return current
            raise
        if isinstance(payload.get("booking"), Mapping) or "id" in payload:
            return parse_booking(payload).state
        return await self.get_booking(booking_id)  # the body of a PATCH answer is unspecified [V]

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

    # --- transport --------------------------------------------------------------------------------

    async def _collect(
        self, path: str, filters: Mapping[str, object], key: str, parse: Callable[[Json], Item], *, limit: int
    ) -> list[Item]:
        params = {name: str(value) for name, value in filters.items() if value is not None}
        found: dict[str, Item] = {}
        offset = 0
        for _ in range(MAX_PAGES):
            asked = min(self._page_size, limit - len(found))
            if asked <= 0:
                break
            page = await self._read("GET", path, params=params | {"limit": str(asked), "offset": str(offset)})
            items = items_of(page, key)
            fresh = [item for item in map(parse, items) if item.id not in found]
            found.update((item.id, item) for item in fresh)
            if not fresh or not has_more(page, len(items), asked):
                break
            offset += len(items)
        return list(found.values())[:limit]

    async def _read(
        self, method: str, path: str, *, params: Mapping[str, str] | None = None, json: object = None
    ) -> dict[str, Any]:
        """A call that is safe to repeat: retried on 429, 5xx and transport errors."""

        async def once() -> dict[str, Any]:
            return await self._call(method, path, params=params, json=json)

        return await self._retrying(once)

    async def _retrying(
        self, attempt: Callable[[], Awaitable[T]], *, reconcile: Callable[[], Awaitable[T | None]] | None = None
    ) -> T:
        number = 1
        while True:
            try:
                return await attempt()
            except RentAHumanUnavailable as exc:
                delay = self._retry.delay_after(number, exc)
                if delay is None:
                    raise
                log.warning("%s; attempt %d of %d, retrying in %.2f s", exc, number, self._retry.attempts, delay)
                await self._retry.sleep(delay)
                if reconcile is not None and exc.maybe_processed:
                    found = await self._reconciled(reconcile)
                    if found is not None:
                        return found
            number += 1

    async def _reconciled(self, reconcile: Callable[[], Awaitable[T | None]]) -> T | None:
        try:
            return await reconcile()
        except RentAHumanError as exc:  # the idempotency key still protects the resend
            log.warning("could not reconcile before resending: %s", exc)
            return None

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: object = None,
        headers: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """One HTTP exchange, decoded into a success body or a typed error."""
        try:
            response = await self._http.request(
                method, self._base_url + path, params=params, json=json, headers=self._headers(headers)
            )
        except httpx.TransportError as exc:
            unsent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
            raise RentAHumanUnavailable(
                f"RentAHuman {method} {path}: {type(exc).__name__}: {exc}", maybe_processed=not unsent
            ) from exc
        return decode(response, now=self._retry.wall_clock())

    def _headers(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        headers = {"Accept": "application/json", **(extra or {})}
        if self._api_key:
            if self._bearer:
                headers["Authorization"] = f"Bearer {self._api_key}"
            else:
                headers["X-API-Key"] = self._api_key
        return headers


def _utc_seconds(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("booking start times must be timezone-aware")
    return moment.astimezone(UTC).replace(microsecond=0)
