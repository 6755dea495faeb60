from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.errors import BudgetExceeded
from domain.hires import Hire, HireStatus
from domain.hiring import Route, SearchCriteria, check_caps, committed_spend, month_start, rank_candidates, route_for
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
