"""What the engine concludes on the real sample feeds: calendar-feeds.md §4 (each rule's *Test:*) and §5.

`tests/integrations/calendars/test_real_samples.py` checks how the samples parse and classify; this checks
what sync and planning decide from them. The real steps run (`scheduler.sync.sync_feeds`, then
`scheduler.plan.plan_tasks` and `scheduler.notify.notify`) on the in-memory store, the parsed samples served
by `StaticFeedFetcher`, the clock frozen at each sample's fetch time (its DTSTAMP, else its file name).
"Today" is the fetch date in the property's timezone: Europe/Rome for Booking.com (its feeds roll over at
Rome midnight, §1.4), UTC for Airbnb (listing timezones are unknown, §1; rule 7 sets Europe/Paris itself).

The samples are third-party data holding personal data: they are read where they are stored, at test time,
never copied here, and skipped when absent. Nothing from them is written here beyond what the design
document itself quotes (dates, listing ids, 8-hex UID fragments); no code, phone digit or name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Self
from zoneinfo import ZoneInfo

import pytest

from domain.calendar import FeedSnapshot
from domain.events import Event, EventKind
from domain.feeds import Feed, FeedFetch, FetchOutcome, Platform
from domain.planning import SAME_DAY_PRIORITY, plan_property
from domain.reservations import Block, Reservation, ReservationStatus
from domain.sync import reconcile
from domain.tasks import Task, TaskKind
from integrations.calendars.parse import parse_calendar
from integrations.calendars.synthetic import BOOKING_PRODID
from integrations.clock import FrozenClock, SequentialIds
from scheduler.notify import notify
from scheduler.plan import PlanReport, plan_tasks
from scheduler.sync import SyncReport, sync_feeds
from storage.memory import InMemoryUnitOfWorkFactory
from tests.fakes import FakeMarketplace, RecordingNotifier, StaticFeedFetcher
from tests.scheduler.replay import calendar_from_records
from tools.context import AppDeps, ToolContext
from tools.feeds import add_feed
from tools.hosts import ensure_local_owner
from tools.properties import add_property

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "ical-samples"

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"real sample feeds not found at {SAMPLES}")

CHILL_RAW = "airbnb_chilllove_2025-10-22T2254Z_raw.ics"
CHILL_PASTED = "airbnb_chilllove_2025-10-22T2020Z_pasted.ics"
MERGED_0508 = "airbnb_merged6_viewvillas_2026-05-08_one-listing-empty.ics"
MERGED_0821 = "airbnb_merged6_viewvillas_2026-08-21_http500-body.ics"
MERGED_0822 = "airbnb_merged6_viewvillas_2026-08-22.ics"
BERTA_0707 = "bookingcom_berta_2026-07-07_before-ORGANIZER.ics"
BERTA_0822 = "bookingcom_berta_2026-08-22.ics"
VITA_2142 = "bookingcom_vita_2026-04-14T2142Z.ics"
VITA_2237 = "bookingcom_vita_2026-04-14T2237Z_empty.ics"
TILOC_2023 = "airbnb-0.8.8_tiloc-test_2023_block-only.ics"

ROME, PARIS, AIRBNB_ZONE = "Europe/Rome", "Europe/Paris", "UTC"
LISTINGS = ("588226", "940563", "702494", "878536", "606838", "105227")  # §5: the order of the merged files
K = EventKind
BOOKING_EVENTS = {K.RESERVATION_NEW, K.RESERVATION_CHANGED, K.RESERVATION_CANCELLED}
TASK_EVENTS = {K.TASK_PLANNED, K.TASK_RESCHEDULED, K.TASK_CANCELLED}
NEW_VITA_UID = "0123456789abcdef0123456789abcdef"  # invented: the synthetic next vita fetch re-issues the range


# --- the samples ---------------------------------------------------------------------------------------------


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def fetched_at(name: str) -> datetime:
    """When a sample was fetched: its latest DTSTAMP, else the time in its file name (the empty vita one)."""
    text = sample(name).decode()
    stamps = re.findall(r"^DTSTAMP:(\d{8}T\d{6})Z\r?$", text, re.M)
    if stamps:
        return datetime.strptime(max(stamps), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    found = re.search(r"_(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})Z", name)
    assert found, f"no fetch time for {name}"
    day, hour, minute = found.groups()
    return datetime.fromisoformat(f"{day}T{hour}:{minute}:00+00:00")


def split_merged(body: bytes) -> dict[str, bytes]:
    """The per-listing feed bodies of a merged viewvillas file (§5), keyed by the last 6 digits of the listing id.

    The cron job dropped each feed's BEGIN/END:VCALENDAR lines, prefixed SUMMARY with `<id> ` and UID with
    `<id>-`, and kept every feed's PRODID (7 PRODID lines with its own). A listing that answered with an error
    body (`curl -s`) left that body in place, with no newline before the next feed's PRODID. Each listing's text
    becomes a VCALENDAR again with its one PRODID line, prefixes stripped; an error body stays as it was.
    """
    segments: list[list[str]] = []
    in_event = False
    for line in body.decode().splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        if bare == "BEGIN:VEVENT":
            in_event = True
        if in_event:
            segments[-1].append(line)
            in_event = bare != "END:VEVENT"
            continue
        if bare in ("BEGIN:VCALENDAR", "END:VCALENDAR") or bare.startswith("PRODID:-//Merged"):
            continue  # the cron job's own wrapper
        head, prodid, tail = line.partition("PRODID:")
        if prodid:
            if head:
                segments.append([head])  # the error body a failed listing left behind
            segments.append([prodid + tail])
        elif segments:
            segments[-1].append(line)
    assert len(segments) == len(LISTINGS), f"expected {len(LISTINGS)} listings, found {len(segments)}"
    bodies: dict[str, bytes] = {}
    for suffix, lines in zip(LISTINGS, segments, strict=True):
        text = "".join(lines)
        if not text.startswith("PRODID:"):
            bodies[suffix] = text.encode()
            continue
        ids = set(re.findall(r"^UID:(\d+)-", text, re.M))
        assert len(ids) <= 1 and all(i.endswith(suffix) for i in ids), f"listing {suffix}: UID prefixes {ids}"
        for listing in ids:
            text = re.sub(rf"^(SUMMARY:|UID:){listing}[ -]", r"\1", text, flags=re.M)
        assert len(re.findall(r"^PRODID", text, re.M)) == 1
        bodies[suffix] = f"BEGIN:VCALENDAR\r\n{text}END:VCALENDAR\r\n".encode()
    return bodies


def without_events(body: bytes, drop: Iterable[str]) -> bytes:
    """The body with the VEVENTs of these UIDs removed (a next fetch built in memory)."""
    gone = set(drop)
    text = body.decode()
    parts = re.split(r"(?=BEGIN:VEVENT)", text)
    kept = [p for p in parts if not any(f"UID:{uid}" in p for uid in gone)]
    assert len(parts) - len(kept) == len(gone)
    if "END:VCALENDAR" not in kept[-1]:  # the dropped last VEVENT carried the calendar's end with it
        kept.append(text[text.rindex("END:VCALENDAR") :])
    return "".join(kept).encode()


def with_dtend(body: bytes, *, start: str, end: str) -> bytes:
    """The body with the DTEND of the one VEVENT starting on `start` (YYYYMMDD) set to `end`."""
    parts = re.split(r"(?=BEGIN:VEVENT)", body.decode())
    [index] = [i for i, p in enumerate(parts) if f"DTSTART;VALUE=DATE:{start}" in p]
    parts[index] = re.sub(r"^DTEND;VALUE=DATE:\d{8}", f"DTEND;VALUE=DATE:{end}", parts[index], count=1, flags=re.M)
    return "".join(parts).encode()


def with_uid(body: bytes, old: str, new: str) -> bytes:
    assert body.count(old.encode()) == 1
    return body.replace(old.encode(), new.encode())


# --- the bench: real sync / plan / notify over the in-memory store ------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One pipeline pass: the reports, the events recorded during it and the notifications pushed."""

    sync: SyncReport
    plan: PlanReport
    events: list[Event]
    sent: list[Event]

    def of(self, property_id: str) -> list[Event]:
        return [e for e in self.events if e.property_id == property_id]


