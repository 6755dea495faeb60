"""`turnover feeds inspect`, `turnover feeds health` and `turnover sync`.

Only the standard library is imported here: each handler imports what it needs when it runs, so
`turnover --help` stays fast. Feed URLs are secrets (their path or query is the access token):
nothing here prints one in full, and every error line is scrubbed of URLs before it is shown.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    import httpx

    from domain.calendar import FeedSnapshot
    from scheduler.notify import NotifyReport
    from scheduler.plan import PlanReport
    from scheduler.sync import SyncReport
    from tools.context import AppDeps

PLATFORM_CHOICES = ("auto", "airbnb", "vrbo", "booking", "generic")
PRODID_HINTS = (("airbnb inc", "airbnb"), ("homeaway", "vrbo"), ("booking.com", "booking"))
PRODID_LINE = re.compile(rb"^PRODID[;:][^\r\n]*", re.IGNORECASE | re.MULTILINE)
PROLOGUE_BYTES = 64 * 1024  # the PRODID is in the header, long before this
SYNC_KEYS = (
    "feeds", "failed", "held", "new", "changed", "cancelled",
    "tasks_created", "tasks_rescheduled", "tasks_cancelled", "errors",
)  # fmt: skip


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `feeds inspect`, `feeds health` and `sync` to the `turnover` parser."""
    feeds = commands.add_parser("feeds", help="look at calendar feeds")
    feed_commands = feeds.add_subparsers(dest="feeds_command", metavar="COMMAND", required=True)
    inspect = feed_commands.add_parser(
        "inspect",
        help="show how each event of a calendar file or URL is classified",
        description="Read an iCalendar file or fetch a feed URL and show how Turnover classifies each event. "
        "Nothing is stored.",
    )
    inspect.add_argument("source", metavar="FILE_OR_URL", help="a .ics file, or an http(s) feed URL (never printed)")
    inspect.add_argument(
        "--platform",
        choices=PLATFORM_CHOICES,
        default="auto",
        help="whose SUMMARY rules to apply (default auto: guessed from the PRODID line)",
    )
    inspect.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    inspect.set_defaults(handler=_inspect)
    health = feed_commands.add_parser(
        "health",
        help="show how each stored feed is doing: status, last good fetch, failures, held changes",
        description="Show the health of every calendar feed of the local host: its status (ok, failing, stale, "
        "held or never_fetched), last good fetch (local time), failures and any change held back for "
        "confirmation. Nothing is fetched.",
    )
    health.add_argument("--json", action="store_true", help="print the feeds as one JSON list on stdout")
    health.set_defaults(handler=_health)

    sync = commands.add_parser(
        "sync",
        help="fetch every feed, reconcile reservations and plan tasks",
        description="Fetch every calendar feed now, reconcile its reservations, plan the tasks they call for and "
        "send the notifications; then repeat every TURNOVER_SYNC_INTERVAL_MINUTES until Ctrl-C.",
    )
    sync.add_argument("--once", action="store_true", help="exit after one pass")
    sync.add_argument("--json", action="store_true", help="print only the counts as JSON on stdout (implies --once)")
    sync.set_defaults(handler=_sync)


def scrub(text: str) -> str:
    """Replace any URL in `text` by its redacted form (scheme and host only)."""
    from tools.feed_preview import scrub as scrub_urls

    return scrub_urls(text)


# ---------------------------------------------------------------------------------------------
# feeds inspect


@dataclass(slots=True)
class Inspection:
    platform: str
    reservations: list[dict[str, Any]] = field(default_factory=list)
    blocks: list[dict[str, Any]] = field(default_factory=list)
    unclassified: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: bool = False  # nothing usable: a missing file, a failed fetch, a body that is not a calendar

    def as_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "reservations": self.reservations,
            "blocks": self.blocks,
            "unclassified": self.unclassified,
            "errors": self.errors,
        }


