"""Hosts (accounts), their members and the actor every use case runs for."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from domain.errors import PermissionDenied


class Role(enum.StrEnum):
    OWNER = "owner"
    APPROVER = "approver"
    VIEWER = "viewer"


class Channel(enum.StrEnum):
    CLI = "cli"
    CONSOLE = "console"
    MCP = "mcp"
    SLACK = "slack"
    TELEGRAM = "telegram"
    WEB = "web"
    AGENT = "agent"
    SCHEDULER = "scheduler"


@dataclass(slots=True)
class Host:
    id: str
    name: str
    timezone: str
    created_at: datetime
    monthly_cap: Decimal | None = None  # the most the host spends per calendar month, all properties


@dataclass(slots=True)
class Member:
    id: str
    host_id: str
    name: str
    role: Role
    created_at: datetime
    # linked identities: {"slack": "U123", "telegram": "42", "mcp_token_sha256": "..."}
    identities: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who a call runs for: a member of a host, through a channel."""

    host_id: str
    member_id: str
    role: Role
    channel: Channel

    def require(self, *roles: Role) -> None:
        if self.role not in roles:
            allowed = " or ".join(r.value for r in roles)
            raise PermissionDenied(f"This needs the {allowed} role; you are {self.role.value}.")

    def require_host(self, host_id: str) -> None:
        if host_id != self.host_id:
            raise PermissionDenied("That belongs to another host.")
