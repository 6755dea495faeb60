"""The chat command table: `/today`, `/tasks`, `/approve N` ... one table for every chat channel.

The console (`turnover chat`) uses it now; the Slack and Telegram bots use the same table. A command
parses its arguments into typed values, *fetches* its data by calling catalog tools as the person
(`catalog.call(name, ctx, args)`: the same scope, role and money checks as every other channel),
then *renders* that data with a pure function. The plain text comes from
`channels/console/render.py`; Slack and Telegram render their own blocks from the same data.

    table = default_commands()
    reply = await table.respond(Session(catalog, ctx), "/approve 1 fine this once")
    reply.text      # what to show: a domain error is one friendly line, never a traceback
    reply.data      # what the command fetched (None when the line was not understood)
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from channels.console import render
from domain.errors import InvalidInput, TurnoverError
from domain.tasks import OPEN_STATUSES
from tools.context import ToolContext
from tools.registry import Catalog

Args = dict[str, Any]
Data = dict[str, Any]  # one item of a tool's JSON result


@dataclass(frozen=True, slots=True)
class Session:
    """Who is talking (the actor in `ctx`) and the tools they reach."""

    catalog: Catalog
    ctx: ToolContext
    shown_approvals: list[str] = field(default_factory=list)  # ids in the order /approvals last numbered them

    async def call(self, tool: str, **arguments: Any) -> Any:
        """Run one tool for the person; JSON-ready data (dicts, lists, strings) comes back."""
        return await self.catalog.call(tool, self.ctx, arguments)


@dataclass(frozen=True, slots=True)
class Param:
    """One argument of a command: `convert` turns the word into a typed value or raises ValueError."""

    name: str
    convert: Callable[[str], Any] = str
    optional: bool = False
    rest: bool = False  # takes the rest of the line (free text such as a note or a property's name)
    means: str = ""  # said when the value cannot be converted

    @property
    def usage(self) -> str:
        return f"[{self.name}]" if self.optional else self.name


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    summary: str  # one line for /help
    fetch: Callable[[Session, Args], Awaitable[Any]]
    render: Callable[[Any], str]  # pure: data -> plain text
    params: tuple[Param, ...] = ()

    @property
    def usage(self) -> str:
        return " ".join([f"/{self.name}", *(p.usage for p in self.params)])

    def parse(self, text: str) -> Args:
        """The typed arguments from the text after the command's name, or InvalidInput with the usage."""
        args: Args = {}
        rest = text.strip()
        for param in self.params:
            if param.rest:
                word, rest = rest, ""
            else:
                word, _, rest = rest.partition(" ")
                rest = rest.strip()
            if not word:
                if not param.optional:
                    raise InvalidInput(f"/{self.name} needs {param.name}. Usage: {self.usage}")
                args[param.name] = None
                continue
            try:
                args[param.name] = param.convert(word)
            except ValueError:
                raise InvalidInput(f"{word!r} is not {param.means or param.name}. Usage: {self.usage}") from None
        if rest:
            raise InvalidInput(f"/{self.name} takes no more than that. Usage: {self.usage}")
        return args


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    command: str | None = None  # the command that ran (None: the line was not understood)
    data: Any = None  # what the command fetched, for channels that render their own blocks
    ok: bool = True


class UnknownCommand(InvalidInput):
    pass


@dataclass(frozen=True, slots=True)
class HelpView:
    commands: list[tuple[str, str]]  # (usage, summary)
    footer: str = ""


