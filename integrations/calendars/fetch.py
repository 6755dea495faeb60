"""`HttpFeedFetcher`: the `FeedFetcher` port over HTTP (rules 1, 17 and 18 of `calendar-feeds.md`).

Every failure is a `FeedSnapshot(error=...)`, never an exception:

    timeout              "timeout after 30 s"
    transport failure    "connection failed", "too many redirects", ... (by httpx exception type)
    non-2xx status       "HTTP 503"
    body over the cap    "body larger than 5000000 bytes"
    not a calendar       "not a calendar: <reason>"      (from `parse_calendar`)

A feed URL is a credential (its path or query is the access token), so no error text ever
contains it, nor an httpx exception message, which may quote it.
"""

from __future__ import annotations

import asyncio

import httpx

from domain.calendar import FeedSnapshot
from integrations.calendars.parse import parse_calendar

PROJECT_URL = "https://github.com/turnover-app"
PARSE_IN_THREAD_BYTES = 256 * 1024  # icalendar needs ~1 ms per KiB: keep big bodies off the event loop

_TRANSPORT_ERRORS: tuple[tuple[type[Exception], str], ...] = (
    (httpx.ConnectError, "connection failed"),
    (httpx.RemoteProtocolError, "the server broke the HTTP protocol"),
    (httpx.TooManyRedirects, "too many redirects"),
    (httpx.UnsupportedProtocol, "unsupported URL scheme"),
    (httpx.DecodingError, "undecodable response body"),
    (httpx.NetworkError, "network error"),
)


def user_agent(version: str) -> str:
    return f"Turnover/{version} (+{PROJECT_URL}; calendar sync)"


def make_http_client(*, transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """The one shared client for calendar feeds; the caller closes it (`async with`).

    `transport` is the test seam (`httpx.MockTransport`); production leaves it unset.
    """
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(30.0, connect=10.0),
        follow_redirects=True,
        max_redirects=5,
        limits=httpx.Limits(max_connections=32, max_keepalive_connections=16, keepalive_expiry=30.0),
        headers={"Accept": "text/calendar, text/plain;q=0.5, */*;q=0.1"},
    )


class HttpFeedFetcher:
    """GET a feed with a clear User-Agent, a total timeout and a size cap, then parse it."""

    def __init__(
        self, client: httpx.AsyncClient, *, timeout: float = 30.0, max_bytes: int = 5_000_000, version: str = "0.1"
    ) -> None:
        self._client = client
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._headers = {"User-Agent": user_agent(version)}

    async def fetch(self, url: str, *, known_digest: str = "") -> FeedSnapshot:
        """Fetch and parse one feed. Never raises for a bad feed: a failure is `FeedSnapshot(error=...)`."""
        try:
            async with asyncio.timeout(self._timeout):
                body_or_error = await self._download(url)
        except (TimeoutError, httpx.TimeoutException):
            return FeedSnapshot(error=f"timeout after {self._timeout:g} s")
        except httpx.InvalidURL:
            return FeedSnapshot(error="invalid feed URL")
        except (httpx.HTTPError, httpx.StreamError) as exc:
            return FeedSnapshot(error=_describe(exc))
        if isinstance(body_or_error, str):
            return FeedSnapshot(error=body_or_error)
        if len(body_or_error) > PARSE_IN_THREAD_BYTES:
            return await asyncio.to_thread(parse_calendar, body_or_error, known_digest=known_digest)
        return parse_calendar(body_or_error, known_digest=known_digest)

    async def _download(self, url: str) -> bytes | str:
        """The body, or the reason there is none (a str)."""
        async with self._client.stream("GET", url, headers=self._headers, timeout=self._timeout) as response:
            if not response.is_success:
                return f"HTTP {response.status_code}"
            too_big = f"body larger than {self._max_bytes} bytes"
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self._max_bytes:
                return too_big
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():  # decoded: a compressed bomb is capped too
                size += len(chunk)
                if size > self._max_bytes:
                    return too_big
                chunks.append(chunk)
            return b"".join(chunks)


def _describe(exc: Exception) -> str:
    for kind, text in _TRANSPORT_ERRORS:
        if isinstance(exc, kind):
            return text
    return f"transport error ({type(exc).__name__})"