@dataclass
class Bench:
    deps: AppDeps
    ctx: ToolContext
    clock: FrozenClock
    fetcher: StaticFeedFetcher
    notifier: RecordingNotifier
    property_ids: dict[str, str] = field(default_factory=dict)
    feed_ids: dict[str, str] = field(default_factory=dict)
    zones: dict[str, ZoneInfo] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)

    @classmethod
    async def open(cls) -> Self:
        clock = FrozenClock(datetime(2020, 1, 1, tzinfo=UTC))
        fetcher, notifier = StaticFeedFetcher(), RecordingNotifier()
        deps = AppDeps(
            uow=InMemoryUnitOfWorkFactory(), clock=clock, ids=SequentialIds(), fetcher=fetcher,
            marketplace=FakeMarketplace(), notifier=notifier,
        )  # fmt: skip
        return cls(deps, ToolContext(deps, await ensure_local_owner(deps)), clock, fetcher, notifier)

    async def add(
        self,
        name: str,
        platform: Platform,
        *,
        timezone: str,
        blocks_are_bookings: bool = False,
        check_in_tasks: bool = False,
        check_out_tasks: bool = False,
    ) -> None:
        """A property with one feed, both called `name`; check-in 16:00, checkout 11:00 (the defaults)."""
        prop = await add_property(
            self.ctx, name=name, city="Sample", timezone=timezone, check_in_tasks=check_in_tasks,
            check_out_tasks=check_out_tasks,
        )  # fmt: skip
        feed = await add_feed(
            self.ctx, property_id=prop.id, url=self.url(name), platform=platform,
            blocks_are_bookings=blocks_are_bookings,
        )  # fmt: skip
        self.property_ids[name], self.feed_ids[name], self.zones[name] = prop.id, feed.id, ZoneInfo(timezone)

    @staticmethod
    def url(name: str) -> str:
        return f"https://feeds.example.test/{name}.ics?t=0123456789abcdef"

    def serve(self, name: str, body: bytes | FeedSnapshot) -> None:
        self.fetcher.snapshots[self.url(name)] = parse_calendar(body) if isinstance(body, bytes) else body

    async def fetch(self, at: datetime) -> Step:
        """Move the clock to `at`, then sync every feed (forced), plan and notify."""
        self.clock.set(at)
        sync = await sync_feeds(self.deps, force=True)
        plan = await plan_tasks(self.deps)
        before = len(self.notifier.sent)
        await notify(self.deps)
        async with self.deps.uow() as uow:
            events = await uow.events.list_for_host(self.ctx.actor.host_id, limit=100_000)
        new = sorted((e for e in events if e.id not in self.seen), key=lambda e: int(e.id.rsplit("_", 1)[1]))
        self.seen |= {e.id for e in new}
        return Step(sync, plan, new, self.notifier.sent[before:])

    async def feed(self, name: str) -> Feed:
        async with self.deps.uow() as uow:
            feed = await uow.feeds.get(self.feed_ids[name])
        assert feed is not None
        return feed

    async def reservations(self, name: str) -> list[Reservation]:
        async with self.deps.uow() as uow:
            return await uow.reservations.list_for_feed(self.feed_ids[name])

    async def blocks(self, name: str) -> list[Block]:
        async with self.deps.uow() as uow:
            return await uow.blocks.list_for_feed(self.feed_ids[name])

    async def tasks(self, name: str) -> list[Task]:
        async with self.deps.uow() as uow:
            return await uow.tasks.list_for_property(self.property_ids[name])

    async def fetches(self, name: str) -> list[FeedFetch]:
        """The fetch audit of one feed, oldest first."""
        async with self.deps.uow() as uow:
            return list(reversed(await uow.fetches.list_for_feed(self.feed_ids[name], limit=1000)))

    async def by_day(self, name: str, kind: TaskKind) -> dict[date, Task]:
        """The open tasks of one kind, by their key date (local)."""
        found: dict[date, Task] = {}
        for task in await self.tasks(name):
            if task.kind is kind and task.is_open:
                day = date.fromisoformat(task.natural_key.rsplit(":", 1)[1])
                assert day not in found, f"two open {kind.value} tasks on {day}"
                found[day] = task
        return found


@pytest.fixture
async def bench() -> Bench:
    return await Bench.open()


