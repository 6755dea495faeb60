"""The seeded humans: what the demo and the tests rely on."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

from integrations.rentahuman.sandbox.deps import page
from integrations.rentahuman.sandbox.fixtures import default_humans


@pytest.fixture(params=[7, 1, 2026])
def humans(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    return default_humans(random.Random(request.param))


def test_there_are_36_humans_in_six_cities(humans: list[dict[str, Any]]) -> None:
    cities = Counter((h["location"]["city"], h["location"]["country"]) for h in humans)

    assert len(humans) == 36
    assert set(cities) == {
        ("Lisbon", "PT"), ("Austin", "US"), ("Las Vegas", "US"),
        ("Paris", "FR"), ("Mexico City", "MX"), ("Berlin", "DE"),
    }  # fmt: skip


@pytest.mark.parametrize("city", ["Lisbon", "Austin"])
def test_the_demo_cities_have_four_affordable_well_rated_cleaners(humans: list[dict[str, Any]], city: str) -> None:
    cleaners = [h for h in humans if h["location"]["city"] == city and "Cleaning" in h["skills"]]

    good = [h for h in cleaners if 18 <= h["hourlyRate"] <= 35 and h["rating"] >= 4.2 and h["isAvailable"]]
    assert len(good) >= 4
    assert sum(h["hourlyRate"] * 3 <= 90 for h in good) >= 3  # a 90 budget for 3 hours has a choice


def test_rates_ratings_and_skills_stay_in_their_ranges(humans: list[dict[str, Any]]) -> None:
    skills = {s for h in humans for s in h["skills"]}

    assert all(15 <= h["hourlyRate"] <= 60 and 3.5 <= h["rating"] <= 5.0 for h in humans)
    assert skills == {"Cleaning", "Handyman", "Laundry", "Photography", "Errands", "House Sitting", "Restocking"}


def test_ids_are_opaque_unique_and_twenty_characters(humans: list[dict[str, Any]]) -> None:
    ids = [h["id"] for h in humans]

    assert len(set(ids)) == 36 and all(len(i) == 20 and i.isalnum() for i in ids)


def test_availability_is_a_weekly_object(humans: list[dict[str, Any]]) -> None:
    for human in humans:
        days = human["availability"]
        assert 3 <= len(days) <= 6
        assert all(slot.keys() == {"start", "end"} for slots in days.values() for slot in slots)


def test_the_same_seed_gives_the_same_humans() -> None:
    assert default_humans(random.Random(7)) == default_humans(random.Random(7))


def test_a_page_is_clamped_to_100() -> None:
    items = [{"n": n} for n in range(150)]

    answer = page("items", items, limit=500, offset=0)

    assert (answer["count"], answer["hasMore"]) == (100, True)
