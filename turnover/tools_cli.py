"""`turnover tools` lists the tool catalog; `turnover call TOOL '{"arg": ...}'` runs any tool.

`call` runs as the local owner on the CLI channel (a person at the keyboard) and prints the tool's
result as JSON on stdout and nothing else, so self-hosters can script and cron everything. A failure
is exit code 1 and one line on stderr. Only the standard library is imported at module level, so
`turnover --help` stays fast.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tools.registry import Catalog, ToolSpec

FLAGS = (  # ToolMeta field -> the word a person reads
    ("read_only", "read-only"),
    ("destructive", "destructive"),
    ("spends_money", "spends money"),
    ("needs_approval", "needs approval"),
    ("humans_only", "humans only"),
    ("open_world", "calls out"),
)
JSON_KINDS = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listing = commands.add_parser(
        "tools",
        help="list the tools (everything Turnover can do)",
        description="List every tool of the catalog with its flags and what it does. Needs no database.",
    )
    listing.add_argument("--json", action="store_true", help="print one JSON list with each tool's parameter schema")
    listing.set_defaults(handler=_list)
    call = commands.add_parser(
        "call",
        help="run one tool as the local owner and print its result as JSON",
        description=(
            "Run one tool as the local owner and print its result as JSON on stdout (exit 1 and one line on "
            "stderr on failure). Example: turnover call list_tasks '{\"limit\": 10}'"
        ),
    )
    call.add_argument("tool", metavar="TOOL", help="the tool's name (see `turnover tools`)")
    call.add_argument("arguments", metavar="ARGS", nargs="?", default="{}", help="a JSON object; - reads it from stdin")
    call.set_defaults(handler=_call)


def flag_words(spec: ToolSpec) -> list[str]:
    return [word for field, word in FLAGS if getattr(spec.meta, field)]


def describe(spec: ToolSpec) -> dict[str, Any]:
    """One tool as `turnover tools --json` prints it."""
    import dataclasses

    return {
        "name": spec.name,
        "description": spec.description,
        "flags": dataclasses.asdict(spec.meta),
        "parameters": spec.parameters_schema(),
    }


def first_sentence(text: str) -> str:
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def listing(catalog: Catalog) -> str:
    """The catalog as aligned plain text: name, flags, what it does (its first sentence)."""
    rows = [(spec.name, ", ".join(flag_words(spec)), first_sentence(spec.summary)) for spec in catalog]
    name_width = max(len(r[0]) for r in rows)
    flags_width = max(len(r[1]) for r in rows)
    return "\n".join(f"{n:<{name_width}}  {f:<{flags_width}}  {s}".rstrip() for n, f, s in rows)


def _list(args: argparse.Namespace) -> int:
    import json

    from tools.catalog import default_catalog

    catalog = default_catalog()
    if args.json:
        print(json.dumps([describe(spec) for spec in catalog], ensure_ascii=False, indent=2))
    else:
        print(listing(catalog))
    return 0


def parse_arguments(text: str) -> dict[str, Any]:
    """The JSON object of a call's arguments, or InvalidInput saying where it went wrong."""
    import json

    from domain.errors import InvalidInput

    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"The arguments are not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}."
        ) from None
    if not isinstance(value, dict):
        kind = JSON_KINDS.get(type(value), "value")
        raise InvalidInput(f'The arguments must be a JSON object like {{"limit": 10}}, not {kind}.')
    return value


def find_tool(catalog: Catalog, name: str) -> ToolSpec:
    """The tool called `name`, or NotFound suggesting the closest names."""
    import difflib

    from domain.errors import NotFound

    if name in catalog:
        return catalog.get(name)
    close = difflib.get_close_matches(name, catalog.names(), n=3, cutoff=0.6)
    hint = f"Did you mean {' or '.join(close)}?" if close else "`turnover tools` lists them."
    error = NotFound("tool", name)
    error.args = (f"There is no tool called {name!r}. {hint}",)
    raise error


def needs_sandbox(spec: ToolSpec) -> bool:
    """Start the local marketplace sandbox unless the tool only reads our own database."""
    return not spec.meta.read_only or spec.meta.open_world


def _call(args: argparse.Namespace) -> int:
    import json

    from tools.catalog import default_catalog

    catalog = default_catalog()
    spec = find_tool(catalog, args.tool)
    arguments = parse_arguments(sys.stdin.read() if args.arguments == "-" else args.arguments)
    spec.validate(arguments)  # a bad argument fails before the database or the sandbox starts
    result = asyncio.run(_run(catalog, spec, arguments))
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


async def _run(catalog: Catalog, spec: ToolSpec, arguments: dict[str, Any]) -> Any:
    from channels.console.notifier import ConsoleNotifier
    from tools.context import ToolContext
    from tools.hosts import ensure_local_owner
    from turnover.bootstrap import bootstrap
    from turnover.settings import load_settings

    notifier = ConsoleNotifier(sys.stderr)  # stdout carries only the result
    async with bootstrap(load_settings(), notifier=notifier, start_sandbox=needs_sandbox(spec)) as app:
        ctx = ToolContext(app.deps, await ensure_local_owner(app.deps))  # Channel.CLI: a person at the keyboard
        return await catalog.call(spec.name, ctx, arguments)
