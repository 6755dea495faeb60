from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from inline_snapshot import snapshot

from channels.console.notifier import ConsoleNotifier, render
from channels.console.tables import approvals_table, feed_health_table, hires_table, reservations_table, tasks_table
from domain.approvals import Approval
from domain.events import Event, EventKind
from domain.feeds import Platform
from domain.hires import Hire, HireStatus
from tests.builders import NOW, a_property, a_reservation, a_task
from tools.feeds import FeedHealthOut, FeedStatus, HoldOut

PROPS = {"prop_1": a_property()}
TASK = a_task(
    id="t1", same_day_turnover=True, window_start=NOW + timedelta(days=1), deadline=NOW + timedelta(days=1, hours=5)
)
HIRE = Hire(
    id="h1", host_id="host_1", property_id="prop_1", task_id="t1", attempt=1, worker_id="w1", worker_name="Sofia B.",
    price=Decimal("60"), idempotency_key="hire-t1-1", created_at=NOW, status=HireStatus.CONFIRMED, sandbox=True,
)  # fmt: skip


def test_reservations_render_with_dates_nights_and_guest_or_code() -> None:
    stays = [a_reservation(date(2026, 11, 28), 2, code="HMAAAA1111"), a_reservation(date(2026, 11, 25), 3, guest="Ana")]
    assert reservations_table(stays, PROPS) == snapshot("""\
property     check-in    check-out   nights  guest / code  status
-----------  ----------  ----------  ------  ------------  ---------
Alfama loft  Wed 25 Nov  Sat 28 Nov  3       Ana           confirmed
Alfama loft  Sat 28 Nov  Mon 30 Nov  2       HMAAAA1111    confirmed\
""")


def test_tasks_render_their_local_window_and_the_same_day_flag() -> None:
    assert tasks_table([TASK], PROPS) == snapshot("""\
property     task   window (local time)       turnover  status
-----------  -----  ------------------------  --------  -------
Alfama loft  clean  Thu 26 Nov 09:00 → 14:00  same-day  planned\
""")


def test_hires_say_when_they_come_from_the_sandbox() -> None:
    assert hires_table([HIRE], {"t1": TASK}, PROPS) == snapshot("""\
property     task              worker    price  status
-----------  ----------------  --------  -----  -------------------
Alfama loft  clean Thu 26 Nov  Sofia B.  60.00  confirmed (sandbox)\
""")


def test_approvals_show_price_worker_and_why() -> None:
    approval = Approval(
        id="apr_1", host_id="host_1", property_id="prop_1", task_id="t1", hire_id="h1", amount=Decimal("72"),
        reason="above the auto-approve limit of 60", expires_at=NOW + timedelta(hours=24), created_at=NOW,
    )  # fmt: skip
    assert approvals_table([approval], {"h1": HIRE}, {"t1": TASK}, PROPS) == snapshot("""\
approval  property     task              worker    price  why
--------  -----------  ----------------  --------  -----  ----------------------------------
apr_1     Alfama loft  clean Thu 26 Nov  Sofia B.  72.00  above the auto-approve limit of 60\
""")


async def test_a_notification_is_one_line_in_the_hosts_timezone() -> None:
    event = Event(
        id="e1", host_id="host_1", kind=EventKind.HIRE_BOOKED, subject_id="h1", created_at=NOW,
        message="Booked (sandbox) Sofia B. for clean at Alfama loft, Thu 26 Nov 11:00, 60.00.",
    )  # fmt: skip
    assert render(event, "America/Chicago") == snapshot(
        "[03:00] ✔ Booked (sandbox) Sofia B. for clean at Alfama loft, Thu 26 Nov 11:00, 60.00."
    )
    notifier = ConsoleNotifier(None)
    await notifier.send(event)
    assert notifier.sent == [event]


def a_feed_health(name: str, status: FeedStatus, **kw: object) -> FeedHealthOut:
    defaults: dict[str, object] = dict(
        feed_id="feed_1", property_id="prop_1", property_name=name, platform=Platform.AIRBNB,
        url="https://www.airbnb.test/…", status=status, last_success_at=NOW, last_attempt_at=NOW, next_fetch_at=None,
        consecutive_failures=0, last_error="", stale=False, hold=None, recent_fetches=[],
    )  # fmt: skip
    return FeedHealthOut.model_validate(defaults | kw)


def test_feed_health_is_one_row_per_feed_in_local_time_with_held_stale_and_error_notes() -> None:
    hold = HoldOut(
        since=NOW + timedelta(hours=1), fetches_seen=2, fetches_needed=3, min_span_minutes=120,
        reason="the feed came back empty while 3 upcoming stays were known",
    )  # fmt: skip
    feeds = [
        a_feed_health("Alfama loft", FeedStatus.OK),
        a_feed_health("Alfama loft", FeedStatus.HELD, platform=Platform.VRBO, hold=hold),
        a_feed_health("Beach house", FeedStatus.FAILING, consecutive_failures=9, last_error="HTTP 503", stale=True),
        a_feed_health("Cabin", FeedStatus.STALE, stale=True),
        a_feed_health("New flat", FeedStatus.NEVER_FETCHED, last_success_at=None, last_attempt_at=None),
    ]
    assert feed_health_table(feeds, ZoneInfo("America/Chicago")) == snapshot("""\
property     platform  status         last success      failures  notes
-----------  --------  -------------  ----------------  --------  --------------------------------------------------------------------------------------------------------------------
Alfama loft  airbnb    ok             2026-11-25 03:00  0
Alfama loft  vrbo      held           2026-11-25 03:00  0         held since 2026-11-25 04:00 (2 of 3 fetches, over ≥ 2 h): the feed came back empty while 3 upcoming stays were known
Beach house  airbnb    failing        2026-11-25 03:00  9         stale: no good fetch for 6 h; last error: HTTP 503
Cabin        airbnb    stale          2026-11-25 03:00  0
New flat     airbnb    never_fetched  never             0\
""")  # noqa: E501