def platform_from_prodid(body: bytes) -> str:
    """A hint only: the platform whose PRODID the first PRODID line carries, else generic."""
    match = PRODID_LINE.search(body)
    line = match.group().decode("utf-8", "replace").lower() if match else ""
    return next((platform for needle, platform in PRODID_HINTS if needle in line), "generic")


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def _inspect(args: argparse.Namespace) -> int:
    import json

    source: str = args.source
    if is_url(source):
        snapshot, prologue = asyncio.run(_fetch(source))
        where = scrub(source)
    else:
        path = Path(source)
        try:
            body = path.read_bytes()
        except OSError as exc:
            why = "no such file" if isinstance(exc, FileNotFoundError) else (exc.strerror or type(exc).__name__)
            message = f"cannot read {scrub(source)}: {why}"
            if args.json:
                platform = "generic" if args.platform == "auto" else args.platform
                report = Inspection(platform, errors=[message], failed=True)
                print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
            else:
                print(f"turnover: {message}", file=sys.stderr)
            return 1
        from integrations.calendars.parse import parse_calendar

        snapshot, prologue, where = parse_calendar(body), body[:PROLOGUE_BYTES], source
    if args.platform == "auto":
        platform = platform_from_prodid(prologue)
        how = "from the PRODID line" if platform != "generic" else "no known PRODID: generic rules"
    else:
        platform, how = args.platform, "as given"
    report = inspect_snapshot(snapshot, platform)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print_inspection(report, where=where, how=how, out=sys.stdout)
    return 1 if report.failed else 0


def inspect_snapshot(snapshot: FeedSnapshot, platform_name: str) -> Inspection:
    """Classify every event the way the sync engine would, with default feed options."""
    from domain.feeds import Platform
    from tools.feed_preview import preview_snapshot

    preview = preview_snapshot(snapshot, Platform(platform_name)).model_dump(mode="json")
    del preview["ok"]
    return Inspection(**preview, failed=not snapshot.ok)


def print_inspection(report: Inspection, *, where: str, how: str, out: TextIO) -> None:
    from channels.console.tables import table

    print(f"Source: {printable(where)}", file=out)
    print(f"Platform: {report.platform} ({how})", file=out)
    if report.failed:
        print("\nNot usable: nothing in it was classified.", file=out)
    else:
        sections: list[tuple[str, list[str], list[list[str]]]] = [
            (
                "Reservations",
                ["check-in", "check-out", "nights", "status", "code", "guest", "uid"],
                [
                    _cells(r, "check_in", "check_out", "nights", "status", "code", "guest", "uid")
                    for r in report.reservations
                ],
            ),
            ("Blocks", ["start", "end", "uid"], [_cells(b, "start", "end", "uid") for b in report.blocks]),
            (
                "Unclassified (a SUMMARY this platform's rules do not know: neither a stay nor a block)",
                ["start", "end", "summary", "uid"],
                [_cells(u, "start", "end", "summary", "uid") for u in report.unclassified],
            ),
        ]
        for title, headers, rows in sections:
            print(f"\n== {title}: {len(rows)}", file=out)
            if rows:
                print(table(headers, rows), file=out)
    if report.errors:
        print(f"\n== Errors: {len(report.errors)}", file=out)
        for error in report.errors:
            print(f"! {printable(error)}", file=out)


def _cells(item: dict[str, Any], *keys: str) -> list[str]:
    return [printable("" if item[key] is None else str(item[key])) for key in keys]


def printable(text: str) -> str:
    """Feed text is outside data: no control character reaches the terminal."""
    return "".join(char if char.isprintable() else "?" for char in text)


async def _fetch(url: str) -> tuple[FeedSnapshot, bytes]:
    """Fetch through the production fetcher; also keep the start of the body for the PRODID hint."""
    import httpx

    from integrations.calendars.fetch import HttpFeedFetcher, make_http_client
    from turnover import __version__

    prologue = bytearray()
    async with make_http_client() as client:
        client.headers["Accept-Encoding"] = "identity"  # the tapped bytes are then the body itself

        async def tap(response: httpx.Response) -> None:
            if response.is_success and isinstance(response.stream, httpx.AsyncByteStream):
                prologue.clear()
                response.stream = _tee(response.stream, prologue, response.headers.get("Content-Encoding", ""))

        client.event_hooks["response"].append(tap)
        snapshot = await HttpFeedFetcher(client, version=__version__).fetch(url)
    return snapshot, bytes(prologue)


