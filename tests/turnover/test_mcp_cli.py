"""`turnover mcp token` as a user runs it: a real subprocess and a real database."""

from __future__ import annotations

from pathlib import Path

from channels.console.notifier import ConsoleNotifier
from tests.turnover.test_cli import run
from tools.hosts import find_local_owner, member_for_token
from turnover.bootstrap import bootstrap
from turnover.settings import load_settings


def token_command(data_dir: Path, *args: str) -> tuple[int, str, str]:
    result = run("mcp", "token", *args, env={"TURNOVER_DATA_DIR": str(data_dir)}, timeout=120)
    return result.returncode, result.stdout, result.stderr


def files_containing(root: Path, text: str) -> list[Path]:
    return [f for f in root.rglob("*") if f.is_file() and text.encode() in f.read_bytes()]


async def test_a_token_is_printed_once_for_the_local_owner_and_only_its_hash_is_stored(tmp_path: Path) -> None:
    code, out, err = token_command(tmp_path)
    token = out.strip()
    assert code == 0 and out.count("\n") == 1 and token.startswith("tov_")
    assert "will not be shown again" in err and token not in err
    assert files_containing(tmp_path, token) == []
    settings = load_settings(data_dir=tmp_path, database_url=None, now=None, rentahuman_api_key=None)
    async with bootstrap(settings, notifier=ConsoleNotifier(None), start_sandbox=False) as app:
        owner = await find_local_owner(app.deps)
        actor = await member_for_token(app.deps, token)
    assert owner is not None and actor is not None
    assert (actor.member_id, actor.channel.value) == (owner.member_id, "mcp")


def test_a_token_for_an_unknown_member_is_one_line_with_exit_code_1(tmp_path: Path) -> None:
    code, out, err = token_command(tmp_path, "--member", "mem_nobody")
    assert (code, out, err) == (1, "", "turnover: No member with id 'mem_nobody'.\n")
