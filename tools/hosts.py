"""Hosts and members: the local owner that a fresh install runs as."""

from __future__ import annotations

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
