"""The sandbox's default humans and reviews: deterministic for a seed, shaped as in `rentahuman-api.md` §5.1.

36 humans in six cities. Lisbon and Austin each have four cleaners at 18–35 an hour rated 4.2 or
more (the demo hires cleaners there with about 90 for 3 hours), plus a handyman, a restocker and a
photographer; the other cities have two cleaners and a mix of other skills. Rates are whole USD
(the domain does not convert currencies), ratings 3.5–5.0, ids 20-character Firestore-like strings.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

ID_ALPHABET = string.ascii_letters + string.digits
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SHIFTS = (("08:00", "16:00"), ("09:00", "17:00"), ("10:00", "18:00"), ("12:00", "20:00"))
CLEANER_RATES = ((18, 23), (21, 26), (24, 29), (28, 35))  # one band per cleaner: most fit 90 for 3 h


@dataclass(frozen=True, slots=True)
class City:
    name: str
    state: str | None
    country: str
    timezone: str
    cleaners: int
    others: tuple[str, ...]  # roles, in order
    first_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Role:
    skills: tuple[str, ...]
    headline: str
    expertise: tuple[str, ...]


ROLES = {
    "cleaner": Role(("Cleaning", "Laundry"), "Turnover cleaning pro", ("Airbnb turnovers", "Deep cleaning")),
    "handyman": Role(("Handyman", "Errands"), "Fixes what guests break", ("Small repairs", "Furniture assembly")),
    "restocker": Role(("Restocking", "Errands"), "Keeps your rental stocked", ("Supplies runs", "Inventory")),
    "photographer": Role(("Photography",), "Listing photos that book", ("Interior photography",)),
    "sitter": Role(("House Sitting", "Errands"), "Check-ins and house sitting", ("Guest check-in", "Key handover")),
    "laundry": Role(("Laundry", "Cleaning"), "Linen and laundry runs", ("Linen service",)),
}

CITIES = (
    City("Lisbon", None, "PT", "Europe/Lisbon", 4, ("handyman", "restocker", "photographer"),
         ("Ana", "João", "Marta", "Rui", "Inês", "Tiago", "Sofia", "Pedro")),
    City("Austin", "TX", "US", "America/Chicago", 4, ("handyman", "restocker", "sitter"),
         ("Maria", "Jake", "Ashley", "Carlos", "Megan", "Tyler", "Brianna", "Luis")),
    City("Las Vegas", "NV", "US", "America/Los_Angeles", 2, ("handyman", "restocker", "sitter", "photographer"),
         ("Jasmine", "Marcus", "Rosa", "Kevin", "Tanya", "Derek")),
    City("Paris", None, "FR", "Europe/Paris", 2, ("handyman", "laundry", "sitter", "photographer"),
         ("Camille", "Lucas", "Chloé", "Hugo", "Léa", "Mathieu")),
    City("Mexico City", None, "MX", "America/Mexico_City", 2, ("handyman", "restocker", "laundry"),
         ("Guadalupe", "Diego", "Fernanda", "Alejandro", "Valeria")),
    City("Berlin", None, "DE", "Europe/Berlin", 2, ("handyman", "sitter", "restocker"),
         ("Lena", "Jonas", "Mia", "Felix", "Hannah")),
)  # fmt: skip

COMMENTS = (
    "Spotless, and on time.",
    "Great communication, would book again.",
    "Did everything on the checklist and sent photos.",
    "Arrived a little late but the work was excellent.",
    "Reliable for same-day turnovers.",
    "Friendly and careful with the furniture.",
)


def new_id(rng: random.Random) -> str:
    """A 20-character opaque id, like a Firestore document id."""
    return "".join(rng.choice(ID_ALPHABET) for _ in range(20))


def default_humans(rng: random.Random) -> list[dict[str, Any]]:
    humans: list[dict[str, Any]] = []
    for city in CITIES:
        names = list(city.first_names)
        rng.shuffle(names)
        roles = ["cleaner"] * city.cleaners + list(city.others)
        for index, role in enumerate(roles):
            humans.append(_human(rng, city, ROLES[role], names[index], cleaner_band=index if role == "cleaner" else -1))
    return humans


def _human(rng: random.Random, city: City, role: Role, first_name: str, *, cleaner_band: int) -> dict[str, Any]:
    if cleaner_band >= 0:
        low, high = CLEANER_RATES[cleaner_band]
        rate, rating, available = rng.randint(low, high), round(rng.uniform(4.2, 5.0), 1), True
    else:
        rate, rating, available = rng.randint(15, 60), round(rng.uniform(3.5, 5.0), 1), rng.random() > 0.15
    skills = list(role.skills[:1]) + [s for s in role.skills[1:] if rng.random() < 0.6]
    location: dict[str, str] = {"city": city.name, "country": city.country}
    if city.state:
        location["state"] = city.state
    return {
        "id": new_id(rng),
        "name": f"{first_name} {rng.choice(string.ascii_uppercase)}.",
        "headline": role.headline,
        "bio": f"{role.headline} in {city.name}. Short-term rental work, {rng.randint(1, 9)} years.",
        "skills": skills,
        "expertise": list(role.expertise),
        "hourlyRate": rate,
        "currency": "USD",
        "location": location,
        "timezone": city.timezone,
        "availability": _availability(rng),
        "rating": rating,
        "reviewCount": rng.randint(3, 180),
        "isAvailable": available,
        "isVerified": rng.random() < 0.7,
        "isFeatured": rng.random() < 0.15,
    }


def _availability(rng: random.Random) -> dict[str, list[dict[str, str]]]:
    days = sorted(rng.sample(range(7), rng.randint(3, 6)))
    start, end = rng.choice(SHIFTS)
    return {WEEKDAYS[day]: [{"start": start, "end": end}] for day in days}


def default_reviews(rng: random.Random, humans: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """Up to three recent reviews per human (a sample of `reviewCount`), dated before `now`."""
    reviews: list[dict[str, Any]] = []
    for human in humans:
        for _ in range(min(3, human["reviewCount"])):
            stars = max(1, min(5, round(human["rating"] + rng.uniform(-0.8, 0.5))))
            when = now - timedelta(days=rng.randint(2, 300), minutes=rng.randint(0, 1439))
            reviews.append(
                {
                    "id": new_id(rng),
                    "humanId": human["id"],
                    "rating": stars,
                    "comment": rng.choice(COMMENTS),
                    "createdAt": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                }
            )
    return reviews


def complete_human(rng: random.Random, given: dict[str, Any]) -> dict[str, Any]:
    """A human added through `/_sim/seed`: what was given, over §5.1 defaults (a fresh id if none)."""
    defaults: dict[str, Any] = {
        "id": new_id(rng), "name": "Sim Human", "headline": "", "bio": "", "skills": [], "expertise": [],
        "hourlyRate": 25, "currency": "USD", "location": {}, "timezone": "UTC", "availability": {},
        "rating": 0, "reviewCount": 0, "isAvailable": True, "isVerified": False, "isFeatured": False,
    }  # fmt: skip
    return defaults | given