def by_uid(reservations: Iterable[Reservation], fragment: str) -> Reservation:
    [found] = [r for r in reservations if fragment in r.uid]
    return found


def state(reservations: Iterable[Reservation]) -> dict[str, tuple[str, date, date, ReservationStatus]]:
    return {r.id: (r.uid, r.check_in, r.check_out, r.status) for r in reservations}


def block_state(blocks: Iterable[Block]) -> set[tuple[str, str, date, date, bool]]:
    return {(b.id, b.uid, b.start, b.end, b.window) for b in blocks}


def kinds(events: Iterable[Event]) -> Counter[EventKind]:
    return Counter(e.kind for e in events)


def d(text: str) -> date:
    return date.fromisoformat(text)


async def merged_world(bench: Bench, *, check_in_tasks: bool = False) -> None:
    for suffix in LISTINGS:
        await bench.add(suffix, Platform.AIRBNB, timezone=AIRBNB_ZONE, check_in_tasks=check_in_tasks)


def serve_merged(bench: Bench, name: str, only: Iterable[str] = LISTINGS) -> None:
    bodies = split_merged(sample(name))
    for suffix in only:
        bench.serve(suffix, bodies[suffix])


# --- rule 8: same-day turnovers ----------------------------------------------------------------------------

CHILL_TIGHT = [
    d("2025-10-22"), d("2025-10-24"), d("2025-10-25"), d("2025-10-26"), d("2025-10-27"), d("2025-10-30"),
    d("2025-11-09"), d("2025-11-10"), d("2026-01-02"),
]  # fmt: skip


async def test_rule_8_chilllove_has_nine_tight_turnover_cleans_and_gap_nights_are_not_tight(bench: Bench) -> None:
    await bench.add("chill", Platform.AIRBNB, timezone=AIRBNB_ZONE)
    bench.serve("chill", sample(CHILL_RAW))
    await bench.fetch(fetched_at(CHILL_RAW))

    cleans = await bench.by_day("chill", TaskKind.CLEAN)
    assert sorted(day for day, t in cleans.items() if t.same_day_turnover) == CHILL_TIGHT
    assert all(t.priority == SAME_DAY_PRIORITY for t in cleans.values() if t.same_day_turnover)
    for gap in (d("2025-11-01"), d("2025-11-15")):  # a 1-night block between two stays: the clean has a night
        assert not cleans[gap].same_day_turnover and cleans[gap].priority == 0
    utc = ZoneInfo("UTC")
    tight = cleans[d("2025-10-26")]  # checkout 11:00, next check-in 16:00 the same day
    assert (tight.window_start, tight.deadline) == (
        datetime(2025, 10, 26, 11, tzinfo=utc),
        datetime(2025, 10, 26, 16, tzinfo=utc),
    )
    assert cleans[d("2025-11-01")].deadline == datetime(2025, 11, 2, 16, tzinfo=utc)  # due by the next arrival


async def test_rule_8_merged_0822_has_52_tight_turnovers_per_listing(bench: Bench) -> None:
    await merged_world(bench)
    serve_merged(bench, MERGED_0822)
    at = fetched_at(MERGED_0822)
    today = at.date()  # 2026-08-22 (UTC)
    await bench.fetch(at)

    tight_turnovers: dict[str, list[date]] = {}
    planned_tight: dict[str, list[date]] = {}
    async with bench.deps.uow() as uow:
        for suffix in LISTINGS:
            prop = await uow.properties.get(bench.property_ids[suffix])
            assert prop is not None
            stays = await uow.reservations.list_for_property(prop.id)
            # the planning rule over every stay the feed still lists, past checkouts included
            since = min(r.check_in for r in stays)
            tight_turnovers[suffix] = sorted(
                date.fromisoformat(p.natural_key.rsplit(":", 1)[1])
                for p in plan_property(prop, stays, since)
                if p.kind is TaskKind.CLEAN and p.same_day_turnover
            )
    for suffix in LISTINGS:
        cleans = await bench.by_day(suffix, TaskKind.CLEAN)
        planned_tight[suffix] = sorted(day for day, t in cleans.items() if t.same_day_turnover)

    assert sum(map(len, tight_turnovers.values())) == 52
    chain = [d("2026-08-17"), d("2026-08-21"), d("2026-08-24"), d("2026-08-26")]
    stays_940563 = {(r.check_in, r.check_out) for r in await bench.reservations("940563")}
    assert set(pairwise(chain)) <= stays_940563
    assert {d("2026-08-21"), d("2026-08-24")} <= set(tight_turnovers["940563"])  # both links of the chain flagged
    # Tasks are planned from today on (domain.planning: older keys are history). The files put 2 of the 52
    # turnovers on 2026-08-21, the day before this fetch (listings …940563 and …878536), so the pipeline run at
    # the fetch time plans 50 tight cleans: the 52 minus exactly those two. §5 counts the 52 in the file.
    past = {s: [t for t in days if t < today] for s, days in tight_turnovers.items()}
    assert {s: days for s, days in past.items() if days} == {"940563": [d("2026-08-21")], "878536": [d("2026-08-21")]}
    assert planned_tight == {s: [t for t in days if t >= today] for s, days in tight_turnovers.items()}
    assert sum(map(len, planned_tight.values())) == 50
    assert d("2026-08-24") in planned_tight["940563"]


# --- rules 4 and 15 on Chilllove: blocks are availability; the rolling window block --------------------------


async def test_rule_4_and_15_chilllove_blocks_make_no_tasks_and_the_far_block_is_the_window(bench: Bench) -> None:
    await bench.add("chill", Platform.AIRBNB, timezone=AIRBNB_ZONE, check_in_tasks=True, check_out_tasks=True)
    bench.serve("chill", sample(CHILL_RAW))
    at = fetched_at(CHILL_RAW)
    await bench.fetch(at)
    today = at.date()

    stays = await bench.reservations("chill")
    blocks = await bench.blocks("chill")
    assert len(stays) == 25 and {r.status for r in stays} == {ReservationStatus.CONFIRMED}
    assert Counter(r.nights for r in stays) == {1: 14, 2: 10, 3: 1}
    assert len({r.code for r in stays if r.code}) == 25
    assert sorted((b.start, b.end, b.window) for b in blocks) == [
        (d("2025-11-01"), d("2025-11-02"), False),
        (d("2025-11-15"), d("2025-11-16"), False),
        (d("2026-04-01"), d("2026-10-23"), True),
    ]
    tasks = await bench.tasks("chill")
    assert {t.reservation_id for t in tasks} <= {r.id for r in stays}  # every task belongs to a stay
    assert set(await bench.by_day("chill", TaskKind.CLEAN)) == {r.check_out for r in stays}
    assert set(await bench.by_day("chill", TaskKind.CHECK_OUT)) == {r.check_out for r in stays}
    assert set(await bench.by_day("chill", TaskKind.CHECK_IN)) == {r.check_in for r in stays if r.check_in >= today}
    assert len(tasks) == 25 + 25 + 24


