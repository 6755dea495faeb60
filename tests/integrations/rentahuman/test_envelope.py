"""The envelope and the error tree: how HTTP answers become typed errors (`rentahuman-api.md` §3).

A fake server at the edge (`httpx.MockTransport`) answers; no sandbox needed.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from domain.errors import MarketplaceError, MarketplaceUnavailable
from integrations.rentahuman.client import RentAHumanClient
from integrations.rentahuman.errors import (
    RentAHumanAuthError,
    RentAHumanConflict,
    RentAHumanError,
    RentAHumanNotFound,
    RentAHumanRateLimited,
    RentAHumanSchemaError,
    RentAHumanUnavailable,
    RentAHumanValidationError,
)
from tests.integrations.rentahuman.support import API_KEY, WALL, RecordingSleep, make_client

API = "https://rentahuman.test/api"


Answer = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
async def fake_server() -> AsyncIterator[Callable[[Answer], RentAHumanClient]]:
    """Build clients whose server is a plain function; their HTTP clients are closed after the test."""
    async with contextlib.AsyncExitStack() as stack:

        def build(answer: Answer) -> RentAHumanClient:
            http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
            stack.push_async_callback(http.aclose)
            return make_client(http, API, RecordingSleep())

        yield build


@pytest.fixture
def always(fake_server: Callable[[Answer], RentAHumanClient]) -> Callable[..., RentAHumanClient]:
    """A client whose server always gives the same answer."""

    def build(status: int, body: Any = None, *, headers: dict[str, str] | None = None) -> RentAHumanClient:
        return fake_server(lambda request: httpx.Response(status, json=body, headers=headers))

    return build


def test_unavailable_and_rate_limited_are_the_domains_retry_later_errors() -> None:
    assert issubclass(RentAHumanUnavailable, MarketplaceUnavailable)
    assert issubclass(RentAHumanRateLimited, RentAHumanUnavailable)
    for kind in (RentAHumanAuthError, RentAHumanNotFound, RentAHumanConflict, RentAHumanValidationError):
        assert issubclass(kind, RentAHumanError) and issubclass(kind, MarketplaceError)
        assert not issubclass(kind, MarketplaceUnavailable)
    assert issubclass(RentAHumanSchemaError, RentAHumanError)


async def test_success_false_under_http_200_is_an_error(always: Callable[..., RentAHumanClient]) -> None:
    client = always(200, {"success": False, "error": "Human not available", "code": "conflict"})

    with pytest.raises(RentAHumanConflict) as refused:
        await client.get_human("h1")
    assert "Human not available" in str(refused.value)


async def test_success_false_under_200_without_a_known_code_is_still_an_error(
    always: Callable[..., RentAHumanClient],
) -> None:
    with pytest.raises(RentAHumanError):
        await always(200, {"success": False, "error": "Something odd"}).get_human("h1")


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, RentAHumanValidationError),
        (401, RentAHumanAuthError),
        (403, RentAHumanAuthError),
        (404, RentAHumanNotFound),
        (409, RentAHumanConflict),
        (422, RentAHumanValidationError),
        (418, RentAHumanError),
    ],
)
async def test_client_error_statuses_map_to_their_error(
    status: int, kind: type[RentAHumanError], always: Callable[..., RentAHumanClient]
) -> None:
    client = always(status, {"success": False, "error": "no"})

    with pytest.raises(kind) as refused:
        await client.get_booking("b1")
    assert refused.value.status == status


async def test_server_errors_are_unavailable_after_the_retries(always: Callable[..., RentAHumanClient]) -> None:
    with pytest.raises(RentAHumanUnavailable) as failed:
        await always(503, {"success": False, "error": "down", "code": "server_error"}).get_booking("b1")
    assert failed.value.status == 503 and failed.value.maybe_processed


async def test_a_non_json_error_page_still_maps_by_status(fake_server: Callable[[Answer], RentAHumanClient]) -> None:
    client = fake_server(lambda request: httpx.Response(404, text="<html>Not Found</html>"))

    with pytest.raises(RentAHumanNotFound):
        await client.get_human("h1")


async def test_a_success_body_that_is_not_an_object_is_a_schema_error(always: Callable[..., RentAHumanClient]) -> None:
    with pytest.raises(RentAHumanSchemaError):
        await always(200, ["not", "an", "envelope"]).get_human("h1")


async def test_a_list_answer_without_its_list_is_a_schema_error_naming_the_key(
    always: Callable[..., RentAHumanClient],
) -> None:
    with pytest.raises(RentAHumanSchemaError, match="humans"):
        await always(200, {"success": True, "count": 0}).search_workers(skill="Cleaning")


async def test_a_booking_without_a_status_is_a_schema_error_naming_it(always: Callable[..., RentAHumanClient]) -> None:
    with pytest.raises(RentAHumanSchemaError, match=re.escape("booking.status")):
        await always(200, {"success": True, "booking": {"id": "b1", "humanId": "h1"}}).get_booking("b1")


async def test_a_rate_limited_answer_carries_when_to_come_back(always: Callable[..., RentAHumanClient]) -> None:
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(WALL) + 90)}
    client = always(429, {"success": False, "error": "Rate limit exceeded", "code": "rate_limited"}, headers=headers)

    with pytest.raises(RentAHumanRateLimited) as limited:
        await client.get_human("h1")
    assert limited.value.reset_at == datetime.fromtimestamp(WALL + 90, UTC)
    assert not limited.value.maybe_processed


async def test_error_messages_never_contain_the_api_key(fake_server: Callable[[Answer], RentAHumanClient]) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(401, json={"success": False, "error": "Missing or invalid API key"})

    with pytest.raises(RentAHumanAuthError) as refused:
        await fake_server(answer).get_booking("b1")
    assert seen[0].headers["X-API-Key"] == API_KEY
    assert API_KEY not in str(refused.value) and API_KEY not in repr(refused.value)


async def test_a_patch_answer_without_a_booking_is_followed_by_a_read(
    fake_server: Callable[[Answer], RentAHumanClient],
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "PATCH":
            return httpx.Response(200, json={"success": True, "message": "Booking updated"})
        booking = {"id": "b1", "humanId": "h1", "status": "cancelled", "totalAmount": 84}
        return httpx.Response(200, json={"success": True, "booking": booking})

    state = await fake_server(answer).cancel_booking("b1")

    assert (state.booking_id, state.status, state.total) == ("b1", "cancelled", Decimal(84))
