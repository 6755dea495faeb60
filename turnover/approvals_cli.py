"""`turnover approvals`, `turnover approve ID`, `turnover decline ID`: spending waiting for a person.

They run the `list_approvals` and `decide_approval` tools as the local owner over the CLI channel (a
person at the keyboard; the agent can never decide). Only the standard library is imported at
module level, so `turnover --help` stays fast.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listing = commands.add_parser(
        "approvals",
        help="list hires waiting for an approver",
        description="List the proposed hires above a property's auto-approve limit that wait for a decision.",
    )
    listing.add_argument("--json", action="store_true", help="print one JSON list on stdout")
    listing.set_defaults(handler=_list)
    for verb, approve in (("approve", True), ("decline", False)):
        command = commands.add_parser(
            verb,
            help=f"{verb} a proposed hire",
            description=(
                "Approve a proposed hire: the budgets are checked again and the worker is booked at once."
                if approve
                else "Decline a proposed hire: the task goes back to you."
            ),
        )
        command.add_argument("approval_id", metavar="APPROVAL_ID")
        command.add_argument("--note", default="", help="why, for the audit log")
        command.add_argument("--json", action="store_true", help="print the decision as JSON on stdout")
        command.set_defaults(handler=_decide, approve=approve)


def _list(args: argparse.Namespace) -> int:
    return asyncio.run(_run(None, approve=False, note="", as_json=args.json))


def _decide(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args.approval_id, approve=args.approve, note=args.note, as_json=args.json))


async def _run(approval_id: str | None, *, approve: bool, note: str, as_json: bool) -> int:
    from channels.console.notifier import ConsoleNotifier
    from domain.errors import NotFound
    from tools.approvals import decide_approval, list_approvals
    from tools.context import ToolContext
    from tools.hosts import find_local_owner
    from turnover.bootstrap import bootstrap
    from turnover.settings import load_settings

    async with bootstrap(load_settings(), notifier=ConsoleNotifier(None), start_sandbox=approval_id is not None) as app:
        owner = await find_local_owner(app.deps)
        if owner is None:
            if approval_id is not None:
                raise NotFound("approval", approval_id)
            print("[]" if as_json else "No approvals waiting.")
            return 0
        ctx = ToolContext(app.deps, owner)  # the CLI channel: a person at the keyboard
        if approval_id is None:
            waiting = await list_approvals(ctx)
            _print([a.model_dump(mode="json") for a in waiting], as_json)
            return 0
        decided = await decide_approval(ctx, approval_id=approval_id, approve=approve, note=note)
    _print(decided.model_dump(mode="json"), as_json)
    return 0


def _print(payload: Any, as_json: bool) -> None:
    import json

    if as_json:
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    rows = payload if isinstance(payload, list) else [payload]
    if not rows:
        print("No approvals waiting.")
        return
    for row in rows:
        line = f"{row['id']}  {row['status']:<9} {row['worker']} for task {row['task_id']}: {row['amount']}"
        print(f"{line} ({row['reason']})" + (f"\n  {row['message']}" if row.get("message") else ""), file=sys.stdout)
