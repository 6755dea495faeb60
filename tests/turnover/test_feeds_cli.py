"""`turnover feeds inspect`, `feeds health` and `sync` as a user runs them: real subprocesses, HTTP and SQLite."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from channels.console.notifier import ConsoleNotifier
from domain.feeds import Platform
from integrations.calendars.feed_server import FeedServer
from integrations.calendars.synthetic import Stay, airbnb_calendar
from tools.context import ToolContext
from tools.feeds import add_feed
from tools.hosts import ensure_local_owner
from tools.properties import add_property
from turnover.bootstrap import bootstrap
from turnover.settings import load_settings

TURNOVER = [sys.executable, "-m", "turnover.cli"]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ical"
TOKEN = "f3a9c2e71b8d4e05a6c4b2d9e8f70a13"  # an invented feed token: must never be printed
NOW = "2026-11-25T09:00:00Z"
TIMEZONES = [None, "Pacific/Kiritimati", "Pacific/Pago_Pago"]  # None: the runner's own

AIRBNB_1_0_RESERVATIONS = [
    {"uid": "9c3e1a7b5d20-b45096a64fbc4ab893b0291ca4dc064a@airbnb.com", "check_in": "2026-03-08",
     "check_out": "2026-03-11", "nights": 3, "code": "HMK4T7QW2Z", "guest": "", "status": "confirmed"},
    {"uid": "9c3e1a7b5d20-3ad781ea0ed94f33b90e6185b389751b@airbnb.com", "check_in": "2026-03-11",
     "check_out": "2026-03-13", "nights": 2, "code": "HM9XR2DPLC", "guest": "", "status": "confirmed"},
    {"uid": "9c3e1a7b5d20-3a68342c5aae4cbea5c19363f09aed01@airbnb.com", "check_in": "2026-03-14",
     "check_out": "2026-03-18", "nights": 4, "code": "HMZB6NQ4VA", "guest": "", "status": "confirmed"},
    {"uid": "9c3e1a7b5d20-3c21bbcb387c4d1999e3f322bdacb64f@airbnb.com", "check_in": "2026-03-20",
     "check_out": "2026-03-21", "nights": 1, "code": "HMC3JW8YKE", "guest": "", "status": "confirmed"},
]  # fmt: skip
AIRBNB_1_0_BLOCKS = [
    {"uid": "4be8f02c91d6-a26e5b2212fe4318b6d1d26be28186bb@airbnb.com", "start": "2026-03-13", "end": "2026-03-14"},
    {"uid": "4be8f02c91d6-fcc8220a83dd4da69cfa3e5b6cf0ee86@airbnb.com", "start": "2026-09-07", "end": "2027-03-11"},
]


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TURNOVER_")}
    return subprocess.run(
        [*TURNOVER, *args], env=clean | (env or {}), capture_output=True, text=True, timeout=timeout, check=False
    )


def inspect_json(source: str | Path, *extra: str, tz: str | None = None) -> tuple[int, dict[str, Any]]:
    result = run("feeds", "inspect", str(source), "--json", *extra, env={"TZ": tz} if tz else None)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


# --- feeds inspect: files ------------------------------------------------------------------------


@pytest.mark.parametrize("tz", TIMEZONES)
def test_an_airbnb_feed_is_recognised_from_its_prodid_and_lists_stays_with_codes_and_nights(tz: str | None) -> None:
    code, report = inspect_json(FIXTURES / "airbnb_hosting-1.0.ics", tz=tz)
    assert code == 0
    assert report == {
        "platform": "airbnb",
        "reservations": AIRBNB_1_0_RESERVATIONS,
        "blocks": AIRBNB_1_0_BLOCKS,
        "unclassified": [],
        "errors": [],
    }


def test_an_older_airbnb_feed_with_a_redacted_code_gives_a_null_code() -> None:
    code, report = inspect_json(FIXTURES / "airbnb_hosting-0.8.8.ics")
    assert code == 0 and report["platform"] == "airbnb"
    assert [(r["check_in"], r["check_out"], r["nights"], r["code"]) for r in report["reservations"]] == [
        ("2021-07-04", "2021-07-09", 5, "HMP2W8KX5D"),
        ("2021-07-09", "2021-07-11", 2, None),  # HMTxxx3K71 is not a code
    ]
    assert len(report["blocks"]) == 1


@pytest.mark.parametrize("tz", TIMEZONES)
def test_a_vrbo_feed_shows_guest_names_and_its_tentative_hold_as_a_tentative_reservation(tz: str | None) -> None:
    code, report = inspect_json(FIXTURES / "vrbo_english.ics", tz=tz)
    assert code == 0 and report["platform"] == "vrbo"
    assert [(r["check_in"], r["check_out"], r["nights"], r["guest"], r["status"]) for r in report["reservations"]] == [
        ("2026-04-02", "2026-04-06", 4, "Maren & Tobias", "confirmed"),
        ("2026-04-06", "2026-04-09", 3, "O'Neill, Patrick", "confirmed"),
        ("2026-04-12", "2026-04-15", 3, "", "confirmed"),
        ("2026-05-01", "2026-05-04", 3, "Ilse", "tentative"),
    ]
    assert all(r["code"] is None for r in report["reservations"])
    assert report["blocks"] == [
        {"uid": "04242026-0424-2026-0427-202604272026", "start": "2026-04-24", "end": "2026-04-27"}
    ]
    assert report["unclassified"] == [] and report["errors"] == []


def test_a_booking_com_feed_has_only_blocks() -> None:
    code, report = inspect_json(FIXTURES / "bookingcom.ics")
    assert code == 0 and report["platform"] == "booking"
    assert report["reservations"] == [] and report["unclassified"] == []
    assert [(b["start"], b["end"]) for b in report["blocks"]] == [
        ("2026-09-15", "2026-09-19"),
        ("2026-09-22", "2026-09-23"),
        ("2026-10-03", "2026-10-10"),
        ("2027-01-18", "2028-03-16"),
    ]


@pytest.mark.parametrize("tz", TIMEZONES)
def test_an_unknown_summary_is_reported_as_unclassified_not_guessed(tz: str | None) -> None:
    code, report = inspect_json(FIXTURES / "generic_gesperrt.ics", tz=tz)
    assert code == 0 and report["platform"] == "generic"
    assert report["unclassified"] == [
        {
            "uid": "seeblick-2026-0101@belegung.example",
            "start": "2026-06-01",
            "end": "2026-06-05",
            "summary": "Gesperrt",
        }
    ]
    [stay] = report["reservations"]  # DTSTART + DURATION:P3D
    assert (stay["check_in"], stay["check_out"], stay["nights"], stay["guest"]) == (
        "2026-06-05", "2026-06-08", 3, "Familie Brandt",
    )  # fmt: skip
    # A date-time block (16:00 → 10:00 Europe/Berlin) keeps its own calendar dates, whatever the process's zone.
    assert report["blocks"] == [
        {"uid": "seeblick-2026-0103@belegung.example", "start": "2026-06-10", "end": "2026-06-13"}
    ]


def test_the_platform_option_overrides_the_prodid_hint() -> None:
    code, report = inspect_json(FIXTURES / "airbnb_hosting-1.0.ics", "--platform", "generic")
    assert code == 0 and report["platform"] == "generic"
    assert [r["check_in"] for r in report["reservations"]] == [r["check_in"] for r in AIRBNB_1_0_RESERVATIONS]
    assert report["blocks"] == []  # "Airbnb (Not available)" is not a generic block SUMMARY
    assert [u["summary"] for u in report["unclassified"]] == ["Airbnb (Not available)"] * 2


def test_rejected_events_are_listed_as_errors_while_the_rest_of_the_feed_counts() -> None:
    code, report = inspect_json(FIXTURES / "malformed.ics")
    assert code == 0
    assert len(report["blocks"]) == 2 and report["reservations"] == []
    assert len(report["errors"]) == 5 and all(e.startswith("VEVENT #") for e in report["errors"])
    assert any("duplicate UID" in e for e in report["errors"])


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<!DOCTYPE html><html><body>Sign in</body></html>", "not a calendar: an HTML or XML page"),
        (b'{"error": "internal"}', "not a calendar: a JSON body"),
        (b"", "not a calendar: empty body"),
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n",
            "not a calendar: truncated (no END:VCALENDAR at the end)",
        ),
    ],
)
def test_a_file_that_is_not_a_calendar_exits_1_with_the_reason_in_valid_json(
    tmp_path: Path, body: bytes, reason: str
) -> None:
    path = tmp_path / "export.ics"
    path.write_bytes(body)
    code, report = inspect_json(path)
    assert code == 1
    assert report == {"platform": "generic", "reservations": [], "blocks": [], "unclassified": [], "errors": [reason]}


def test_a_file_that_is_not_a_calendar_exits_1_in_the_readable_summary_too(tmp_path: Path) -> None:
    path = tmp_path / "export.ics"
    path.write_bytes(b"<html>oops</html>")
    result = run("feeds", "inspect", str(path))
    assert result.returncode == 1
    assert "not a calendar: an HTML or XML page" in result.stdout and "Traceback" not in result.stderr


def test_a_missing_file_exits_1_with_one_clear_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.ics"
    result = run("feeds", "inspect", str(missing))
    assert result.returncode == 1
    assert result.stderr == f"turnover: cannot read {missing}: no such file\n"
    code, report = inspect_json(missing, "--platform", "vrbo")
    assert code == 1
    assert report == {
        "platform": "vrbo",
        "reservations": [],
        "blocks": [],
        "unclassified": [],
        "errors": [f"cannot read {missing}: no such file"],
    }


def test_the_readable_summary_has_the_platform_tables_and_errors() -> None:
    result = run("feeds", "inspect", str(FIXTURES / "vrbo_english.ics"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Platform: vrbo (from the PRODID line)" in out
    assert "== Reservations: 4" in out and "== Blocks: 1" in out and "Unclassified" in out
    assert "Maren & Tobias" in out and "tentative" in out and "2026-05-01" in out
    overridden = run("feeds", "inspect", str(FIXTURES / "malformed.ics"), "--platform", "airbnb")
    assert "Platform: airbnb (as given)" in overridden.stdout
    assert "== Errors: 5" in overridden.stdout and "! VEVENT #3: no UID" in overridden.stdout


# --- feeds inspect: URLs -------------------------------------------------------------------------


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.mark.parametrize("tz", TIMEZONES)
def test_a_feed_url_gives_the_same_report_as_the_file_and_never_shows_its_token(
    feeds: FeedServer, tz: str | None
) -> None:
    feeds.set("/calendar/ical/4242.ics", (FIXTURES / "airbnb_hosting-1.0.ics").read_bytes())
    url = feeds.url(f"/calendar/ical/4242.ics?t={TOKEN}")
    as_json = run("feeds", "inspect", url, "--json", env={"TZ": tz} if tz else None)
    readable = run("feeds", "inspect", url)
    assert (as_json.returncode, readable.returncode) == (0, 0), as_json.stderr + readable.stderr
    assert json.loads(as_json.stdout) == inspect_json(FIXTURES / "airbnb_hosting-1.0.ics")[1]
    assert f"Source: {feeds.base_url}/…" in readable.stdout
    assert "Platform: airbnb (from the PRODID line)" in readable.stdout
    for result in (as_json, readable):
        for secret in (TOKEN, "4242"):
            assert secret not in result.stdout and secret not in result.stderr
    assert [r.user_agent.startswith("Turnover/") for r in feeds.requests] == [True, True]


def test_a_feed_url_that_fails_exits_1_with_the_reason_and_no_token(feeds: FeedServer) -> None:
    feeds.set("/calendar/ical/4242.ics", b'{"error": "unavailable"}', status=503, content_type="application/json")
    result = run("feeds", "inspect", feeds.url(f"/calendar/ical/4242.ics?t={TOKEN}"), "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["errors"] == ["HTTP 503"]
    assert TOKEN not in result.stdout + result.stderr


def test_a_feed_url_serving_html_is_not_a_calendar(feeds: FeedServer) -> None:
    feeds.set("/calendar/ical/4242.ics", b"<html>log in</html>", content_type="text/html")
    code, report = inspect_json(feeds.url(f"/calendar/ical/4242.ics?t={TOKEN}"))
    assert code == 1 and report["errors"] == ["not a calendar: an HTML or XML page"]


# --- sync ------------------------------------------------------------------------------------------

STAYS = [
    Stay("s1", date(2026, 12, 1), date(2026, 12, 4), code="HMAB23CD45"),
    Stay("s2", date(2026, 12, 4), date(2026, 12, 6), code="HMEF67GH89"),
    Stay("s3", date(2026, 12, 10), date(2026, 12, 13), code="HMJK23LM45"),
]
QUIET = {"feeds": 1, "failed": 0, "held": 0, "new": 0, "changed": 0, "cancelled": 0,
         "tasks_created": 0, "tasks_rescheduled": 0, "tasks_cancelled": 0, "errors": []}  # fmt: skip


def publish(server: FeedServer, stays: list[Stay]) -> None:
    stamp = datetime(2026, 11, 25, 9, tzinfo=UTC)
    server.set("/calendar/ical/4242.ics", airbnb_calendar(stays, [], stamp=stamp, listing_seed="alfama"))


async def add_properties(data_dir: Path, *feeds: tuple[str, str]) -> None:
    """Create the local owner and one property per (name, feed URL) in the data directory's database."""
    settings = load_settings(data_dir=data_dir, database_url=None, now=NOW, rentahuman_api_key=None)
    async with bootstrap(settings, notifier=ConsoleNotifier(None), start_sandbox=False) as app:
        ctx = ToolContext(app.deps, await ensure_local_owner(app.deps, timezone="Europe/Lisbon"))
        for name, url in feeds:
            prop = await add_property(ctx, name=name, city="Lisbon", timezone="Europe/Lisbon")
            await add_feed(ctx, property_id=prop.id, url=url, platform=Platform.AIRBNB)