class CommandTable:
    """The commands by name, with a `/help` generated from them."""

    def __init__(self, commands: Iterable[Command], *, help_footer: str = "") -> None:
        self._commands = {c.name: c for c in commands}
        self._footer = help_footer

        async def fetch_help(session: Session, args: Args) -> HelpView:
            return HelpView([(c.usage, c.summary) for c in self], self._footer)

        self._commands.setdefault("help", Command("help", "what you can ask", fetch_help, render.help_text))

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands.values())

    def get(self, name: str) -> Command | None:
        return self._commands.get(name.lower())

    def parse(self, line: str) -> tuple[Command, Args]:
        """The command a line names and its typed arguments; UnknownCommand or InvalidInput otherwise."""
        head, _, tail = line.strip().partition(" ")
        name = head.removeprefix("/").split("@", 1)[0]  # Telegram sends /tasks@turnover_bot in groups
        command = self.get(name)
        if command is None:
            close = difflib.get_close_matches(name.lower(), list(self._commands), n=1, cutoff=0.6)
            hint = f"Did you mean /{close[0]}? " if close else ""
            raise UnknownCommand(f"There is no {head} command. {hint}/help lists what you can ask.")
        return command, command.parse(tail)

    async def respond(self, session: Session, line: str) -> Reply:
        """Parse, fetch and render one line; a domain error becomes one friendly line."""
        try:
            command, args = self.parse(line)
        except TurnoverError as exc:
            return Reply(str(exc), ok=False)
        try:
            data = await command.fetch(session, args)
        except TurnoverError as exc:
            return Reply(str(exc), command=command.name, ok=False)
        return Reply(command.render(data), command=command.name, data=data)


# --- what each command fetches --------------------------------------------------------------------

PAGE, MAX_PAGES = 200, 10
SHOWN = 20  # items a list shows before "and N more"


@dataclass(frozen=True, slots=True)
class TodayView:
    day: str  # ISO date: today where the properties are
    departures: list[Data]  # upcoming_reservations items leaving today
    arrivals: list[Data]
    tasks: list[Data]  # list_tasks items starting or due today (cancelled ones left out)
    approvals: int  # waiting for a decision
    needing_you: int  # open tasks the pipeline handed back (needs_host, failed)


@dataclass(frozen=True, slots=True)
class TasksView:
    tasks: list[Data]  # open tasks, earliest first, at most SHOWN
    more: int  # open tasks not shown
    property_name: str | None = None  # set when narrowed to one property


@dataclass(frozen=True, slots=True)
class ApprovalsView:
    approvals: list[Data]  # list_approvals items; /approve N counts from 1 in this order
    tasks: dict[str, Data]  # task id -> get_task (kind, property name, local start)
    now: str  # ISO instant the list was read at


@dataclass(frozen=True, slots=True)
class HiresView:
    hires: list[Data]  # newest first
    tasks: dict[str, Data]


@dataclass(frozen=True, slots=True)
class FeedsView:
    feeds: list[Data]  # feed_health items
    now: str


def approval_ref(word: str) -> int | str:
    """An approval number as /approvals shows it (1, 2 ...), or an approval id."""
    if word.isdigit():
        if int(word) < 1:
            raise ValueError(word)
        return int(word)
    return word


async def all_tasks(session: Session, property_id: str | None = None) -> list[Data]:
    """Every task (of one property), earliest first, a page at a time."""
    found: list[Data] = []
    for _ in range(MAX_PAGES):
        batch = await session.call("list_tasks", property_id=property_id, limit=PAGE, offset=len(found))
        found += batch
        if len(batch) < PAGE:
            break
    return found


async def tasks_by_id(session: Session, task_ids: Iterable[str]) -> dict[str, Data]:
    return {task_id: await session.call("get_task", task_id=task_id) for task_id in dict.fromkeys(task_ids)}


async def find_property(session: Session, text: str) -> Data:
    """A property by id or by name (exact, then the start of it, then any part; any case)."""
    props: list[Data] = await session.call("list_properties", limit=PAGE)
    wanted = text.casefold()
    for matches in (
        [p for p in props if p["id"] == text or p["name"].casefold() == wanted],
        [p for p in props if p["name"].casefold().startswith(wanted)],
        [p for p in props if wanted in p["name"].casefold()],
    ):
        if len(matches) == 1:
            return matches[0]
        if matches:
            names = ", ".join(p["name"] for p in matches)
            raise InvalidInput(f"{text!r} could be {names}: say which.")
    raise InvalidInput(f"No property is called {text!r}. /properties lists them.")


async def fetch_today(session: Session, args: Args) -> TodayView:
    summary = await session.call("get_summary", days=1)
    today = {p["property_id"]: p["first_night"] for p in summary["properties"]}  # each property's local today
    stays = await session.call("upcoming_reservations", days=1)
    tasks = [
        t
        for t in await all_tasks(session)
        if t["status"] != "cancelled" and today.get(t["property_id"]) in (t["start"][:10], t["deadline"][:10])
    ]
    total = summary["total"]
    return TodayView(
        day=min(today.values(), default=session.ctx.deps.clock.now().date().isoformat()),
        departures=[s for s in stays if s["today"] == "departs_today"],
        arrivals=[s for s in stays if s["today"] == "arrives_today"],
        tasks=tasks,
        approvals=total["open_approvals"],
        needing_you=total["tasks_needing_you"],
    )