# --- rule 7: times come from the listing's settings --------------------------------------------------------


async def test_rule_7_chilllove_in_paris_checks_in_at_16_cest_and_cleans_from_11_cet(bench: Bench) -> None:
    await bench.add("chill", Platform.AIRBNB, timezone=PARIS, check_in_tasks=True, check_out_tasks=True)
    bench.serve("chill", sample(CHILL_RAW))
    await bench.fetch(fetched_at(CHILL_RAW))

    stay = next(r for r in await bench.reservations("chill") if r.check_in == d("2025-10-25"))
    assert stay.check_out == d("2025-10-26")
    check_in = (await bench.by_day("chill", TaskKind.CHECK_IN))[d("2025-10-25")]
    check_out = (await bench.by_day("chill", TaskKind.CHECK_OUT))[d("2025-10-26")]
    clean = (await bench.by_day("chill", TaskKind.CLEAN))[d("2025-10-26")]
    arrival = datetime.fromisoformat("2025-10-25T16:00:00+02:00")
    departure = datetime.fromisoformat("2025-10-26T11:00:00+01:00")  # DST ended that night
    assert check_in.reservation_id == stay.id and check_out.reservation_id == stay.id
    assert (check_in.window_start, check_in.deadline) == (arrival - timedelta(hours=1), arrival + timedelta(hours=1))
    assert (check_out.window_start, check_out.deadline) == (
        departure - timedelta(hours=1),
        departure + timedelta(hours=1),
    )
    assert clean.reservation_id == stay.id and clean.window_start == departure
    assert clean.deadline == datetime.fromisoformat("2025-10-26T16:00:00+01:00") and clean.same_day_turnover
    paris = ZoneInfo(PARIS)
    assert check_in.window_start.astimezone(paris).utcoffset() == timedelta(hours=2)
    assert clean.window_start.astimezone(paris).time() == time(11, 0)
    assert clean.window_start.astimezone(paris).utcoffset() == timedelta(hours=1)


# --- rule 9: identity is (feed, UID); dates change in place -------------------------------------------------


async def test_rule_9_a_uid_moved_by_months_is_one_change_of_the_same_booking_and_its_clean_moves(
    bench: Bench,
) -> None:
    await bench.add("105227", Platform.AIRBNB, timezone=AIRBNB_ZONE)
    serve_merged(bench, MERGED_0508, only=["105227"])
    await bench.fetch(fetched_at(MERGED_0508))
    moved = by_uid(await bench.reservations("105227"), "61ba3a1a")
    assert (moved.check_in, moved.check_out) == (d("2026-11-25"), d("2026-11-29"))
    clean = (await bench.by_day("105227", TaskKind.CLEAN))[d("2026-11-29")]
    assert clean.reservation_id == moved.id
    count_before = len(await bench.reservations("105227"))

    serve_merged(bench, MERGED_0822, only=["105227"])
    step = await bench.fetch(fetched_at(MERGED_0822))

    after = await bench.reservations("105227")
    again = by_uid(after, "61ba3a1a")
    assert again.id == moved.id and again.code == moved.code
    assert (again.check_in, again.check_out, again.status) == (
        d("2027-03-03"),
        d("2027-03-07"),
        ReservationStatus.CONFIRMED,
    )
    changed = [e for e in step.events if e.kind is K.RESERVATION_CHANGED]
    assert [e.subject_id for e in changed] == [moved.id]  # one change event, about this booking
    assert not [e for e in step.events if e.kind is K.RESERVATION_NEW and e.subject_id == moved.id]
    # §4 rule 9 says this booking's tasks move. They do, but not as the same task: the 08-22 file also lists a
    # new stay 2026-11-28→11-29 checking out the day the moved one used to, and tasks are keyed by property,
    # kind and date (rule 9's last sentence; domain.planning). So the 11-29 clean stays where it is, the same
    # task (whoever was hired keeps the job), re-linked to that stay, and the moved booking's clean on 03-07 is
    # a new task. The same-task move, where no other stay takes the date, is the Chilllove test below.
    cleans = await bench.by_day("105227", TaskKind.CLEAN)
    [newcomer] = [r for r in after if (r.check_in, r.check_out) == (d("2026-11-28"), d("2026-11-29"))]
    assert newcomer.first_seen_at == fetched_at(MERGED_0822)
    assert (cleans[d("2026-11-29")].id, cleans[d("2026-11-29")].reservation_id) == (clean.id, newcomer.id)
    assert cleans[d("2027-03-07")].reservation_id == moved.id and cleans[d("2027-03-07")].id != clean.id
    assert [day for day, t in cleans.items() if t.reservation_id == moved.id] == [d("2027-03-07")]
    # the move creates no booking: every reservation known on 05-08 is still the one record, plus the new UIDs
    assert len(after) == count_before + step.sync.new
    assert Counter(r.uid for r in after).most_common(1)[0][1] == 1


