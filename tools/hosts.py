"""Hosts and members: the local owner that a fresh install runs as, and members' MCP bearer tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from domain.errors import NotFound
from domain.hosts import Actor, Channel, Host, Member, Role
from domain.properties import validate_timezone
from tools.context import AppDeps

LOCAL_OWNER = ("local", "owner")  # identity of the owner who runs the CLI on this machine


async def ensure_local_owner(
    deps: AppDeps, *, name: str = "Local host", timezone: str = "UTC", channel: Channel = Channel.CLI
) -> Actor:
    """The owner of this installation, created on first use. Returns an actor for it."""
    validate_timezone(timezone)
    async with deps.uow() as uow:
        member = await uow.members.find_by_identity(*LOCAL_OWNER)
        if member is None:
            now = deps.clock.now()
            host = Host(id=deps.ids.new_id("host"), name=name, timezone=timezone, created_at=now)
            member = Member(
                id=deps.ids.new_id("mem"),
                host_id=host.id,
                name="Owner",
                role=Role.OWNER,
                created_at=now,
                identities={LOCAL_OWNER[0]: LOCAL_OWNER[1]},
            )
            await uow.hosts.add(host)
            await uow.members.add(member)
            await uow.commit()
    return Actor(host_id=member.host_id, member_id=member.id, role=member.role, channel=channel)


async def find_local_owner(deps: AppDeps, *, channel: Channel = Channel.CLI) -> Actor | None:
    """The owner of this installation, or None before its first use. Creates nothing (for read-only commands)."""
    async with deps.uow() as uow:
        member = await uow.members.find_by_identity(*LOCAL_OWNER)
    if member is None:
        return None
    return Actor(host_id=member.host_id, member_id=member.id, role=member.role, channel=channel)


MCP_TOKEN = "mcp_token_sha256"  # the identity kind holding the hash of a member's MCP bearer token
TOKEN_PREFIX = "tov_"  # makes a leaked token recognisable (secret scanners, logs)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_mcp_token(deps: AppDeps, member_id: str) -> str:
    """A new bearer token for the member's MCP clients. Only its SHA-256 is stored, so the token
    is shown once, here; issuing another replaces it (the old one stops working)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with deps.uow() as uow:
        member = await uow.members.get(member_id)
        if member is None:
            raise NotFound("member", member_id)
        member.identities[MCP_TOKEN] = _token_digest(token)
        await uow.members.update(member)
        await uow.commit()
    return token


async def member_for_token(deps: AppDeps, token: str) -> Actor | None:
    """The member an MCP bearer token belongs to, as an actor on the MCP channel; None if no member has it."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    digest = _token_digest(token)
    async with deps.uow() as uow:
        member = await uow.members.find_by_identity(MCP_TOKEN, digest)
    if member is None or not hmac.compare_digest(member.identities.get(MCP_TOKEN, ""), digest):
        return None
    return Actor(host_id=member.host_id, member_id=member.id, role=member.role, channel=Channel.MCP)