async def fetch_tasks(session: Session, args: Args) -> TasksView:
    prop = await find_property(session, args["property"]) if args["property"] else None
    found = await all_tasks(session, prop["id"] if prop else None)
    open_tasks = [t for t in found if t["status"] in OPEN]
    return TasksView(open_tasks[:SHOWN], max(0, len(open_tasks) - SHOWN), prop["name"] if prop else None)


async def waiting_approvals(session: Session) -> list[Data]:
    return list(await session.call("list_approvals", limit=PAGE))


async def fetch_approvals(session: Session, args: Args) -> ApprovalsView:
    waiting = await waiting_approvals(session)
    session.shown_approvals[:] = [str(a["id"]) for a in waiting]
    tasks = await tasks_by_id(session, (a["task_id"] for a in waiting))
    return ApprovalsView(waiting, tasks, session.ctx.deps.clock.now().isoformat())


async def resolve_approval(session: Session, ref: int | str) -> str:
    """The id of approval number `ref` as /approvals last showed it (so a card that expired or was decided
    meanwhile never shifts N onto another worker), or `ref` itself when it is an id."""
    if isinstance(ref, str):
        return ref
    if session.shown_approvals:
        if ref > len(session.shown_approvals):
            raise InvalidInput(f"There is no approval {ref} in the last /approvals list.")
        return session.shown_approvals[ref - 1]
    waiting = await waiting_approvals(session)
    if not waiting:
        raise InvalidInput("No approvals are waiting.")
    if ref > len(waiting):
        count = "1 is" if len(waiting) == 1 else f"{len(waiting)} are"
        raise InvalidInput(f"There is no approval {ref}: {count} waiting. /approvals lists them.")
    return str(waiting[ref - 1]["id"])


def decide(approve: bool) -> Callable[[Session, Args], Awaitable[Data]]:
    async def fetch(session: Session, args: Args) -> Data:
        approval_id = await resolve_approval(session, args["N"])
        note = args["note"] or ""
        return dict(await session.call("decide_approval", approval_id=approval_id, approve=approve, note=note))

    return fetch


async def fetch_properties(session: Session, args: Args) -> list[Data]:
    return list(await session.call("list_properties", limit=PAGE))


async def fetch_feeds(session: Session, args: Args) -> FeedsView:
    return FeedsView(await session.call("feed_health"), session.ctx.deps.clock.now().isoformat())


async def fetch_hires(session: Session, args: Args) -> HiresView:
    hires = await session.call("list_hires", limit=SHOWN)
    return HiresView(hires, await tasks_by_id(session, (h["task_id"] for h in hires)))


OPEN = frozenset(status.value for status in OPEN_STATUSES)
APPROVAL = Param("N", approval_ref, means="an approval number (see /approvals) or an approval id")
NOTE = Param("note", optional=True, rest=True)


def default_commands(*, help_footer: str = "") -> CommandTable:
    """The chat commands every channel offers, in the order /help lists them."""
    return CommandTable(
        [
            Command("today", "today: departures and cleans, arrivals, tasks due, approvals waiting",
                    fetch_today, render.today_text),
            Command("tasks", "open tasks, of every property or of one (by name)", fetch_tasks, render.tasks_text,
                    (Param("property", optional=True, rest=True),)),
            Command("approvals", "hires waiting for your decision, numbered", fetch_approvals, render.approvals_text),
            Command("approve", "approve hire N of /approvals: the worker is booked", decide(True),
                    render.decision_text, (APPROVAL, NOTE)),
            Command("decline", "decline hire N of /approvals: the task comes back to you", decide(False),
                    render.decision_text, (APPROVAL, NOTE)),
            Command("properties", "your properties and their rules", fetch_properties, render.properties_text),
            Command("feeds", "how each calendar feed is doing", fetch_feeds, render.feeds_text),
            Command("hires", "the latest hires: who, for what, at what price", fetch_hires, render.hires_text),
        ],
        help_footer=help_footer,
    )  # fmt: skip