async def test_rule_9_chilllove_stay_ending_a_day_early_moves_its_clean_as_the_same_task(bench: Bench) -> None:
    await bench.add("chill", Platform.AIRBNB, timezone=AIRBNB_ZONE)
    raw = sample(CHILL_RAW)
    bench.serve("chill", raw)
    at = fetched_at(CHILL_RAW)
    await bench.fetch(at)
    stay = next(r for r in await bench.reservations("chill") if r.check_in == d("2025-10-22"))  # in progress
    clean = (await bench.by_day("chill", TaskKind.CLEAN))[d("2025-10-24")]
    assert clean.reservation_id == stay.id and clean.same_day_turnover
    count = len(await bench.reservations("chill"))

    bench.serve("chill", with_dtend(raw, start="20251022", end="20251023"))  # synthetic: early checkout
    step = await bench.fetch(at + timedelta(minutes=30))

    after = await bench.reservations("chill")
    moved = next(r for r in after if r.id == stay.id)
    assert (len(after), moved.uid, moved.check_in, moved.check_out) == (
        count,
        stay.uid,
        d("2025-10-22"),
        d("2025-10-23"),
    )
    assert [(e.kind, e.subject_id) for e in step.events if e.kind in BOOKING_EVENTS] == [
        (K.RESERVATION_CHANGED, stay.id)
    ]
    cleans = await bench.by_day("chill", TaskKind.CLEAN)
    assert cleans[d("2025-10-23")].id == clean.id and d("2025-10-24") not in cleans
    assert not cleans[d("2025-10-23")].same_day_turnover  # the next arrival is now a day later
    assert kinds(e for e in step.events if e.kind in TASK_EVENTS) == {K.TASK_RESCHEDULED: 1}


async def test_rule_9_a_cancel_and_rebook_on_the_same_dates_keeps_the_clean_task(bench: Bench) -> None:
    await bench.add("878536", Platform.AIRBNB, timezone=AIRBNB_ZONE)
    serve_merged(bench, MERGED_0821, only=["878536"])
    await bench.fetch(fetched_at(MERGED_0821))
    old = by_uid(await bench.reservations("878536"), "f1471aa1")
    assert (old.check_in, old.check_out) == (d("2026-11-21"), d("2026-11-23"))
    clean = (await bench.by_day("878536", TaskKind.CLEAN))[d("2026-11-23")]
    assert clean.reservation_id == old.id

    serve_merged(bench, MERGED_0822, only=["878536"])
    step = await bench.fetch(fetched_at(MERGED_0822))

    stays = await bench.reservations("878536")
    new = by_uid(stays, "63e98078")
    assert by_uid(stays, "f1471aa1").status is ReservationStatus.CANCELLED
    assert new.id != old.id and new.code != old.code
    assert (new.check_in, new.check_out, new.status) == (d("2026-11-21"), d("2026-11-23"), ReservationStatus.CONFIRMED)
    booking = sorted((e.kind, e.subject_id) for e in step.events if e.kind in BOOKING_EVENTS)
    assert booking == sorted([(K.RESERVATION_NEW, new.id), (K.RESERVATION_CANCELLED, old.id)])
    after = (await bench.by_day("878536", TaskKind.CLEAN))[d("2026-11-23")]
    assert after.id == clean.id and after.reservation_id == new.id  # whoever is hired for it keeps the job
    assert not [e for e in step.events if e.kind is K.TASK_CANCELLED]


# --- rules 11 and 12: cancellation is absence from a trusted fetch; the past is frozen --------------------


async def test_rule_11_and_12_merged_0821_to_0822_cancels_one_and_completes_three(bench: Bench) -> None:
    await merged_world(bench)
    # …606838 is known from its 05-08 content, so its failed 08-21 fetch has something to leave untouched
    serve_merged(bench, MERGED_0508, only=["606838"])
    await bench.fetch(fetched_at(MERGED_0508))
    failing_before = state(await bench.reservations("606838"))
    failing_tasks = {t.id: (t.natural_key, t.status) for t in await bench.tasks("606838")}
    failing_blocks = block_state(await bench.blocks("606838"))
    assert len(failing_before) == 21

    serve_merged(bench, MERGED_0821)
    first = await bench.fetch(fetched_at(MERGED_0821))

    assert not parse_calendar(split_merged(sample(MERGED_0821))["606838"]).ok
    assert state(await bench.reservations("606838")) == failing_before
    assert {t.id: (t.natural_key, t.status) for t in await bench.tasks("606838")} == failing_tasks
    assert block_state(await bench.blocks("606838")) == failing_blocks
    # its only news is that it has had no good fetch for 6 h (its last one was on 05-08): nothing else happened
    assert kinds(first.of(bench.property_ids["606838"])) == {K.FEED_UNHEALTHY: 1}
    assert [f.outcome for f in await bench.fetches("606838")][-1] is FetchOutcome.FAILED
    assert (await bench.feed("606838")).health.consecutive_failures == 1
    others = [s for s in LISTINGS if s != "606838"]
    before = {s: state(await bench.reservations(s)) for s in others}
    assert sum(map(len, before.values())) == 159
    blocks_before = sum([len(await bench.blocks(s)) for s in others])

    serve_merged(bench, MERGED_0822)
    at = fetched_at(MERGED_0822)
    second = await bench.fetch(at)

    events = [e for s in others for e in second.of(bench.property_ids[s])]
    assert kinds(e for e in events if e.kind in BOOKING_EVENTS) == {K.RESERVATION_NEW: 5, K.RESERVATION_CANCELLED: 1}
    [cancelled] = [e.subject_id for e in events if e.kind is K.RESERVATION_CANCELLED]
    assert by_uid(await bench.reservations("878536"), "f1471aa1").id == cancelled
    assert not [e for e in events if e.kind is K.FEED_DIFF_HELD]
    assert sum([len(await bench.blocks(s)) for s in others]) == blocks_before + 1
    # the stays ending 2026-08-20 that the 08-22 fetch no longer lists: history, not cancellations
    vanished: dict[str, list[Reservation]] = {}
    for suffix in others:
        ended = [r for r in await bench.reservations(suffix) if r.check_out == d("2026-08-20")]
        if ended:
            vanished[suffix] = ended
    assert {s: len(v) for s, v in vanished.items()} == {"588226": 1, "702494": 1, "105227": 1}
    for suffix, stays in vanished.items():
        [stay] = stays
        assert stay.status is ReservationStatus.CONFIRMED, suffix
        assert before[suffix][stay.id] == (stay.uid, stay.check_in, stay.check_out, ReservationStatus.CONFIRMED)
        assert stay.uid not in split_merged(sample(MERGED_0822))[suffix].decode()
    # nothing else of the known stays moved: every change of the day is one of the above
    for suffix in others:
        now = state(await bench.reservations(suffix))
        moved = {rid for rid, row in before[suffix].items() if now[rid] != row}
        assert moved <= {cancelled}, suffix
    assert at.date() == d("2026-08-22")


