"""Who may do what: the roles that read and decide, and the host scope every lookup goes through.

Another host's data does not exist for an actor: a lookup outside the actor's host is `NotFound`,
never `PermissionDenied`, so ids cannot be probed.
"""

from __future__ import annotations

from domain.errors import NotFound
from domain.feeds import Feed
from domain.hosts import Actor, Role
from domain.ports import UnitOfWork
from domain.properties import Property
from domain.tasks import Task
from tools.context import ToolContext

READERS = (Role.OWNER, Role.APPROVER, Role.VIEWER)
DECIDERS = (Role.OWNER, Role.APPROVER)
PROPERTY_PAGE = 200  # co-hosts and managers: they run the day-to-day and decide spending


async def owned_property(uow: UnitOfWork, ctx: ToolContext, property_id: str) -> Property:
    """The actor's host's property, or NotFound."""
    prop = await uow.properties.get(property_id)
    if prop is None or prop.host_id != ctx.actor.host_id:
        raise NotFound("property", property_id)
    return prop


async def host_properties(uow: UnitOfWork, ctx: ToolContext, property_id: str | None = None) -> list[Property]:
    """Every property of the actor's host in the order they were added, or just `property_id` (NotFound
    for another host's)."""
    if property_id is not None:
        return [await owned_property(uow, ctx, property_id)]
    props: list[Property] = []
    while batch := await uow.properties.list_for_host(ctx.actor.host_id, limit=PROPERTY_PAGE, offset=len(props)):
        props += batch
    return props


async def owned_task(uow: UnitOfWork, ctx: ToolContext, task_id: str) -> tuple[Task, Property]:
    """The actor's host's task with its property, or NotFound."""
    task = await uow.tasks.get(task_id)
    prop = await uow.properties.get(task.property_id) if task else None
    if task is None or prop is None or prop.host_id != ctx.actor.host_id:
        raise NotFound("task", task_id)
    return task, prop


async def owned_feed(uow: UnitOfWork, ctx: ToolContext, feed_id: str) -> tuple[Feed, Property]:
    """The actor's host's feed with its property, or NotFound."""
    feed = await uow.feeds.get(feed_id)
    prop = await uow.properties.get(feed.property_id) if feed else None
    if feed is None or prop is None or prop.host_id != ctx.actor.host_id:
        raise NotFound("feed", feed_id)
    return feed, prop


async def describe_actor(uow: UnitOfWork, actor: Actor) -> str:
    """The actor as people read it in notes and notifications: "Rita via slack"."""
    member = await uow.members.get(actor.member_id)
    return f"{member.name if member else actor.member_id} via {actor.channel.value}"
