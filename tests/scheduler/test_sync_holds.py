"""Held diffs (calendar-feeds.md rules 2 and 3), staleness alerts and the fetch schedule."""

from datetime import UTC, date, datetime, timedelta

from domain.calendar import CalendarEvent, FeedSnapshot
from domain.events import EventKind
from domain.feeds import FetchOutcome
from domain.reservations import ReservationStatus
from scheduler.sync import sync_feeds
from tests.conftest import FEED_URL, World

STAYS = [("a", date(2026, 11, 26), 2), ("b", date(2026, 12, 1), 2), ("c", date(2026, 12, 5), 3)]


async def _statuses(world: World) -> dict[str, ReservationStatus]:
    async with world.deps.uow() as uow:
        return {r.uid: r.status for r in await uow.reservations.list_for_host(world.ctx.actor.host_id, limit=100)}


async def _event_kinds(world: World) -> list[EventKind]:
    async with world.deps.uow() as uow:
        return [e.kind for e in await uow.events.list_for_host(world.ctx.actor.host_id, limit=500)]


async def _sync_every(world: World, minutes: int, times: int) -> None:
    for _ in range(times):
        world.clock.advance(timedelta(minutes=minutes))
        await sync_feeds(world.deps, force=True)


async def test_an_empty_calendar_cancels_nothing_until_three_fetches_over_two_hours_agree(world: World) -> None:
    world.publish(*STAYS)
    await sync_feeds(world.deps, force=True)
    world.publish()
    await _sync_every(world, 30, 3)  # three empty fetches, but only 1 h apart end to end
    assert set((await _statuses(world)).values()) == {ReservationStatus.CONFIRMED}
    await _sync_every(world, 60, 1)  # the fourth, 2 h after the first empty one: confirmed
    assert set((await _statuses(world)).values()) == {ReservationStatus.CANCELLED}
    assert (await _event_kinds(world)).count(EventKind.RESERVATION_CANCELLED) == 3


async def test_a_transient_empty_calendar_changes_nothing_and_clears_the_hold(world: World) -> None:
    world.publish(*STAYS)
    await sync_feeds(world.deps, force=True)
    world.publish()
    await _sync_every(world, 15, 2)
    world.publish(*STAYS)
    await _sync_every(world, 15, 1)
    world.publish()
    await _sync_every(world, 60, 2)  # a new hold starts from scratch: 2 fetches are not enough
    assert set((await _statuses(world)).values()) == {ReservationStatus.CONFIRMED}
    assert EventKind.RESERVATION_CANCELLED not in await _event_kinds(world)


async def test_empty_bodies_count_toward_confirming_an_empty_calendar(world: World) -> None:
    world.publish(*STAYS)
    await sync_feeds(world.deps, force=True)
    world.fetcher.snapshots[FEED_URL] = FeedSnapshot(error="not a calendar: empty body", empty_body=True)
    await _sync_every(world, 60, 2)
    assert set((await _statuses(world)).values()) == {ReservationStatus.CONFIRMED}
    await _sync_every(world, 60, 1)
    assert set((await _statuses(world)).values()) == {ReservationStatus.CANCELLED}


async def test_a_non_empty_error_body_never_counts_toward_a_hold(world: World) -> None:
    world.publish(*STAYS)
    await sync_feeds(world.deps, force=True)
    world.fetcher.snapshots[FEED_URL] = FeedSnapshot(error="not a calendar: a JSON body")
    await _sync_every(world, 60, 5)
    assert set((await _statuses(world)).values()) == {ReservationStatus.CONFIRMED}


async def test_a_mass_drop_is_applied_only_once_confirmed(world: World) -> None:
    world.publish(*STAYS)
    await sync_feeds(world.deps, force=True)
    world.publish(STAYS[0])
    await _sync_every(world, 15, 1)
    assert (await _statuses(world))["b"] is ReservationStatus.CONFIRMED
    await _sync_every(world, 60, 2)
    statuses = await _statuses(world)
    assert (statuses["a"], statuses["b"], statuses["c"]) == (
        ReservationStatus.CONFIRMED,
        ReservationStatus.CANCELLED,
        ReservationStatus.CANCELLED,
    )


async def test_a_feed_without_a_good_fetch_for_six_hours_raises_one_alert(world: World) -> None:
    world.publish(*STAYS)
    await sync_feeds(world.deps, force=True)
    world.fetcher.snapshots.clear()
    await _sync_every(world, 60, 8)
    kinds = await _event_kinds(world)
    assert kinds.count(EventKind.FEED_UNHEALTHY) == 2  # 3 failures in a row, then 6 h stale
    world.publish(*STAYS)
    await _sync_every(world, 15, 1)
    async with world.deps.uow() as uow:
        [feed] = await uow.feeds.list_all()
    assert (feed.health.consecutive_failures, feed.health.stale_alerted) == (0, False)