# --- rule 2: an empty calendar after a non-empty one is held ------------------------------------------------


@pytest.mark.parametrize("blocks_are_bookings", [False, True])
async def test_rule_2_vita_empty_at_rollover_then_reissued_changes_nothing(
    bench: Bench, blocks_are_bookings: bool
) -> None:
    await bench.add("vita", Platform.BOOKING, timezone=ROME, blocks_are_bookings=blocks_are_bookings)
    full = sample(VITA_2142)
    bench.serve("vita", full)
    await bench.fetch(fetched_at(VITA_2142))
    [block] = await bench.blocks("vita")
    assert block.window and await bench.tasks("vita") == []

    bench.serve("vita", sample(VITA_2237))
    empty = await bench.fetch(fetched_at(VITA_2237))
    assert (await bench.fetches("vita"))[-1].outcome is FetchOutcome.HELD
    assert block_state(await bench.blocks("vita")) == block_state([block])

    old_uid = block.uid.split("@", 1)[0]
    bench.serve("vita", with_uid(full, old_uid, NEW_VITA_UID))
    again = await bench.fetch(fetched_at(VITA_2237) + timedelta(hours=1))

    assert (await bench.fetches("vita"))[-1].outcome is FetchOutcome.APPLIED
    [now] = await bench.blocks("vita")
    assert (now.uid, now.start, now.end, now.window) == (f"{NEW_VITA_UID}@booking.com", block.start, block.end, True)
    assert await bench.reservations("vita") == [] and await bench.tasks("vita") == []
    for step in (empty, again):
        assert step.events == [] and step.sent == []
        assert step.sync.cancelled == 0 and step.plan == PlanReport()


async def test_rule_2_an_airbnb_listing_answering_empty_is_held_and_cancels_nothing(bench: Bench) -> None:
    await bench.add("588226", Platform.AIRBNB, timezone=AIRBNB_ZONE)
    serve_merged(bench, MERGED_0821, only=["588226"])
    await bench.fetch(fetched_at(MERGED_0821))
    serve_merged(bench, MERGED_0822, only=["588226"])
    at = fetched_at(MERGED_0822)
    await bench.fetch(at)
    known = state(await bench.reservations("588226"))
    tasks = {t.id: (t.natural_key, t.status) for t in await bench.tasks("588226")}
    assert len(known) == 45 + 1  # 45 listed on 08-22, plus the stay that ended 08-20 (history)

    empty = split_merged(sample(MERGED_0508))["588226"]
    assert parse_calendar(empty).ok and parse_calendar(empty).events == ()
    bench.serve("588226", empty)
    held = await bench.fetch(at + timedelta(hours=1))

    assert (await bench.fetches("588226"))[-1].outcome is FetchOutcome.HELD
    assert state(await bench.reservations("588226")) == known
    assert {t.id: (t.natural_key, t.status) for t in await bench.tasks("588226")} == tasks
    assert kinds(held.events) == {K.FEED_DIFF_HELD: 1}  # the host is told, nothing is cancelled
    assert [e.kind for e in held.sent] == [K.FEED_DIFF_HELD]

    serve_merged(bench, MERGED_0822, only=["588226"])  # the listing recovers on the next fetch
    back = await bench.fetch(at + timedelta(hours=2))
    assert (await bench.fetches("588226"))[-1].outcome is FetchOutcome.UNCHANGED
    assert back.events == [] and not (await bench.feed("588226")).health.holding
    assert state(await bench.reservations("588226")) == known


# --- rule 3: mass-drop guard ------------------------------------------------------------------------------


async def test_rule_3_chilllove_losing_13_future_stays_at_once_is_held(bench: Bench) -> None:
    await bench.add("chill", Platform.AIRBNB, timezone=AIRBNB_ZONE)
    raw = sample(CHILL_RAW)
    bench.serve("chill", raw)
    at = fetched_at(CHILL_RAW)
    await bench.fetch(at)
    known = state(await bench.reservations("chill"))
    future = sorted((r for r in await bench.reservations("chill") if r.check_in > at.date()), key=lambda r: r.check_in)
    dropped = [r.uid for r in future[-13:]]

    bench.serve("chill", without_events(raw, dropped))
    step = await bench.fetch(at + timedelta(minutes=30))

    [fetch] = (await bench.fetches("chill"))[-1:]
    assert fetch.outcome is FetchOutcome.HELD and fetch.cancelled == 13
    # §4 rule 3 says Chilllove raw has 24 upcoming stays; the engine counts 25: the 10-20→10-22 stay checked
    # out on the fetch day, and a stay is frozen history only once DTEND < today (rule 12). 13 is over half of both.
    assert "would cancel 13 of 25 upcoming stays" in fetch.held_reason
    assert state(await bench.reservations("chill")) == known
    assert kinds(step.events) == {K.FEED_DIFF_HELD: 1}
    assert step.sync.cancelled == 0 and step.plan == PlanReport()


async def test_rule_3_a_lone_year_long_block_after_chilllove_is_held(bench: Bench) -> None:
    await bench.add("chill", Platform.AIRBNB, timezone=AIRBNB_ZONE)
    bench.serve("chill", sample(CHILL_RAW))
    at = fetched_at(CHILL_RAW)
    await bench.fetch(at)
    known = state(await bench.reservations("chill"))
    blocks = block_state(await bench.blocks("chill"))

    bench.serve("chill", sample(TILOC_2023))
    step = await bench.fetch(at + timedelta(minutes=30))

    fetch = (await bench.fetches("chill"))[-1]
    assert fetch.outcome is FetchOutcome.HELD and fetch.event_count == 1
    assert state(await bench.reservations("chill")) == known and block_state(await bench.blocks("chill")) == blocks
    assert kinds(step.events) == {K.FEED_DIFF_HELD: 1}
    assert step.sync.cancelled == 0 and step.plan == PlanReport()


# --- rule 10: DTSTAMP is ignored ---------------------------------------------------------------------------


