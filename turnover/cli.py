"""The `turnover` command. Imports stay inside each command so `turnover --help` is instant."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Sequence

from turnover.approvals_cli import register as register_approval_commands  # stdlib only at import
from turnover.chat_cli import register as register_chat_commands  # stdlib only at import
from turnover.feeds_cli import register as register_feed_commands  # stdlib only at import
from turnover.mcp_cli import register as register_mcp_commands  # stdlib only at import
from turnover.tools_cli import register as register_tool_commands  # stdlib only at import

Handler = Callable[[argparse.Namespace], int]


def _version(args: argparse.Namespace) -> int:
    from turnover import __version__

    print(f"turnover {__version__}")
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from turnover.settings import load_settings

    settings = load_settings()
    from storage.database import upgrade_database

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    revision = asyncio.run(upgrade_database(settings.resolved_database_url))
    print(f"database at revision {revision}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from turnover.demo import run_demo

    return asyncio.run(run_demo(once=args.once, as_json=args.json))


def _sandbox(args: argparse.Namespace) -> int:
    from integrations.rentahuman.sandbox.server import serve

    url = f"http://127.0.0.1:{args.port}/api"
    print(f"RentAHuman sandbox on {url} (seed {args.seed}); Ctrl-C stops it", file=sys.stderr)
    serve(port=args.port, seed=args.seed)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="turnover",
        description="Turnover: calendar sync, turnover planning and hiring for short-term-rental hosts.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", help="run the whole pipeline on the embedded default (no account needed)")
    demo.add_argument("--once", action="store_true", help="exit after one pass instead of ticking until Ctrl-C")
    demo.add_argument("--json", action="store_true", help="print only the counts as JSON on stdout (implies --once)")
    demo.set_defaults(handler=_demo)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="COMMAND", required=True)
    db_commands.add_parser("upgrade", help="migrate the database to this version's schema").set_defaults(
        handler=_db_upgrade
    )

    sandbox = commands.add_parser("sandbox", help="run the local RentAHuman sandbox server alone")
    sandbox.add_argument("--port", type=int, default=8787, help="port on 127.0.0.1 (default 8787)")
    sandbox.add_argument("--seed", type=int, default=7, help="seed for workers and ids (default 7)")
    sandbox.set_defaults(handler=_sandbox)

    register_feed_commands(commands)
    register_approval_commands(commands)
    register_tool_commands(commands)
    register_chat_commands(commands)
    register_mcp_commands(commands)
    commands.add_parser("version", help="print the version").set_defaults(handler=_version)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    from domain.errors import ConfigurationError, TurnoverError

    try:
        return handler(args)
    except ConfigurationError as exc:
        print(f"turnover: {exc}", file=sys.stderr)
        return 2
    except TurnoverError as exc:
        print(f"turnover: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
