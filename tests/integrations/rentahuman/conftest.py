"""One real sandbox server per test session, reset before each test that asks for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from integrations.rentahuman.client import RentAHumanClient
from integrations.rentahuman.sandbox.server import SandboxServer
from tests.integrations.rentahuman.support import NOW, RecordingSleep, Sim, WebhookReceiver, make_client


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    with SandboxServer(seed=7, now=NOW) as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5.0) as client:
        yield client


@pytest.fixture
async def sim(sandbox_server: SandboxServer, http: httpx.AsyncClient) -> Sim:
    sim = Sim(http, sandbox_server.base_url)
    await sim.reset()
    return sim


@pytest.fixture
def sleeps() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
def client(sim: Sim, http: httpx.AsyncClient, sleeps: RecordingSleep) -> RentAHumanClient:
    return make_client(http, sim.api_url, sleeps)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as server:
        yield server
