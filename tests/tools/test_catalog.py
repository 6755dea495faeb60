# ruff: noqa: E501  (the pinned descriptions are kept whole, one per line)
"""The catalog is a public API: tool names, flags, parameters and descriptions are pinned here.

A change to this snapshot is a change every MCP client, the agent and every script built on
`turnover call` sees: review it as such (`pytest --inline-snapshot=fix` after a deliberate change).
"""

from __future__ import annotations

from typing import Any

from inline_snapshot import snapshot

from tools.catalog import default_catalog
from tools.registry import ToolSpec

FLAGS = ("read_only", "destructive", "idempotent", "spends_money", "needs_approval", "humans_only", "open_world")


def _type(schema: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in schema:
        target = defs[schema["$ref"].rsplit("/", 1)[-1]]
        return "|".join(target.get("enum", [])) or target.get("title", "object")
    if "anyOf" in schema:
        return " or ".join(_type(option, defs) for option in schema["anyOf"])
    if "enum" in schema:
        return "|".join(schema["enum"])
    return str(schema.get("format", schema.get("type", "any")))


def _pinned(spec: ToolSpec) -> dict[str, Any]:
    schema = spec.parameters_schema()
    defs, required = schema.get("$defs", {}), set(schema.get("required", []))
    params = {}
    for name, prop in schema["properties"].items():
        default = "" if name in required else f" = {prop.get('default')!r}"
        params[name] = f"{_type(prop, defs)}{default}: {prop.get('description', '')}"
    flags = [flag for flag in FLAGS if getattr(spec.meta, flag)]
    return {"flags": flags, "description": spec.description, "parameters": params}


def test_the_catalog_names_are_the_public_api() -> None:
    assert default_catalog().names() == snapshot(
        [
            "add_property",
            "list_properties",
            "get_property",
            "update_property",
            "add_feed",
            "feed_health",
            "sync_now",
            "preview_feed",
            "remove_feed",
            "list_reservations",
            "upcoming_reservations",
            "get_reservation",
            "list_tasks",
            "get_task",
            "create_task",
            "reschedule_task",
            "cancel_task",
            "search_humans",
            "get_human",
            "list_reviews",
            "list_skills",
            "propose_hire",
            "create_booking",
            "get_booking_status",
            "cancel_booking",
            "list_hires",
            "list_approvals",
            "decide_approval",
            "get_summary",
            "what_happened",
        ]
    )


def test_the_catalog_is_pinned() -> None:
    assert {spec.name: _pinned(spec) for spec in default_catalog()} == snapshot(
        {
            "add_property": {
                "flags": [],
                "description": "Add a property the host rents out.",
                "parameters": {
                    "name": 'string: what the host calls it, e.g. "Alfama loft".',
                    "city": "string: the city workers are searched in.",
                    "timezone": "string: IANA timezone of the property, e.g. Europe/Lisbon.",
                    "address": "string = '': the exact address; private, sent to a worker only after a hire is confirmed.",
                    "check_in_time": "string = '16:00': guests' check-in time, HH:MM local.",
                    "check_out_time": "string = '11:00': guests' checkout time, HH:MM local.",
                    "cleaning_budget": "number or string = '90': the most one clean may cost.",
                    "cleaning_minutes": "integer = 180: how long a clean takes.",
                    "auto_approve_limit": "number or string = '120': hires at or under this price need no approval. A property an assistant adds starts at 0 (every hire waits for a person) until a person raises it.",
                    "monthly_budget": "number or string or null = None: the most all hires of this property may cost in a month.",
                    "check_in_tasks": "boolean = False: plan a check-in visit for every arrival.",
                    "check_out_tasks": "boolean = False: plan a check-out visit for every departure.",
                    "max_guests": "integer = 2: how many guests the property sleeps (a stay with no guest count counts as full).",
                    "restock_every_stays": "integer or null = None: plan a restock after every N stays (unset: off).",
                    "supplies_guest_nights": "integer or null = None: guest-nights the supplies last; a restock is planned at 80% (unset: off).",
                    "inspection_after_vacant_days": "integer or null = None: inspect before an arrival that follows N or more empty days (unset: off).",
                    "maintenance_every_days": "integer or null = None: plan maintenance every N days, on a vacant day (unset: off).",
                    "access_notes": "string = '': door codes, key box, Wi-Fi; private, sent to a worker only after a hire is confirmed.",
                    "min_rating": "number = 4.0: the lowest worker rating hired without asking (0-5).",
                    "ack_hours": "integer = 12: a booking the worker has not confirmed this many hours before the window goes to someone else.",
                },
            },
            "list_properties": {
                "flags": ["read_only", "idempotent"],
                "description": "List the host's properties.",
                "parameters": {
                    "limit": "integer = 50: page size, at most 200.",
                    "offset": "integer = 0: how many to skip.",
                },
            },
            "add_feed": {
                "flags": [],
                "description": "Connect a calendar feed (iCal export URL) to a property.",
                "parameters": {
                    "property_id": "string: the property the calendar belongs to.",
                    "url": "string: the iCal export URL; a secret, never shown back in full.",
                    "platform": "airbnb|vrbo|booking|generic = 'airbnb': airbnb, vrbo, booking or generic.",
                    "blocks_are_bookings": "boolean = False: treat closed dates as stays (Booking.com, some PMS exports); a closed range that mirrors a reservation of another feed of the property still makes no second set of tasks.",
                    "honour_event_times": "boolean = False: use the check-in/out times the feed's events carry (Guesty, Hospitable, Hostaway).",
                    "dtend_is_last_night": "boolean = False: the feed's end date is the last night, not the checkout day (some PMS exports).",
                },
            },
            "get_property": {
                "flags": ["read_only", "idempotent"],
                "description": "One property with all its settings (times, budgets, hiring policy, planning rules) and its feeds.",
                "parameters": {"property_id": "string: the property (from list_properties)."},
            },
            "update_property": {
                "flags": ["idempotent"],
                "description": """\
Change a property's settings; only the arguments given change. Tasks are planned again with the
new rules. Raising a budget or limit (or lowering the minimum rating) is for a person: an assistant
cannot raise spending.\
""",
                "parameters": {
                    "property_id": "string: the property to change.",
                    "name": "string or null = None: what the host calls it.",
                    "city": "string or null = None: the city workers are searched in.",
                    "timezone": "string or null = None: IANA timezone, e.g. Europe/Lisbon.",
                    "address": "string or null = None: the exact address (private).",
                    "check_in_time": "string or null = None: guests' check-in time, HH:MM local.",
                    "check_out_time": "string or null = None: guests' checkout time, HH:MM local.",
                    "cleaning_budget": "number or string or null = None: the most one clean may cost.",
                    "cleaning_minutes": "integer or null = None: how long a clean takes.",
                    "auto_approve_limit": "number or string or null = None: hires at or under this price need no approval.",
                    "monthly_budget": "number or string or null = None: the most all hires of this property may cost in a month; 0 removes the budget.",
                    "min_rating": "number or null = None: the lowest worker rating hired without asking (0-5).",
                    "ack_hours": "integer or null = None: hours before the window by which a worker must confirm.",
                    "max_guests": "integer or null = None: how many guests the property sleeps.",
                    "check_in_tasks": "boolean or null = None: plan a check-in visit for every arrival.",
                    "check_out_tasks": "boolean or null = None: plan a check-out visit for every departure.",
                    "restock_every_stays": "integer or null = None: a restock after every N stays; 0 turns it off.",
                    "supplies_guest_nights": "integer or null = None: guest-nights the supplies last; 0 turns it off.",
                    "inspection_after_vacant_days": "integer or null = None: inspect before an arrival after N empty days; 0 turns it off.",
                    "maintenance_every_days": "integer or null = None: maintenance every N days; 0 turns it off.",
                    "access_notes": "string or null = None: door codes, key box, Wi-Fi (private; sent to a worker only after a confirmed hire).",
                },
            },
            "feed_health": {
                "flags": ["read_only", "idempotent"],
                "description": """\
Show how each calendar feed of the host is doing: its status, last good fetch, failures,
any change held back for confirmation, and its last 5 fetches. Feed URLs are shown redacted.

The status is the first that applies: never_fetched, failing (fetches failed since the last good
one), stale (no good fetch for 6 h), held (a change waits for confirming fetches), ok.\
""",
                "parameters": {
                    "property_id": "string or null = None: only this property's feeds; leave it out for every feed of the host."
                },
            },
            "sync_now": {
                "flags": ["idempotent", "open_world"],
                "description": """\
Read calendar feeds now instead of waiting for the next scheduled sync, then plan the tasks.
The usual safety rules apply: a broken or suddenly empty feed changes nothing until confirmed.\
""",
                "parameters": {
                    "property_id": "string or null = None: only this property's feeds.",
                    "feed_id": "string or null = None: only this feed.",
                },
            },
            "preview_feed": {
                "flags": ["read_only", "idempotent", "open_world"],
                "description": """\
Preview a calendar feed without storing anything: the stays, blocks and unrecognised events the
sync would see, with any problems. Use it before add_feed, or to check a connected feed.\
""",
                "parameters": {
                    "url": "string or null = None: an iCal export URL to try (a secret: never shown back in full).",
                    "feed_id": "string or null = None: a connected feed to read instead of a URL.",
                    "platform": "airbnb|vrbo|booking|generic or null = None: airbnb, vrbo, booking or generic (default: the feed's own, or airbnb for a URL).",
                },
            },
            "remove_feed": {
                "flags": ["destructive"],
                "description": """\
Disconnect a calendar feed. The stays it brought in go with it, and on the next pass their open
tasks (and any bookings for them) are cancelled; so a feed with upcoming stays is only removed with
force. Replacing a feed's URL? Add the new feed first, then remove the old one.\
""",
                "parameters": {
                    "feed_id": "string: the feed to remove.",
                    "force": "boolean = False: remove it even though it still has upcoming stays.",
                },
            },
            "list_reservations": {
                "flags": ["read_only", "idempotent"],
                "description": """\
The host's reservations (stays from the calendar feeds), by check-in date, oldest first.

Use upcoming_reservations for what is coming up next.\
""",
                "parameters": {
                    "property_id": "string or null = None: only this property's stays.",
                    "status": "confirmed|tentative|cancelled|out_of_window|merged or null = None: only stays in this status (confirmed, tentative, cancelled, out_of_window, merged).",
                    "limit": "integer = 50: page size, at most 200.",
                    "offset": "integer = 0: how many to skip.",
                },
            },
            "upcoming_reservations": {
                "flags": ["read_only", "idempotent"],
                "description": """\
Who is in, arriving or leaving over the next days, soonest first: stays that are in the house
today, leave today, or arrive within `days` (counted in each property's own timezone).\
""",
                "parameters": {
                    "days": "integer = 14: how many days ahead to look, 1 to 90.",
                    "property_id": "string or null = None: only this property's stays.",
                },
            },
            "get_reservation": {
                "flags": ["read_only", "idempotent"],
                "description": """\
One reservation in full: its dates and guest label, the tasks it made (with their status) and
how it changed since it was first seen.\
""",
                "parameters": {
                    "reservation_id": "string: the reservation (from list_reservations or upcoming_reservations)."
                },
            },
            "list_tasks": {
                "flags": ["read_only", "idempotent"],
                "description": """\
The host's tasks (cleans, check-in and check-out visits, restocks, inspections, maintenance), by
start time, earliest first.\
""",
                "parameters": {
                    "property_id": "string or null = None: only this property's tasks.",
                    "status": "planned|awaiting_approval|hiring|booked|in_progress|done|cancelled|needs_host|failed or null = None: only tasks in this status (planned, awaiting_approval, hiring, booked, in_progress, done, cancelled, needs_host, failed).",
                    "kind": "clean|check_in|check_out|restock|inspection|maintenance or null = None: only tasks of this kind (clean, check_in, check_out, restock, inspection, maintenance).",
                    "limit": "integer = 50: page size, at most 200.",
                    "offset": "integer = 0: how many to skip.",
                },
            },
            "get_task": {
                "flags": ["read_only", "idempotent"],
                "description": "One task in full, with every worker booked or proposed for it (name, price, status, booking id).",
                "parameters": {"task_id": "string: the task (from list_tasks or get_reservation)."},
            },
            "create_task": {
                "flags": ["idempotent"],
                "description": """\
Add a task by hand (an extra clean, a repair, letting someone in...). Turnover then hires for it
like any planned task: at once within the property's auto-approve limit, through an approver above it.

The same call made again (same property, kind, start and deadline) returns the task it made
instead of adding a second one; if that task was cancelled, it is opened again.\
""",
                "parameters": {
                    "property_id": "string: the property the work is at.",
                    "kind": "clean|check_in|check_out|restock|inspection|maintenance: clean, check_in, check_out, restock, inspection or maintenance.",
                    "start": "date-time: the earliest start, an ISO date-time such as 2026-12-01T10:00; without an offset it is the property's local time.",
                    "deadline": "date-time: when it must be done by, in the same form; after the start and not already passed.",
                    "budget": "number or string or null = None: the most it may cost; leave it out for the property's usual budget for this kind of task.",
                    "note": "string = '': what it is for, shown to the host and kept in the audit log; never sent to workers.",
                },
            },
            "reschedule_task": {
                "flags": ["idempotent"],
                "description": """\
Move a manual task (or one the planner no longer looks after) to a new window.

A worker booked for it is not left on the old time: on its next pass the pipeline cancels that
booking on the marketplace and books the task again for the new window (the same worker may take
it again), and the host is told. A booking still being sent is dropped and sent again the same
way; a worker waiting for an approver is booked for the new time if approved. Work that has
started cannot be moved. Tasks the planner makes from the stays (the clean after a checkout,
visits, restocks, inspections, maintenance) follow the stays and the property's times, and moving
one by hand would be undone by the next planning: that is refused; cancel it and create a manual
task for the new time instead.\
""",
                "parameters": {
                    "task_id": "string: the task to move.",
                    "start": "date-time: the new earliest start, an ISO date-time; without an offset it is the property's local time.",
                    "deadline": "date-time: the new deadline, in the same form; after the start and not already passed.",
                },
            },
            "cancel_task": {
                "flags": ["destructive", "idempotent", "open_world"],
                "description": """\
Cancel a task: nobody more is hired for it, and a worker booked or proposed for it is cancelled at
once on the marketplace (an approval card is withdrawn). The planner never brings back a task a
person cancelled. Cancelling it again changes nothing, but retries a booking that could not be
cancelled the first time (the pipeline also cancels those on its next pass).\
""",
                "parameters": {
                    "task_id": "string: the task to cancel.",
                    "reason": "string = '': why, for the audit log and the host's notification.",
                },
            },
            "search_humans": {
                "flags": ["read_only", "idempotent", "open_world"],
                "description": "Search RentAHuman for workers with a skill, best rated first.",
                "parameters": {
                    "skill": "string: a skill such as Cleaning or Handyman (see list_skills); matched loosely by the marketplace.",
                    "city": "string or null = None: only workers in this city.",
                    "max_rate": "number or string or null = None: the highest hourly rate to show.",
                    "min_rating": "number = 0.0: the lowest rating to show (0-5).",
                    "limit": "integer = 20: how many to show, at most 50.",
                },
            },
            "get_human": {
                "flags": ["read_only", "idempotent", "open_world"],
                "description": "One RentAHuman worker's profile: skills, rate, city, rating.",
                "parameters": {"human_id": "string: the worker's id (from search_humans)."},
            },
            "list_reviews": {
                "flags": ["read_only", "idempotent", "open_world"],
                "description": "What hosts wrote about a RentAHuman worker, with the average rating.",
                "parameters": {
                    "human_id": "string: the worker's id (from search_humans).",
                    "limit": "integer = 20: how many reviews to show, at most 100.",
                },
            },
            "list_skills": {
                "flags": ["read_only", "idempotent"],
                "description": "The skills to search RentAHuman with (the marketplace has no list of its own; skills are free text).",
                "parameters": {},
            },
            "propose_hire": {
                "flags": ["spends_money", "open_world"],
                "description": """\
Propose a worker for a task: an approval card goes to the host's approvers, and nothing is booked
or spent until a person approves it. Use this to suggest spending.\
""",
                "parameters": {
                    "task_id": "string: the task to staff.",
                    "human_id": "string: the RentAHuman worker (from search_humans); booked at their own hourly rate.",
                },
            },
            "create_booking": {
                "flags": ["spends_money", "needs_approval", "open_world"],
                "description": """\
Book a worker for a task on the marketplace. At or under the property's auto-approve limit it is
booked at once; above it, a request from an assistant becomes an approval card for a person.
Budgets and monthly caps are always checked first.\
""",
                "parameters": {
                    "task_id": "string: the task to staff.",
                    "human_id": "string: the RentAHuman worker (from search_humans); booked at their own hourly rate.",
                },
            },
            "get_booking_status": {
                "flags": ["read_only", "idempotent", "open_world"],
                "description": "A hire's status, with the marketplace's own answer for its booking when it has one.",
                "parameters": {"hire_id": "string: the hire (from list_hires or get_task)."},
            },
            "cancel_booking": {
                "flags": ["destructive", "idempotent", "open_world"],
                "description": "Cancel a hire: its marketplace booking is cancelled (or its approval card withdrawn).",
                "parameters": {
                    "hire_id": "string: the hire to cancel.",
                    "rehire": "boolean = True: true to let Turnover find someone else for the task; false to leave the task to the host.",
                    "reason": "string = '': why, for the audit log and the host's notification.",
                },
            },
            "list_hires": {
                "flags": ["read_only", "idempotent"],
                "description": "The host's hires, newest first: who was booked or proposed for which task, at what price.",
                "parameters": {
                    "task_id": "string or null = None: only this task's hires.",
                    "status": "proposed|requested|booked|confirmed|in_progress|completed|cancelled|failed or null = None: only hires in this status (proposed, requested, booked, confirmed, in_progress, completed, cancelled, failed).",
                    "limit": "integer = 50: page size, at most 200.",
                    "offset": "integer = 0: how many to skip.",
                },
            },
            "list_approvals": {
                "flags": ["read_only", "idempotent"],
                "description": "Spending waiting for a decision: who, for what, how much, and until when. Oldest first.",
                "parameters": {
                    "limit": "integer = 50: page size, at most 200.",
                    "offset": "integer = 0: how many to skip.",
                },
            },
            "decide_approval": {
                "flags": ["spends_money", "humans_only", "open_world"],
                "description": """\
Approve or decline a proposed hire. For people only: the agent may propose spending, never approve it.

Approving re-checks the budgets and caps, then books the worker at once. Declining hands the
task to the host. Deciding twice changes nothing and reports the first decision.\
""",
                "parameters": {
                    "approval_id": "string: the approval to decide.",
                    "approve": "boolean: true to book the worker, false to decline.",
                    "note": "string = '': why, for the audit log.",
                },
            },
            "get_summary": {
                "flags": ["read_only", "idempotent"],
                "description": """\
How the business is doing, per property and in total: occupancy over the next days, the cleans
coming up (and how many are same-day turnovers), tasks and approvals waiting for a person, and this
month's spend against each property's monthly budget and the host's monthly cap.\
""",
                "parameters": {
                    "days": "integer = 30: how many days ahead occupancy and turnovers cover, 1 to 365 (from today, in each property's timezone)."
                },
            },
            "what_happened": {
                "flags": ["read_only", "idempotent"],
                "description": """\
What was done and by whom, newest first: every change made through a tool (who, through which
channel, with which arguments, and the result) and what Turnover recorded on its own (bookings
seen, tasks planned, workers hired, feeds failing...), which is listed under the scheduler channel.\
""",
                "parameters": {
                    "since": "date-time or null = None: only what happened at or after this ISO date-time; without an offset it is the host's local time.",
                    "property_id": "string or null = None: only what concerns this property (calls naming it, and what Turnover recorded about it).",
                    "channel": "cli|console|mcp|slack|telegram|web|agent|scheduler or null = None: only calls made through this channel (cli, console, mcp, slack, telegram, web, agent, scheduler); Turnover's own records count as scheduler.",
                    "limit": "integer = 50: page size, at most 200.",
                    "offset": "integer = 0: how many to skip.",
                },
            },
        }
    )


def test_the_five_marketplace_tools_of_the_original_design_keep_their_names() -> None:
    names = set(default_catalog().names())
    assert {"search_humans", "create_booking", "get_booking_status", "list_skills", "cancel_booking"} <= names


def test_spending_tools_are_flagged_and_deciding_stays_with_people() -> None:
    catalog = default_catalog()
    assert sorted(s.name for s in catalog if s.meta.spends_money) == [
        "create_booking",
        "decide_approval",
        "propose_hire",
    ]
    assert [s.name for s in catalog if s.meta.humans_only] == ["decide_approval"]
    assert [s.name for s in catalog if s.meta.needs_approval] == ["create_booking"]
    assert all(not (s.meta.read_only and s.meta.destructive) for s in catalog)
