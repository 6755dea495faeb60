from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest

from domain.errors import BudgetExceeded
from domain.hires import Hire, HireStatus
from domain.hiring import (
    Route,
    SearchCriteria,
    Track,
    ack_deadline,
    available_for,
    check_caps,
    committed_spend,
    is_no_show,
    month_start,
    rank_candidates,
    route_for,
)
from domain.properties import HiringPolicy
from tests.builders import NOW, a_worker

CLEAN = SearchCriteria(skill="Cleaning", city="Lisbon", budget=Decimal("90"), min_rating=4.0, hours=3)


def test_candidates_must_have_the_skill_the_city_the_rating_and_fit_the_budget() -> None:
    workers = [
        a_worker("ok"),
        a_worker("handyman", skills=("Handyman",)),
        a_worker("porto", city="Porto"),
        a_worker("low", rating=3.2),
        a_worker("dear", hourly_rate=Decimal("31")),  # 93 for 3 h
        a_worker("away", is_available=False),
    ]
    assert [c.worker.id for c in rank_candidates(workers, CLEAN)] == ["ok"]


def test_price_is_rate_times_hours_in_cents() -> None:
    [candidate] = rank_candidates([a_worker(hourly_rate=Decimal("23.33"))], CLEAN)
    assert candidate.price == Decimal("69.99")


def test_better_rated_and_cheaper_workers_rank_first_and_ties_break_on_id() -> None:
    workers = [
        a_worker("b", rating=4.5),
        a_worker("a", rating=4.5),
        a_worker("star", rating=5.0, hourly_rate=Decimal("20")),
    ]
    assert [c.worker.id for c in rank_candidates(workers, CLEAN)] == ["star", "a", "b"]


def test_widening_adds_a_fifth_to_the_budget_and_lowers_the_rating_by_half() -> None:
    wide = CLEAN.widened()
    assert (wide.budget, wide.min_rating) == (Decimal("108.00"), 3.5)
    assert [c.worker.id for c in rank_candidates([a_worker("dear", hourly_rate=Decimal("31"))], wide)] == ["dear"]


def test_previously_tried_workers_are_excluded() -> None:
    assert rank_candidates([a_worker("w1")], CLEAN, exclude=frozenset({"w1"})) == []


def test_route_is_automatic_up_to_the_limit_and_an_approval_above() -> None:
    policy = HiringPolicy(auto_approve_limit=Decimal("80"))
    assert route_for(Decimal("80"), policy) is Route.AUTO
    assert route_for(Decimal("80.01"), policy) is Route.APPROVAL


def _caps(price: str, **kw: object) -> None:
    args: dict = dict(
        task_budget=Decimal("90"), property_spent=Decimal(0), property_budget=None, host_spent=Decimal(0), host_cap=None
    )
    check_caps(Decimal(price), **(args | kw))


def test_caps_per_task_per_property_and_per_host() -> None:
    _caps("90")
    with pytest.raises(BudgetExceeded):
        _caps("90.01")
    _caps("108", widened=True)
    with pytest.raises(BudgetExceeded):
        _caps("60", property_spent=Decimal("450"), property_budget=Decimal("500"))
    with pytest.raises(BudgetExceeded):
        _caps("60", host_spent=Decimal("1950"), host_cap=Decimal("2000"))


def _hire(hire_id: str, price: str, status: HireStatus, created: datetime, prop: str = "p1") -> Hire:
    return Hire(
        id=hire_id, host_id="h1", property_id=prop, task_id="t", attempt=1, worker_id="w", worker_name="W",
        price=Decimal(price), idempotency_key=hire_id, created_at=created, status=status,
    )  # fmt: skip


