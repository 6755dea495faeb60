"""The one composition root: builds engine, clients and adapters from `Settings`.

Every entry point (CLI commands, demo, service) calls `bootstrap()`; nothing is built at import.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx

from domain.ports import Notifier
from integrations.calendars.fetch import HttpFeedFetcher, make_http_client
from integrations.clock import FrozenClock, SystemClock, UuidIds
from integrations.rentahuman.client import RentAHumanClient
from storage.database import make_engine, prepare_database
from storage.uow import SqlUnitOfWorkFactory
from tools.context import AppDeps, PipelineConfig
from turnover import __version__
from turnover.settings import Settings

SANDBOX_API_KEY = "rah_sandbox_local"  # the sandbox accepts any rah_ key; never a real one


@dataclass(frozen=True, slots=True)
class App:
    settings: Settings
    deps: AppDeps
    sandbox_url: str | None  # set when the marketplace is the local sandbox


@contextlib.asynccontextmanager
async def bootstrap(
    settings: Settings, *, notifier: Notifier, sandbox_url: str | None = None, start_sandbox: bool = True
) -> AsyncIterator[App]:
    """Open the database (upgrading it, or refusing a newer one) and wire every port.

    With no RentAHuman key the marketplace is the local sandbox: the one at `sandbox_url`, or one
    started here for the life of the app (`start_sandbox=False` for commands that never hire: the
    marketplace then points at a sandbox URL that is not running and any call fails clearly).
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    async with contextlib.AsyncExitStack() as stack:
        stack.push_async_callback(engine.dispose)
        await prepare_database(engine)
        feed_http = await stack.enter_async_context(make_http_client())
        market_http = await stack.enter_async_context(httpx.AsyncClient(timeout=httpx.Timeout(20.0, connect=5.0)))
        api_key = settings.rentahuman_api_key.get_secret_value() if settings.rentahuman_api_key else None
        if api_key is None and sandbox_url is None and start_sandbox:
            from integrations.rentahuman.sandbox.server import SandboxServer

            sandbox_url = stack.enter_context(SandboxServer()).base_url
        marketplace = RentAHumanClient(
            market_http,
            base_url=f"{sandbox_url or 'http://127.0.0.1:9'}/api" if api_key is None else settings.rentahuman_base_url,
            api_key=api_key or SANDBOX_API_KEY,
            agent_id=settings.rentahuman_agent_id,
            sandbox=api_key is None,
            max_concurrency=max(16, 2 * settings.hire_concurrency),
        )
        from scheduler.pipeline import refresh_feeds

        deps = AppDeps(
            uow=SqlUnitOfWorkFactory(engine),
            clock=FrozenClock(settings.now) if settings.now else SystemClock(),
            ids=UuidIds(),
            fetcher=HttpFeedFetcher(feed_http, version=__version__),
            marketplace=marketplace,
            notifier=notifier,
            config=PipelineConfig(
                hire_horizon_days=settings.hire_horizon_days,
                sync_interval_minutes=settings.sync_interval_minutes,
                fetch_retention_days=settings.fetch_retention_days,
                hire_concurrency=settings.hire_concurrency,
                approval_hours=settings.approval_hours,
            ),
            refresh=refresh_feeds,
        )
        yield App(settings=settings, deps=deps, sandbox_url=sandbox_url if api_key is None else None)