def _tee(stream: httpx.AsyncByteStream, sink: bytearray, encoding: str) -> httpx.AsyncByteStream:
    """`stream` passed through unchanged, its first (decoded) bytes copied into `sink`."""
    import zlib

    import httpx

    decoder = zlib.decompressobj(wbits=47) if encoding.lower() in ("gzip", "deflate") else None

    def decode(chunk: bytes) -> bytes:
        if decoder is None:
            return chunk
        try:
            return decoder.decompress(chunk, PROLOGUE_BYTES)
        except zlib.error:
            return b""

    class Tee(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            async for chunk in stream:
                if len(sink) < PROLOGUE_BYTES:
                    sink.extend(decode(chunk)[: PROLOGUE_BYTES - len(sink)])
                yield chunk

        async def aclose(self) -> None:
            await stream.aclose()

    return Tee()


# ---------------------------------------------------------------------------------------------
# feeds health


def _health(args: argparse.Namespace) -> int:
    return asyncio.run(run_health(as_json=args.json))


async def run_health(*, as_json: bool) -> int:
    """Run the `feed_health` tool as the local owner (none yet: no feeds) and print what it returns."""
    import json

    from channels.console.notifier import ConsoleNotifier
    from channels.console.tables import feed_health_table
    from tools.context import ToolContext
    from tools.feeds import feed_health
    from tools.hosts import find_local_owner
    from turnover.bootstrap import bootstrap
    from turnover.settings import load_settings

    async with bootstrap(load_settings(), notifier=ConsoleNotifier(None), start_sandbox=False) as app:
        owner = await find_local_owner(app.deps)
        feeds = [] if owner is None else await feed_health(ToolContext(app.deps, owner))
    if as_json:
        print(json.dumps([f.model_dump(mode="json") for f in feeds], ensure_ascii=False, indent=2))
    elif feeds:
        print("\n".join(printable(scrub(line)) for line in feed_health_table(feeds).splitlines()))
    else:
        print("No calendar feeds yet.")
    return 0


# ---------------------------------------------------------------------------------------------
# sync


@dataclass(slots=True)
class SyncPass:
    feeds: int = 0
    failed: int = 0
    held: int = 0
    new: int = 0
    changed: int = 0
    cancelled: int = 0
    tasks_created: int = 0
    tasks_rescheduled: int = 0
    tasks_cancelled: int = 0
    errors: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, sync: SyncReport, plan: PlanReport, sent: NotifyReport) -> SyncPass:
        return cls(
            feeds=sync.feeds,
            failed=sync.failed,
            held=sync.held,
            new=sync.new,
            changed=sync.changed,
            cancelled=sync.cancelled,
            tasks_created=plan.created + plan.reopened,
            tasks_rescheduled=plan.rescheduled,
            tasks_cancelled=plan.cancelled,
            errors=[scrub(e) for e in (*sync.errors, *sent.errors)],
        )

    def as_json(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in SYNC_KEYS}

    def line(self) -> str:
        return (
            f"{_plural(self.feeds, 'feed')} fetched, {self.failed} failed, {self.held} held; "
            f"reservations: {self.new} new, {self.changed} changed, {self.cancelled} cancelled; "
            f"tasks: {self.tasks_created} created, {self.tasks_rescheduled} rescheduled, "
            f"{self.tasks_cancelled} cancelled"
        )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _sync(args: argparse.Namespace) -> int:
    return asyncio.run(run_sync(once=args.once or args.json, as_json=args.json))


async def run_sync(*, once: bool, as_json: bool) -> int:
    import json

    from channels.console.notifier import ConsoleNotifier
    from turnover.bootstrap import bootstrap
    from turnover.settings import load_settings

    settings = load_settings()
    notifier = ConsoleNotifier(sys.stderr if as_json else sys.stdout)  # --json: stdout holds only JSON
    async with bootstrap(settings, notifier=notifier, start_sandbox=False) as app:
        if as_json:
            print(json.dumps((await sync_pass(app.deps)).as_json(), ensure_ascii=False))
            return 0
        while True:
            at = app.deps.clock.now().isoformat(timespec="seconds")
            try:
                result = await sync_pass(app.deps)
            except Exception as exc:  # keep repeating: every step is idempotent, the next pass retries
                if once:
                    raise
                print(f"sync {at}: the pass failed ({type(exc).__name__}): {scrub(str(exc))}", file=sys.stderr)
            else:
                print(f"sync {at}: {result.line()}", flush=True)
                for error in result.errors:
                    print(f"! {error}", flush=True)
            if once:
                return 0
            await asyncio.sleep(settings.sync_interval_minutes * 60)


async def sync_pass(deps: AppDeps) -> SyncPass:
    """Sync every feed now (due or not), plan, then send what the pass recorded."""
    from scheduler.notify import notify
    from scheduler.plan import plan_tasks
    from scheduler.sync import sync_feeds

    synced = await sync_feeds(deps, force=True)
    planned = await plan_tasks(deps, due_only=True)
    sent = await notify(deps)
    return SyncPass.of(synced, planned, sent)
