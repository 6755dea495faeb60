from __future__ import annotations

import contextlib

import httpx

from integrations.calendars.feed_server import FeedServer


def test_the_server_serves_what_was_set_and_404s_the_rest() -> None:
    with FeedServer() as server:
        server.set("/a.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        served = httpx.get(server.url("/a.ics?t=token"))
        missing = httpx.get(server.url("/b.ics"))

    assert (served.status_code, served.content) == (200, b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    assert served.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert missing.status_code == 404
    assert [r.path for r in server.requests] == ["/a.ics?t=token", "/b.ics"]


def test_setting_a_path_again_replaces_its_answer_and_remove_forgets_it() -> None:
    with FeedServer() as server:
        server.set("/a.ics", b"first")
        server.set("/a.ics", b"{}", status=500, content_type="application/json")
        replaced = httpx.get(server.url("/a.ics"))
        server.remove("/a.ics")
        removed = httpx.get(server.url("/a.ics"))

    assert (replaced.status_code, replaced.content) == (500, b"{}")
    assert replaced.headers["Content-Type"] == "application/json"
    assert removed.status_code == 404


def test_stopping_wakes_a_delayed_answer_instead_of_waiting_for_it() -> None:
    with FeedServer() as server:
        server.set("/slow.ics", b"late", delay=30.0)
        with contextlib.suppress(httpx.TimeoutException):
            httpx.get(server.url("/slow.ics"), timeout=0.05)
    # Leaving the block joined every handler thread; a 30 s wait would have timed the suite out.
    assert server.requests[0].path == "/slow.ics"