async def test_the_next_fetch_is_jittered_within_ten_percent_and_backoff_never_exceeds_the_interval(
    world: World,
) -> None:
    world.publish(*STAYS)
    await sync_feeds(world.deps, force=True)
    async with world.deps.uow() as uow:
        [feed] = await uow.feeds.list_all()
    assert feed.health.next_fetch_at is not None
    delay = feed.health.next_fetch_at - world.clock.now()
    assert timedelta(minutes=13.5) <= delay <= timedelta(minutes=16.5)
    world.fetcher.snapshots.clear()
    for _ in range(8):
        await _sync_every(world, 1, 1)
        async with world.deps.uow() as uow:
            [feed] = await uow.feeds.list_all()
        assert feed.health.next_fetch_at is not None
        assert feed.health.next_fetch_at - world.clock.now() <= timedelta(minutes=15)


async def _fetch_log(world: World):
    async with world.deps.uow() as uow:
        [feed] = await uow.feeds.list_all()
        return list(reversed(await uow.fetches.list_for_feed(feed.id, limit=100)))


async def test_every_fetch_is_audited_with_its_decision_and_changed_snapshots_are_kept(world: World) -> None:
    world.publish(*STAYS)
    await sync_feeds(world.deps, force=True)
    await _sync_every(world, 15, 1)
    world.publish()
    await _sync_every(world, 15, 1)
    world.fetcher.snapshots[FEED_URL] = FeedSnapshot(error="HTTP 503")
    await _sync_every(world, 15, 1)
    log = await _fetch_log(world)
    assert [f.outcome.value for f in log] == ["applied", "unchanged", "held", "failed"]
    assert [f.event_count for f in log] == [3, 3, 0, 0]
    assert [f.events is not None for f in log] == [True, False, True, False]
    assert log[2].held_reason.startswith("the feed came back empty") and log[3].error == "HTTP 503"
    assert {e["uid"] for e in log[0].events or ()} == {"a", "b", "c"}


async def test_a_confirmed_hold_is_audited_as_confirmed_with_what_it_cancelled(world: World) -> None:
    world.publish(*STAYS)
    await sync_feeds(world.deps, force=True)
    world.publish()
    await _sync_every(world, 60, 3)
    log = await _fetch_log(world)
    assert [f.outcome.value for f in log] == ["applied", "held", "held", "confirmed"]
    assert log[-1].cancelled == 3


async def test_an_unchanged_body_is_not_parsed_again_the_same_day_but_is_the_next_day(world: World) -> None:
    world.publish(("a", date(2026, 12, 1), 2))
    await sync_feeds(world.deps, force=True)
    world.clock.advance(timedelta(minutes=20))
    report = await sync_feeds(world.deps, force=True)
    assert world.fetcher.known_digests[-1] != ""  # offered: the fetcher may skip parsing
    assert (report.new, report.changed, report.cancelled) == (0, 0, 0)
    async with world.deps.uow() as uow:
        feed = (await uow.feeds.list_all())[0]
        latest = (await uow.fetches.list_for_feed(feed.id, limit=1))[0]
    assert (latest.outcome, latest.event_count, feed.health.last_success_at) == (
        FetchOutcome.UNCHANGED, 1, world.clock.now()
    )  # fmt: skip
    world.clock.set(datetime(2026, 11, 26, 0, 5, tzinfo=UTC))  # past midnight in Lisbon
    await sync_feeds(world.deps, force=True)
    assert world.fetcher.known_digests[-1] == ""  # once a day every feed is read in full


async def test_a_feed_holding_a_diff_is_always_read_in_full(world: World) -> None:
    world.publish(("a", date(2026, 12, 1), 2))
    await sync_feeds(world.deps, force=True)
    world.publish()
    await sync_feeds(world.deps, force=True)  # empty: held
    world.publish(("a", date(2026, 12, 1), 2))
    world.clock.advance(timedelta(minutes=20))
    await sync_feeds(world.deps, force=True)
    assert world.fetcher.known_digests[-1] == ""


async def test_events_no_rule_knows_are_reported_once_per_new_content_never_guessed(world: World) -> None:
    odd = CalendarEvent("x1", date(2026, 12, 1), date(2026, 12, 3), "Gesperrt")
    world.publish(("a", date(2026, 12, 5), 2), extra=(odd,))
    await sync_feeds(world.deps, force=True)
    world.clock.advance(timedelta(minutes=20))
    await sync_feeds(world.deps, force=True)  # the same content: not reported again
    async with world.deps.uow() as uow:
        events = await uow.events.list_for_host(world.ctx.actor.host_id)
        stays = await uow.reservations.list_for_property(world.property_id)
    reports = [e.message for e in events if e.kind is EventKind.FEED_UNCLASSIFIED]
    assert reports == [
        "1 event of the airbnb calendar of Alfama loft could not be classified and was left out: 'Gesperrt'. "
        "Check the feed's platform setting."
    ]
    assert [r.uid for r in stays] == ["a"]