@pytest.mark.parametrize("zone", [AIRBNB_ZONE, PARIS])  # in Paris the second fetch is already on 10-23
async def test_rule_10_chilllove_pasted_then_raw_is_a_no_op(bench: Bench, zone: str) -> None:
    await bench.add("chill", Platform.AIRBNB, timezone=zone, check_in_tasks=True, check_out_tasks=True)
    bench.serve("chill", sample(CHILL_PASTED))
    await bench.fetch(fetched_at(CHILL_PASTED))
    known = state(await bench.reservations("chill"))
    tasks = {t.id: (t.natural_key, t.window_start, t.deadline, t.status) for t in await bench.tasks("chill")}

    bench.serve("chill", sample(CHILL_RAW))
    step = await bench.fetch(fetched_at(CHILL_RAW))

    first, second = await bench.fetches("chill")
    assert (first.outcome, second.outcome) == (FetchOutcome.APPLIED, FetchOutcome.UNCHANGED)
    assert second.events is None and second.events_hash == first.events_hash
    assert second.body_sha256 != first.body_sha256
    assert step.events == [] and step.sent == [] and step.plan == PlanReport()
    assert state(await bench.reservations("chill")) == known
    assert {t.id: (t.natural_key, t.window_start, t.deadline, t.status) for t in await bench.tasks("chill")} == tasks


# --- rule 14: Booking.com is keyed by date range ----------------------------------------------------------

BERTA_NEWLY_CLOSED = [
    d("2026-08-24"), d("2026-08-25"), d("2026-08-26"), d("2026-08-27"), d("2026-08-30"),
    d("2026-09-04"), d("2026-09-05"), d("2026-09-06"), d("2026-09-12"),
]  # fmt: skip


async def _berta_diff_to_0822(bench: Bench) -> None:
    """The domain diff of berta 08-22 against what the 07-07 fetch left in the store."""
    feed = await bench.feed("berta")
    diff = reconcile(
        feed,
        parse_calendar(sample(BERTA_0822)),
        await bench.reservations("berta"),
        await bench.blocks("berta"),
        fetched_at(BERTA_0822).astimezone(ZoneInfo(ROME)).date(),
        ZoneInfo(ROME),
    )
    assert diff.nights_freed == []
    assert diff.nights_closed == BERTA_NEWLY_CLOSED
    assert diff.cancelled == [] and diff.held == ""


async def test_rule_14_berta_0707_to_0822_frees_nothing_and_closes_nine_nights(bench: Bench) -> None:
    await bench.add("berta", Platform.BOOKING, timezone=ROME)
    bench.serve("berta", sample(BERTA_0707))
    await bench.fetch(fetched_at(BERTA_0707))
    await _berta_diff_to_0822(bench)

    bench.serve("berta", sample(BERTA_0822))
    step = await bench.fetch(fetched_at(BERTA_0822))
    assert step.sync.cancelled == 0 and not [e for e in step.events if e.kind in BOOKING_EVENTS]
    assert await bench.reservations("berta") == []


async def test_rule_14_berta_with_blocks_are_bookings_reissued_ranges_are_not_cancellations(bench: Bench) -> None:
    await bench.add("berta", Platform.BOOKING, timezone=ROME, blocks_are_bookings=True, check_in_tasks=True)
    bench.serve("berta", sample(BERTA_0707))
    await bench.fetch(fetched_at(BERTA_0707))
    stays = await bench.reservations("berta")
    running, later = by_uid(stays, "e77c3666"), by_uid(stays, "0a87160e")
    assert (running.check_in, running.check_out) == (d("2026-08-19"), d("2026-08-24"))
    clean = (await bench.by_day("berta", TaskKind.CLEAN))[d("2026-08-24")]
    await _berta_diff_to_0822(bench)

    bench.serve("berta", sample(BERTA_0822))
    step = await bench.fetch(fetched_at(BERTA_0822))

    after = {r.id: r for r in await bench.reservations("berta")}
    assert not [r for r in after.values() if r.status is ReservationStatus.CANCELLED]
    assert step.sync.cancelled == 0 and not [e for e in step.events if e.kind is K.RESERVATION_CANCELLED]
    continued = after[running.id]  # f811ecff… starts on the fetch day: the same stay, clipped, not an arrival
    assert "f811ecff" in continued.uid
    assert (continued.check_in, continued.check_out, continued.status) == (
        d("2026-08-19"),
        d("2026-08-31"),
        ReservationStatus.CONFIRMED,
    )
    assert after[later.id].status is ReservationStatus.MERGED  # its nights are inside f811ecff…'s range
    assert [r for r in after.values() if r.check_in == d("2026-08-22")] == []
    assert d("2026-08-22") not in await bench.by_day("berta", TaskKind.CHECK_IN)
    cleans = await bench.by_day("berta", TaskKind.CLEAN)
    assert cleans[d("2026-08-31")].id == clean.id and d("2026-08-24") not in cleans


# --- rule 19: per-feed configuration ----------------------------------------------------------------------


async def test_rule_19_berta_by_default_is_availability_only(bench: Bench) -> None:
    await bench.add("berta", Platform.BOOKING, timezone=ROME, check_in_tasks=True, check_out_tasks=True)
    bench.serve("berta", sample(BERTA_0822))
    await bench.fetch(fetched_at(BERTA_0822))

    assert await bench.reservations("berta") == []
    blocks = await bench.blocks("berta")
    assert sorted((b.start, b.end) for b in blocks if not b.window) == [
        (d("2026-08-22"), d("2026-08-31")),
        (d("2026-09-04"), d("2026-09-07")),
        (d("2026-09-12"), d("2026-09-13")),
        (d("2026-12-27"), d("2026-12-28")),
    ]
    assert [(b.start, b.end) for b in blocks if b.window] == [(d("2027-02-01"), d("2028-02-22"))]
    assert await bench.tasks("berta") == []


