"""Settings: one typed object read once from the environment (prefix TURNOVER_) and `.env`."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.errors import ConfigurationError

HINTS = {
    "now": "an ISO-8601 instant with a timezone, e.g. 2026-11-25T09:00:00Z",
    "database_url": "sqlite+aiosqlite:///path/to/file.sqlite or postgresql+asyncpg://user@host:5432/db",
    "sync_interval_minutes": "a whole number of minutes, at least 1",
    "hire_horizon_days": "a whole number of days, at least 1",
    "tick_seconds": "a whole number of seconds, at least 1",
    "fetch_retention_days": "a whole number of days, at least 1",
    "hire_concurrency": "a whole number from 1 to 64",
    "approval_hours": "a whole number of hours, at least 1",
    "agent_max_tokens": "a whole number of tokens, at least 64",
    "agent_history_messages": "a whole number of messages, at least 2",
}


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "turnover"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TURNOVER_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None  # default: SQLite in the data directory
    now: datetime | None = None  # freezes the application clock (demos, replays)
    rentahuman_api_key: SecretStr | None = None  # none: the local sandbox stands in
    rentahuman_base_url: str = "https://rentahuman.ai/api"
    rentahuman_agent_id: str = "turnover"
    sync_interval_minutes: int = Field(default=15, ge=1)
    hire_horizon_days: int = Field(default=14, ge=1)
    tick_seconds: int = Field(default=60, ge=1)
    fetch_retention_days: int = Field(default=90, ge=1)  # how long a fetch's parsed snapshot is kept
    hire_concurrency: int = Field(default=8, ge=1, le=64)  # tasks hired and hires polled at once
    approval_hours: int = Field(default=24, ge=1)  # an approval card expires after this long
    log_level: str = "WARNING"
    model: str = "anthropic:claude-sonnet-4-6"  # any pydantic-ai model string, e.g. ollama:llama3.2
    agent_max_tokens: int = Field(default=2048, ge=64)  # the most one model answer may take
    agent_history_messages: int = Field(default=40, ge=2)  # model messages kept per chat thread

    @field_validator("now")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("the instant needs a timezone (add Z or +01:00)")
        return value

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str | None) -> str | None:
        if value and not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("unsupported database URL scheme")
        return value

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir / 'turnover.sqlite'}"


def load_settings(**overrides: object) -> Settings:
    """Read the settings; a bad value becomes one ConfigurationError line naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "settings"
        hint = HINTS.get(field)
        message = f"TURNOVER_{field.upper()}: {first['msg']}."
        raise ConfigurationError(message + (f" Set it to {hint}." if hint else "")) from None