def sync_json(data_dir: Path) -> dict[str, Any]:
    result = run("sync", "--json", env={"TURNOVER_DATA_DIR": str(data_dir), "TURNOVER_NOW": NOW}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert TOKEN not in result.stdout + result.stderr
    counts: dict[str, Any] = json.loads(result.stdout)  # stdout holds only the JSON
    return counts


@pytest.fixture
async def synced_world(tmp_path: Path, feeds: FeedServer) -> Path:
    publish(feeds, STAYS)
    await add_properties(tmp_path, ("Alfama loft", feeds.url(f"/calendar/ical/4242.ics?t={TOKEN}")))
    return tmp_path


def test_sync_json_counts_new_stays_and_their_cleans_and_a_second_pass_changes_nothing(synced_world: Path) -> None:
    assert sync_json(synced_world) == QUIET | {"new": 3, "tasks_created": 3}
    assert sync_json(synced_world) == QUIET


def test_sync_json_counts_a_moved_stay_and_a_cancelled_one(synced_world: Path, feeds: FeedServer) -> None:
    sync_json(synced_world)
    s1, _, s3 = STAYS
    publish(feeds, [s1, Stay("s3", date(2026, 12, 11), date(2026, 12, 14), code=s3.code)])
    # s3's clean moves with it; s1's clean was due by s2's arrival and now by s3's, so it moves too.
    expected = QUIET | {"changed": 1, "cancelled": 1, "tasks_rescheduled": 2, "tasks_cancelled": 1}
    assert sync_json(synced_world) == expected


def test_an_unreachable_feed_is_counted_as_failed_without_its_url(synced_world: Path) -> None:
    with socket.socket() as closed:  # bound, never listening: connections are refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        asyncio.run(add_properties(synced_world, ("Beach house", f"http://127.0.0.1:{port}/ical/77.ics?t={TOKEN}")))
        counts = sync_json(synced_world)
    assert counts == QUIET | {
        "feeds": 2,
        "failed": 1,
        "new": 3,
        "tasks_created": 3,
        "errors": ["Beach house: connection failed"],
    }
    assert str(port) not in json.dumps(counts)


def test_sync_once_prints_what_changed_and_the_notifications(synced_world: Path) -> None:
    env = {"TURNOVER_DATA_DIR": str(synced_world), "TURNOVER_NOW": NOW}
    result = run("sync", "--once", env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "1 feed fetched, 0 failed, 0 held; reservations: 3 new, 0 changed, 0 cancelled; tasks: 3 created" in (
        result.stdout
    )
    assert "Imported the airbnb calendar of Alfama loft: 3 bookings, 0 blocks." in result.stdout
    assert TOKEN not in result.stdout + result.stderr


def test_sync_repeats_until_interrupted_and_then_exits_130(synced_world: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TURNOVER_")}
    env = clean | {"TURNOVER_DATA_DIR": str(synced_world), "TURNOVER_NOW": NOW}
    with subprocess.Popen([*TURNOVER, "sync"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as p:
        assert p.stdout is not None
        for line in p.stdout:  # the first pass is done once its line is out; then it waits for the next
            if line.startswith("sync "):
                break
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=30)
    assert p.returncode == 130
    assert "Traceback" not in err


def test_a_bad_sync_interval_is_one_line_with_exit_code_2(tmp_path: Path) -> None:
    result = run("sync", "--once", env={"TURNOVER_DATA_DIR": str(tmp_path), "TURNOVER_SYNC_INTERVAL_MINUTES": "0"})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "TURNOVER_SYNC_INTERVAL_MINUTES" in result.stderr


# --- feeds health ----------------------------------------------------------------------------------


def health(data_dir: Path, *extra: str, tz: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"TURNOVER_DATA_DIR": str(data_dir), "TURNOVER_NOW": NOW} | ({"TZ": tz} if tz else {})
    result = run("feeds", "health", *extra, env=env)
    assert result.returncode == 0, result.stderr
    assert TOKEN not in result.stdout + result.stderr
    return result


def test_feeds_health_on_an_empty_data_dir_is_an_empty_list_or_one_friendly_line(tmp_path: Path) -> None:
    assert json.loads(health(tmp_path, "--json").stdout) == []
    assert health(tmp_path).stdout == "No calendar feeds yet.\n"


def test_feeds_health_json_shows_a_new_feed_as_never_fetched_with_its_url_redacted(tmp_path: Path) -> None:
    asyncio.run(add_properties(tmp_path, ("Alfama loft", f"https://www.airbnb.test/calendar/ical/4242.ics?s={TOKEN}")))
    [feed] = json.loads(health(tmp_path, "--json").stdout)
    assert feed["url"] == "https://www.airbnb.test/…"
    assert (feed["property_name"], feed["platform"]) == ("Alfama loft", "airbnb")
    assert (feed["status"], feed["last_success_at"], feed["consecutive_failures"]) == ("never_fetched", None, 0)
    assert feed["recent_fetches"] == [] and feed["hold"] is None
    assert "4242" not in json.dumps(feed)


def test_feeds_health_after_a_sync_reads_ok_with_the_last_success_in_local_time(synced_world: Path) -> None:
    sync_json(synced_world)
    [feed] = json.loads(health(synced_world, "--json").stdout)
    assert (feed["status"], feed["last_success_at"]) == ("ok", "2026-11-25T09:00:00Z")
    assert [(f["outcome"], f["new"]) for f in feed["recent_fetches"]] == [("applied", 3)]
    lines = health(synced_world, tz="Pacific/Kiritimati").stdout.splitlines()  # UTC+14
    assert lines[0].split() == ["property", "platform", "status", "last", "success", "failures", "notes"]
    assert lines[2].split() == ["Alfama", "loft", "airbnb", "ok", "2026-11-25", "23:00", "0"]


def test_feeds_health_says_which_feed_fails_and_why(synced_world: Path) -> None:
    with socket.socket() as closed:  # bound, never listening: connections are refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        asyncio.run(add_properties(synced_world, ("Beach house", f"http://127.0.0.1:{port}/ical/77.ics?t={TOKEN}")))
        sync_json(synced_world)
    out = health(synced_world, tz="UTC").stdout
    [beach] = [line for line in out.splitlines() if line.startswith("Beach house")]
    assert beach.split()[2:6] == ["airbnb", "failing", "never", "1"]
    assert beach.endswith("last error: connection failed")
    assert str(port) not in out


def test_a_bad_fetch_retention_is_one_line_with_exit_code_2(tmp_path: Path) -> None:
    result = run("feeds", "health", env={"TURNOVER_DATA_DIR": str(tmp_path), "TURNOVER_FETCH_RETENTION_DAYS": "0"})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "TURNOVER_FETCH_RETENTION_DAYS" in result.stderr


# --- the CLI stays light -----------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["feeds"], ["feeds", "inspect"], ["feeds", "health"], ["sync"]])
def test_the_new_commands_have_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout


def test_building_the_parser_imports_no_framework() -> None:
    heavy = ("httpx", "icalendar", "sqlalchemy", "pydantic", "domain", "json")
    code = (
        "import sys; from turnover.cli import build_parser; build_parser(); "
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