async def test_rule_19_berta_with_blocks_are_bookings_plans_four_stays_and_no_arrival_for_the_clipped_one(
    bench: Bench,
) -> None:
    await bench.add(
        "berta", Platform.BOOKING, timezone=ROME, blocks_are_bookings=True, check_in_tasks=True, check_out_tasks=True
    )
    bench.serve("berta", sample(BERTA_0822))
    await bench.fetch(fetched_at(BERTA_0822))

    stays = sorted(await bench.reservations("berta"), key=lambda r: r.check_in)
    assert [(r.check_in, r.check_out, r.start_clipped) for r in stays] == [
        (d("2026-08-22"), d("2026-08-31"), True),
        (d("2026-09-04"), d("2026-09-07"), False),
        (d("2026-09-12"), d("2026-09-13"), False),
        (d("2026-12-27"), d("2026-12-28"), False),
    ]
    assert [(b.start, b.end, b.window) for b in await bench.blocks("berta")] == [
        (d("2027-02-01"), d("2028-02-22"), True)
    ]
    checkouts = [r.check_out for r in stays]
    assert sorted(await bench.by_day("berta", TaskKind.CLEAN)) == checkouts
    assert sorted(await bench.by_day("berta", TaskKind.CHECK_OUT)) == checkouts
    assert sorted(await bench.by_day("berta", TaskKind.CHECK_IN)) == [r.check_in for r in stays[1:]]
    clipped = [t for t in await bench.tasks("berta") if t.reservation_id == stays[0].id]
    assert sorted(t.kind for t in clipped) == [TaskKind.CHECK_OUT, TaskKind.CLEAN]


# --- rule 15: rolling/trailing window blocks ----------------------------------------------------------------


@pytest.mark.parametrize("blocks_are_bookings", [False, True])
async def test_rule_15_the_growing_trailing_block_of_berta_is_never_news(
    bench: Bench, blocks_are_bookings: bool
) -> None:
    await bench.add("berta", Platform.BOOKING, timezone=ROME, blocks_are_bookings=blocks_are_bookings)
    bench.serve("berta", sample(BERTA_0707))
    await bench.fetch(fetched_at(BERTA_0707))
    [trailing] = [b for b in await bench.blocks("berta") if "023bab38" in b.uid]
    assert (trailing.start, trailing.end, trailing.window) == (d("2027-02-01"), d("2028-01-07"), True)

    bench.serve("berta", sample(BERTA_0822))
    step = await bench.fetch(fetched_at(BERTA_0822))

    [grown] = [b for b in await bench.blocks("berta") if "023bab38" in b.uid]
    assert (grown.id, grown.start, grown.end, grown.window) == (trailing.id, d("2027-02-01"), d("2028-02-22"), True)
    stays = await bench.reservations("berta")
    assert not [r for r in stays if "023bab38" in r.uid or r.check_out > d("2027-01-01")]
    subjects = {e.subject_id for e in step.events}
    assert trailing.id not in subjects and bench.feed_ids["berta"] not in subjects
    assert not [e for e in step.events if e.kind is K.FEED_DIFF_HELD]
    if not blocks_are_bookings:
        assert step.events == []  # availability only: nothing to tell anyone


@pytest.mark.parametrize("blocks_are_bookings", [False, True])
async def test_rule_15_vita_closed_to_the_horizon_is_a_window_block_with_no_tasks(
    bench: Bench, blocks_are_bookings: bool
) -> None:
    await bench.add(
        "vita", Platform.BOOKING, timezone=ROME, blocks_are_bookings=blocks_are_bookings, check_in_tasks=True,
        check_out_tasks=True,
    )  # fmt: skip
    bench.serve("vita", sample(VITA_2142))
    at = fetched_at(VITA_2142)
    step = await bench.fetch(at)

    today = at.astimezone(ZoneInfo(ROME)).date()
    [block] = await bench.blocks("vita")
    assert (block.start, block.end, block.window) == (today, today + timedelta(days=548), True)
    assert await bench.reservations("vita") == [] and await bench.tasks("vita") == []
    assert step.plan == PlanReport() and not [e for e in step.events if e.kind in BOOKING_EVENTS | TASK_EVENTS]


# --- rule 21: audit every diff; replaying the audit gives the same decisions -------------------------------


async def _vita_sequence(bench: Bench, bodies: list[FeedSnapshot | bytes], times: list[datetime]) -> list[Step]:
    steps = []
    for body, at in zip(bodies, times, strict=True):
        bench.serve("vita", body)
        steps.append(await bench.fetch(at))
    return steps


def _decisions(fetches: list[FeedFetch]) -> list[tuple[object, ...]]:
    return [
        (f.at, f.outcome, f.events_hash, f.event_count, f.held_reason, f.new, f.changed, f.cancelled, f.error)
        for f in fetches
    ]


async def test_rule_21_replaying_vita_from_the_fetch_audit_gives_identical_decisions(bench: Bench) -> None:
    full = sample(VITA_2142)
    old_uid = parse_calendar(full).events[0].uid.split("@", 1)[0]
    bodies: list[FeedSnapshot | bytes] = [full, sample(VITA_2237), with_uid(full, old_uid, NEW_VITA_UID)]
    times = [fetched_at(VITA_2142), fetched_at(VITA_2237), fetched_at(VITA_2237) + timedelta(hours=1)]
    await bench.add("vita", Platform.BOOKING, timezone=ROME)
    steps = await _vita_sequence(bench, bodies, times)
    audit = await bench.fetches("vita")
    assert [f.outcome for f in audit] == [FetchOutcome.APPLIED, FetchOutcome.HELD, FetchOutcome.APPLIED]

    replayed_bodies: list[FeedSnapshot | bytes] = []
    previous: FeedSnapshot | bytes = b""
    for record in audit:
        if record.outcome is FetchOutcome.FAILED:
            replayed_bodies.append(FeedSnapshot(error=record.error))
            continue
        if record.events is not None:  # stored whenever the events differ from the last good fetch
            previous = calendar_from_records(record.events, prodid=BOOKING_PRODID)
        replayed_bodies.append(previous)
    fresh = await Bench.open()
    await fresh.add("vita", Platform.BOOKING, timezone=ROME)
    replayed = await _vita_sequence(fresh, replayed_bodies, [f.at for f in audit])

    assert _decisions(await fresh.fetches("vita")) == _decisions(audit)
    assert {(b.uid, b.start, b.end, b.window) for b in await fresh.blocks("vita")} == {
        (b.uid, b.start, b.end, b.window) for b in await bench.blocks("vita")
    }
    assert state(await fresh.reservations("vita")) == state(await bench.reservations("vita"))
    assert [[(e.kind, e.message) for e in s.events] for s in replayed] == [
        [(e.kind, e.message) for e in s.events] for s in steps
    ]
    assert [[(e.kind, e.message) for e in s.sent] for s in replayed] == [
        [(e.kind, e.message) for e in s.sent] for s in steps
    ]
