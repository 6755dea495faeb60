"""The composition root wires the settings into the pipeline's configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from channels.console.notifier import ConsoleNotifier
from turnover.bootstrap import bootstrap
from turnover.settings import load_settings


@pytest.mark.parametrize(("value", "days"), [(None, 90), ("30", 30)])
async def test_the_fetch_retention_setting_reaches_the_pipeline_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str | None, days: int
) -> None:
    monkeypatch.delenv("TURNOVER_FETCH_RETENTION_DAYS", raising=False)
    if value is not None:
        monkeypatch.setenv("TURNOVER_FETCH_RETENTION_DAYS", value)
    settings = load_settings(data_dir=tmp_path, database_url=None, rentahuman_api_key=None)
    async with bootstrap(settings, notifier=ConsoleNotifier(None), start_sandbox=False) as app:
        assert app.deps.config.fetch_retention_days == days
