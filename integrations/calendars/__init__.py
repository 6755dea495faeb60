"""Calendar feeds over HTTP: fetch (`fetch.py`), parse (`parse.py`), and synthetic feeds for the demo,
tests and benchmarks (`synthetic.py`, `feed_server.py`).

Produces `domain.calendar.FeedSnapshot`; classifying and reconciling the events is the domain's job.
May import: `domain`, httpx, icalendar and the standard library.
"""
