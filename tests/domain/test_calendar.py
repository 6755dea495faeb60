from datetime import date

from domain.calendar import EventClass, classify, events_hash
from domain.feeds import FeedOptions, Platform
from tests.builders import an_event

OPTS = FeedOptions()
DESCRIPTION = (
    "Reservation URL: https://www.airbnb.com/hosting/reservations/details/HMQ2X7KD4P\n"
    "Phone Number (Last 4 Digits): 4821"
)


def _kind(summary: str, platform: Platform) -> EventClass:
    return classify(an_event("u", date(2026, 1, 1), date(2026, 1, 2), summary), platform, OPTS).kind


def test_summaries_are_classified_per_platform() -> None:
    assert _kind("Reserved", Platform.AIRBNB) is EventClass.RESERVATION
    assert _kind("Airbnb (Not available)", Platform.AIRBNB) is EventClass.BLOCK
    assert _kind("Réservée - Anne & Paul", Platform.VRBO) is EventClass.RESERVATION
    assert _kind("Provisoire - Marc", Platform.VRBO) is EventClass.TENTATIVE
    assert _kind("Indisponible", Platform.VRBO) is EventClass.BLOCK
    assert _kind("CLOSED - Not available", Platform.BOOKING) is EventClass.BLOCK
    assert _kind("Gesperrt", Platform.GENERIC) is EventClass.UNCLASSIFIED


def test_airbnb_code_and_phone_are_read_from_the_description() -> None:
    item = classify(an_event("u", date(2026, 1, 1), date(2026, 1, 2), "Reserved", DESCRIPTION), Platform.AIRBNB, OPTS)
    assert (item.code, item.phone_last4) == ("HMQ2X7KD4P", "4821")


def test_a_redacted_code_is_null_but_the_phone_is_kept() -> None:
    text = DESCRIPTION.replace("HMQ2X7KD4P", "HMNxxx8J99")
    item = classify(an_event("u", date(2026, 1, 1), date(2026, 1, 2), "Reserved", text), Platform.AIRBNB, OPTS)
    assert (item.code, item.phone_last4) == (None, "4821")


def test_vrbo_guest_names_are_kept_as_labels() -> None:
    item = classify(an_event("u", date(2026, 1, 1), date(2026, 1, 2), "Reserved - Ana S."), Platform.VRBO, OPTS)
    assert item.guest == "Ana S."


def test_the_events_hash_ignores_order_but_not_dates() -> None:
    a = an_event("a", date(2026, 1, 1), date(2026, 1, 2))
    b = an_event("b", date(2026, 1, 5), date(2026, 1, 6))
    assert events_hash([a, b]) == events_hash([b, a])
    assert events_hash([a]) != events_hash([an_event("a", date(2026, 1, 1), date(2026, 1, 3))])
