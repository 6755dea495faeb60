"""`Transport`: how every RentAHuman call is sent, paced, retried and reconciled (`rentahuman-api.md` §8).

| Kind of call | Method | Retried (429, 5xx, transport errors) | After an ambiguous failure |
|---|---|---|---|
| read (GET; also writes that name a target state) | `read` | yes, `RetryPolicy`: 3 attempts | sent again |
| create with an idempotency key | `create` | yes, same key in body and header | reconcile, then resend |
| any other write | `write_once` | no: sent once | `RentAHumanUnavailable` |

A create's key goes in the body (`idempotencyKey`) and the `Idempotency-Key` header, one value.
An ambiguous failure is one after which the server may have acted: a 5xx or a lost answer
(`maybe_processed`). After one, a create first looks for what the first attempt made and returns
it if found; a 429 or a refused connection is not ambiguous, so a create resends without looking.
A write sent once raises the failure; `maybe_processed` tells the caller whether to look first.
Every exchange passes through the client's `RateGate` (`pacing`). The API key goes only into the
request headers: never into a log line, an exception message or a `repr`. Bodies are never logged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol, TypeVar

import httpx

from integrations.rentahuman.envelope import decode
from integrations.rentahuman.errors import RentAHumanError, RentAHumanUnavailable
from integrations.rentahuman.pacing import DEFAULT_CONCURRENCY, RateGate
from integrations.rentahuman.parse import Json, has_more, items_of, parse_rate_limit
from integrations.rentahuman.retry import RetryPolicy

log = logging.getLogger("integrations.rentahuman.client")

PAGE_LIMIT = 100  # the documented maximum `limit` [V]
MAX_PAGES = 50  # a server that ignores `offset` must not keep us paging forever

T = TypeVar("T")


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


Item = TypeVar("Item", bound=_Identified)


class Transport:
    """One client's HTTP exchanges with RentAHuman: base URL, key, pacing, retries, paging."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        base_url: str,
        api_key: str | None,
        bearer: bool = False,
        retry: RetryPolicy | None = None,
        page_size: int = PAGE_LIMIT,
        max_concurrency: int = DEFAULT_CONCURRENCY,
    ) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.gate = RateGate(self.retry, max_concurrency)
        self.page_size = max(1, min(page_size, PAGE_LIMIT))
        self._api_key = api_key
        self._bearer = bearer

    @property
    def has_key(self) -> bool:
        return bool(self._api_key)

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r}, api_key={'set' if self._api_key else 'none'})"

    async def read(
        self, method: str, path: str, *, params: Mapping[str, str] | None = None, json: object = None
    ) -> dict[str, Any]:
        """A call that is safe to repeat: retried on 429, 5xx and transport errors."""

        async def once() -> dict[str, Any]:
            return await self.call(method, path, params=params, json=json)

        return await self.retrying(once)

    async def write_once(self, method: str, path: str, *, json: object = None) -> dict[str, Any]:
        """A write that is not safe to repeat and has no idempotency key: sent once, whatever happens."""
        return await self.call(method, path, json=json)

    async def create(
        self,
        path: str,
        body: Mapping[str, Any],
        *,
        key: str,
        parse: Callable[[dict[str, Any]], T],
        reconcile: Callable[[], Awaitable[T | None]],
    ) -> T:
        """`POST path` with `key` in the body and the header; retried, reconciling after ambiguous failures."""
        if not key:
            raise ValueError(f"a create on {path} needs an idempotency key")
        sent = {**body, "idempotencyKey": key}

        async def send() -> T:
            return parse(await self.call("POST", path, json=sent, headers={"Idempotency-Key": key}))

        return await self.retrying(send, reconcile=reconcile)

    async def collect(
        self, path: str, filters: Mapping[str, object], key: str, parse: Callable[[Json], Item], *, limit: int
    ) -> list[Item]:
        """`GET path` page by page (`limit` + `offset`) until `limit` items or the last page."""
        params = {name: str(value) for name, value in filters.items() if value is not None}
        found: dict[str, Item] = {}
        offset = 0
        for _ in range(MAX_PAGES):
            asked = min(self.page_size, limit - len(found))
            if asked <= 0:
                break
            page = await self.read("GET", path, params=params | {"limit": str(asked), "offset": str(offset)})
            items = items_of(page, key)
            fresh = [item for item in map(parse, items) if item.id not in found]
            found.update((item.id, item) for item in fresh)
            if not fresh or not has_more(page, len(items), asked):
                break
            offset += len(items)
        return list(found.values())[:limit]

    async def retrying(
        self, attempt: Callable[[], Awaitable[T]], *, reconcile: Callable[[], Awaitable[T | None]] | None = None
    ) -> T:
        number = 1
        while True:
            try:
                return await attempt()
            except RentAHumanUnavailable as exc:
                delay = self.retry.delay_after(number, exc)
                if delay is None:
                    raise
                log.warning("%s; attempt %d of %d, retrying in %.2f s", exc, number, self.retry.attempts, delay)
                await self.gate.sleep(delay)
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

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: object = None,
        headers: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """One paced HTTP exchange, decoded into a success body or a typed error."""
        where = f"RentAHuman {method} {path}"
        async with self.gate.slot(method, where) as budget:
            try:
                response = await self.http.request(
                    method, self.base_url + path, params=params, json=json, headers=self._headers(headers)
                )
            except httpx.TransportError as exc:
                unsent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
                raise RentAHumanUnavailable(
                    f"{where}: {type(exc).__name__}: {exc}", maybe_processed=not unsent
                ) from exc
            now = self.retry.wall_clock()
            self.gate.learn(budget, parse_rate_limit(response.headers, now=now))
        return decode(response, now=now)

    def _headers(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        headers = {"Accept": "application/json", **(extra or {})}
        if self._api_key:
            if self._bearer:
                headers["Authorization"] = f"Bearer {self._api_key}"
            else:
                headers["X-API-Key"] = self._api_key
        return headers