def test_spend_counts_live_and_completed_hires_of_the_month_only() -> None:
    start = month_start(NOW, "Europe/Lisbon")
    hires = [
        _hire("a", "50", HireStatus.CONFIRMED, NOW),
        _hire("b", "40", HireStatus.COMPLETED, NOW, prop="p2"),
        _hire("c", "70", HireStatus.CANCELLED, NOW),
        _hire("d", "30", HireStatus.PROPOSED, NOW),
        _hire("e", "99", HireStatus.COMPLETED, datetime(2026, 10, 31, 12, tzinfo=UTC)),
    ]
    assert committed_spend(hires, since=start) == Decimal("90")
    assert committed_spend(hires, since=start, property_id="p1") == Decimal("50")


def test_month_starts_at_local_midnight_of_the_first() -> None:
    start = month_start(datetime(2026, 12, 1, 5, tzinfo=UTC), "America/Chicago")
    assert start.isoformat() == "2026-11-01T00:00:00-05:00"


# --- availability, experience, deadlines -------------------------------------------------------

MONDAY_9_TO_5 = ((0, time(9), time(17)),)
CLEAN_WINDOW = (datetime(2026, 11, 30, 11, tzinfo=UTC), datetime(2026, 11, 30, 16, tzinfo=UTC))  # a Monday


def test_availability_is_read_in_the_worker_s_timezone() -> None:
    lisbon = a_worker(availability=MONDAY_9_TO_5, timezone="Europe/Lisbon")
    assert available_for(lisbon, *CLEAN_WINDOW, 3) is True
    tokyo = a_worker(availability=MONDAY_9_TO_5, timezone="Asia/Tokyo")  # 11:00 UTC is 20:00 there
    assert available_for(tokyo, *CLEAN_WINDOW, 3) is False
    assert available_for(a_worker(), *CLEAN_WINDOW, 3) is None  # not stated
    short = a_worker(availability=((0, time(14), time(17)),), timezone="UTC")
    assert available_for(short, *CLEAN_WINDOW, 3) is False  # only 2 h of the window
    assert available_for(short, *CLEAN_WINDOW, 2) is True


def test_ranking_prefers_the_worker_free_in_the_window_and_known_at_the_property() -> None:
    busy = a_worker("busy", rating=4.9, availability=((1, time(9), time(17)),))
    free = a_worker("free", rating=4.6, availability=MONDAY_9_TO_5)
    assert [c.worker.id for c in rank_candidates([busy, free], CLEAN, window=CLEAN_WINDOW)] == ["free", "busy"]
    plain = a_worker("plain", rating=4.9)
    regular = a_worker("regular", rating=4.5)
    track = Track(done={"regular": 5})
    assert [c.worker.id for c in rank_candidates([plain, regular], CLEAN, track=track)] == ["regular", "plain"]
    flaky = Track(done={"plain": 5}, no_shows={"plain": 1})
    assert rank_candidates([plain, regular], CLEAN, track=flaky)[0].worker.id == "regular"


def test_the_acknowledgement_deadline_leaves_a_late_hire_some_time() -> None:
    window = datetime(2026, 11, 28, 11, tzinfo=UTC)
    assert ack_deadline(window, window - timedelta(days=2), 12) == window - timedelta(hours=12)
    assert ack_deadline(window, window - timedelta(hours=6), 12) == window - timedelta(hours=3)
    assert ack_deadline(window, window - timedelta(minutes=90), 12) == window - timedelta(minutes=30)
    assert ack_deadline(window, window - timedelta(minutes=20), 12) == window


def test_a_no_show_is_a_confirmed_hire_not_started_after_the_grace() -> None:
    window = datetime(2026, 11, 28, 11, tzinfo=UTC)
    hire = Hire(
        id="h", host_id="host", property_id="p", task_id="t", attempt=1, worker_id="w", worker_name="W",
        price=Decimal("75"), idempotency_key="k", created_at=window - timedelta(days=1), status=HireStatus.CONFIRMED,
    )  # fmt: skip
    assert not is_no_show(hire, window, window + timedelta(minutes=44))
    assert is_no_show(hire, window, window + timedelta(minutes=45))
    hire.status = HireStatus.IN_PROGRESS
    assert not is_no_show(hire, window, window + timedelta(hours=2))
