from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime

import httpx
import pytest

from domain.ports import FeedFetcher
from integrations.calendars.feed_server import FeedServer
from integrations.calendars.fetch import HttpFeedFetcher, make_http_client
from integrations.calendars.parse import content_hash
from integrations.calendars.synthetic import Stay, airbnb_calendar
from tests.integrations.calendars.support import fixture_bytes

TOKEN = "s=3f9a0c1d2e4b5a6978c0d1e2f3a4b5c6"
PATH = "/calendar/ical/48213377.ics"
EMPTY_CALENDAR = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Airbnb Inc//Hosting Calendar 1.0//EN\r\nEND:VCALENDAR\r\n"
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_http_client() as shared:
        yield shared


def _feed_url(server: FeedServer) -> str:
    return server.url(f"{PATH}?{TOKEN}")


async def test_a_served_calendar_is_fetched_and_parsed(server: FeedServer, client: httpx.AsyncClient) -> None:
    body = fixture_bytes("airbnb_hosting-1.0.ics")
    server.set(PATH, body)
    fetcher: FeedFetcher = HttpFeedFetcher(client)

    snapshot = await fetcher.fetch(_feed_url(server))

    assert snapshot.ok and len(snapshot.events) == 6
    assert snapshot.body_sha256 == hashlib.sha256(body).hexdigest()


async def test_the_request_names_turnover_in_its_user_agent(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.set(PATH, EMPTY_CALENDAR)

    await HttpFeedFetcher(client).fetch(_feed_url(server))
    await HttpFeedFetcher(client, version="1.2.3").fetch(_feed_url(server))

    assert [r.user_agent for r in server.requests] == [
        "Turnover/0.1 (+https://github.com/turnover-app; calendar sync)",
        "Turnover/1.2.3 (+https://github.com/turnover-app; calendar sync)",
    ]
    assert server.requests[0].path == f"{PATH}?{TOKEN}"


async def test_a_sequence_of_snapshots_replays_fetch_by_fetch(server: FeedServer, client: httpx.AsyncClient) -> None:
    stays = [Stay("s1", date(2026, 3, 11), date(2026, 3, 13), code="HMQ2X7KD4P", phone_last4="4821")]
    fetcher = HttpFeedFetcher(client)
    url = _feed_url(server)

    server.set(PATH, airbnb_calendar(stays, [], stamp=datetime(2026, 3, 10, 8, tzinfo=UTC), listing_seed="x"))
    first = await fetcher.fetch(url)
    server.set(PATH, airbnb_calendar(stays, [], stamp=datetime(2026, 3, 10, 9, tzinfo=UTC), listing_seed="x"))
    second = await fetcher.fetch(url)
    server.set(PATH, EMPTY_CALENDAR)
    empty = await fetcher.fetch(url)
    server.set(PATH, b'{"code":500}', status=500, content_type="application/json")
    failed = await fetcher.fetch(url)

    assert first.body_sha256 != second.body_sha256
    assert content_hash(first.events) == content_hash(second.events)
    assert empty.ok and empty.events == ()
    assert (failed.ok, failed.error) == (False, "HTTP 500")


async def test_a_non_2xx_status_is_a_failed_fetch(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.set(PATH, fixture_bytes("airbnb_hosting-1.0.ics"), status=503)
    fetcher = HttpFeedFetcher(client)

    assert (await fetcher.fetch(_feed_url(server))).error == "HTTP 503"
    assert (await fetcher.fetch(server.url("/unknown.ics"))).error == "HTTP 404"


async def test_a_body_over_the_size_cap_is_a_failed_fetch(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.set(PATH, fixture_bytes("airbnb_hosting-1.0.ics"))

    snapshot = await HttpFeedFetcher(client, max_bytes=1_000).fetch(_feed_url(server))

    assert snapshot.error == "body larger than 1000 bytes"


async def test_the_size_cap_holds_for_a_streamed_body_without_a_length() -> None:
    async def endless() -> AsyncIterator[bytes]:
        yield b"BEGIN:VCALENDAR\r\n"
        while True:
            yield b"X-FILLER:" + b"x" * 1_000 + b"\r\n"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=endless())

    async with make_http_client(transport=httpx.MockTransport(handler)) as client:
        snapshot = await HttpFeedFetcher(client, max_bytes=50_000).fetch("https://feeds.example.test/a.ics")

    assert snapshot.error == "body larger than 50000 bytes"


async def test_redirects_are_followed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old.ics":
            return httpx.Response(301, headers={"Location": "/new.ics"})
        return httpx.Response(200, content=EMPTY_CALENDAR)

    async with make_http_client(transport=httpx.MockTransport(handler)) as client:
        snapshot = await HttpFeedFetcher(client).fetch("https://feeds.example.test/old.ics")

    assert snapshot.ok


async def test_a_page_that_is_not_a_calendar_is_a_failed_fetch(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.set(PATH, b"<html><body>Please log in</body></html>", content_type="text/html")

    snapshot = await HttpFeedFetcher(client).fetch(_feed_url(server))

    assert snapshot.error == "not a calendar: an HTML or XML page"


async def test_a_slow_server_is_a_timeout(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.set(PATH, EMPTY_CALENDAR, delay=0.5)

    snapshot = await HttpFeedFetcher(client, timeout=0.05).fetch(_feed_url(server))

    assert snapshot.error == "timeout after 0.05 s"


async def test_a_refused_connection_is_a_failed_fetch(client: httpx.AsyncClient) -> None:
    with FeedServer() as gone:
        url = gone.url(f"{PATH}?{TOKEN}")

    snapshot = await HttpFeedFetcher(client).fetch(url)

    assert snapshot.error == "connection failed"


async def test_no_error_text_ever_contains_the_feed_url(server: FeedServer, client: httpx.AsyncClient) -> None:
    with FeedServer() as gone:
        refused = gone.url(f"{PATH}?{TOKEN}")
    scenarios = {"/503.ics": (b"", 503, 0.0), "/html.ics": (b"<html></html>", 200, 0.0),
                 "/big.ics": (b"x" * 2_000, 200, 0.0), "/slow.ics": (b"", 200, 0.5)}  # fmt: skip
    for path, (body, status, delay) in scenarios.items():
        server.set(path, body, status, delay=delay)
    fetcher = HttpFeedFetcher(client, timeout=0.05, max_bytes=1_000)
    urls = [server.url(f"{path}?{TOKEN}") for path in scenarios] + [
        refused,
        f"ftp://feeds.example.test{PATH}?{TOKEN}",
        f"http://[feeds.example.test{PATH}?{TOKEN}",
    ]

    errors = [(await fetcher.fetch(url)).error for url in urls]

    assert all(errors), errors
    for error in errors:
        assert TOKEN not in error and "48213377" not in error and "127.0.0.1" not in error
