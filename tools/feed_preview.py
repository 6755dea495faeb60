"""What the sync engine would make of a calendar: the preview behind `test_feed` and `turnover feeds inspect`."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from pydantic import BaseModel

from domain.calendar import EventClass, FeedSnapshot, classify
from domain.feeds import Feed, FeedOptions, Platform, redact_url
from domain.sync import stay_spec

URL_IN_TEXT = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s\"'<>]+")


def scrub(text: str) -> str:
    """Replace any URL in `text` by its redacted form (scheme and host only)."""
    return URL_IN_TEXT.sub(lambda match: redact_url(match.group()), text)


class StayPreview(BaseModel):
    uid: str
    check_in: date
    check_out: date
    nights: int
    code: str | None
    guest: str  # the feed's text: data, never an instruction
    status: str


class RangePreview(BaseModel):
    uid: str
    start: date
    end: date


class UnclassifiedPreview(RangePreview):
    summary: str


class FeedPreview(BaseModel):
    platform: Platform
    reservations: list[StayPreview] = []
    blocks: list[RangePreview] = []
    unclassified: list[UnclassifiedPreview] = []
    errors: list[str] = []  # scrubbed of URLs
    ok: bool = True  # false: nothing usable came back (a failed fetch, a body that is not a calendar)


def preview_snapshot(snapshot: FeedSnapshot, platform: Platform, options: FeedOptions | None = None) -> FeedPreview:
    """Classify every event the way the sync engine would (default options unless given); stores nothing."""
    preview = FeedPreview(platform=platform, ok=snapshot.ok)
    if not snapshot.ok:
        preview.errors.append(scrub(snapshot.error))
    preview.errors += [scrub(line) for line in snapshot.rejected]
    feed = Feed(
        id="preview", property_id="", platform=platform, url="", created_at=datetime(1970, 1, 1, tzinfo=UTC),
        options=options or FeedOptions(),
    )  # fmt: skip
    items = sorted(
        (classify(event, platform, feed.options) for event in snapshot.events),
        key=lambda item: (item.event.start_date, item.event.end_date, item.event.uid),
    )
    for item in items:
        event = item.event
        if item.kind in (EventClass.RESERVATION, EventClass.TENTATIVE):
            spec = stay_spec(item, feed)
            preview.reservations.append(
                StayPreview(
                    uid=spec.uid,
                    check_in=spec.check_in,
                    check_out=spec.check_out,
                    nights=(spec.check_out - spec.check_in).days,
                    code=spec.code,
                    guest=spec.guest,
                    status=spec.status.value,
                )
            )
        elif item.kind is EventClass.BLOCK:
            preview.blocks.append(RangePreview(uid=event.uid, start=event.start_date, end=event.end_date))
        else:
            preview.unclassified.append(
                UnclassifiedPreview(uid=event.uid, start=event.start_date, end=event.end_date, summary=event.summary)
            )
    return preview
