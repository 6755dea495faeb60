"""The sandbox over real HTTP: conversations and messages (§4, §5.7)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integrations.rentahuman.sandbox.conftest import OTHER_KEY, Api
from tests.integrations.rentahuman.support import Sim


async def start(sim: Sim, api: Api, path: str = "/conversations", **kw: Any) -> dict[str, Any]:
    body = {"humanId": (await sim.a_cleaner())["id"], "subject": "Friday turnover", "message": "Are you free?",
            "agentType": "other", "agentName": "Turnover"} | kw  # fmt: skip
    found: dict[str, Any] = (await api.ok("POST", path, body))["conversation"]
    return found


@pytest.mark.parametrize("path", ["/conversations", "/conversations/start"])
async def test_a_conversation_opens_with_the_agents_message(sim: Sim, api: Api, path: str) -> None:
    conversation = await start(sim, api, path, agentId="turnover-test")

    assert (conversation["status"], conversation["subject"], conversation["agentId"]) == (
        "active", "Friday turnover", "turnover-test"
    )  # fmt: skip
    [message] = conversation["messages"]
    assert (message["senderType"], message["content"], message["conversationId"]) == (
        "agent", "Are you free?", conversation["id"]
    )  # fmt: skip
    assert conversation["createdAt"] == message["createdAt"] == "2026-11-25T09:00:00Z"


async def test_conversations_need_a_key_and_stay_with_it(sim: Sim, api: Api) -> None:
    conversation = await start(sim, api)

    anonymous = await api.call("GET", "/conversations", headers={})
    foreign = await api.call("GET", f"/conversations/{conversation['id']}", headers=OTHER_KEY)
    listed = await api.ok("GET", "/conversations", headers=OTHER_KEY)

    assert (anonymous.status_code, foreign.status_code, listed["conversations"]) == (401, 404, [])


async def test_a_message_is_sent_listed_and_read_back(sim: Sim, api: Api) -> None:
    conversation = await start(sim, api)

    sent = await api.ok("POST", f"/conversations/{conversation['id']}/messages",
                        {"content": "Door code follows", "messageType": "text"})  # fmt: skip
    listed = await api.ok("GET", f"/conversations/{conversation['id']}/messages")
    whole = await api.ok("GET", f"/conversations/{conversation['id']}")

    assert {"id", "conversationId", "senderType", "content", "createdAt"} <= set(sent["message"])
    assert (sent["message"]["senderType"], sent["message"]["content"]) == ("agent", "Door code follows")
    assert [m["content"] for m in listed["messages"]] == ["Are you free?", "Door code follows"]
    assert whole["conversation"]["messages"] == listed["messages"]


async def test_conversations_filter_by_status(sim: Sim, api: Api) -> None:
    await start(sim, api)

    active = await api.ok("GET", "/conversations", params={"status": "active"})
    archived = await api.ok("GET", "/conversations", params={"status": "archived"})

    assert (active["count"], archived["count"]) == (1, 0)


async def test_opening_a_conversation_is_idempotent(sim: Sim, api: Api) -> None:
    first = await start(sim, api, idempotencyKey="hire-1-conversation")
    again = await start(sim, api, idempotencyKey="hire-1-conversation")

    assert again == first and len((await sim.state())["conversations"]) == 1


async def test_an_unknown_human_or_a_bad_message_type_is_refused(sim: Sim, api: Api) -> None:
    body = {"humanId": "nobody", "subject": "x", "message": "hi", "agentType": "other"}

    unknown = await api.call("POST", "/conversations", body)
    bad = await api.call("POST", "/conversations", body | {"messageType": "shout"})

    assert (unknown.status_code, bad.status_code) == (404, 400)


async def test_a_human_reply_is_a_message_received_event(sim: Sim, api: Api) -> None:
    conversation = await start(sim, api)

    await sim.post(f"conversations/{conversation['id']}/reply", {"content": "Yes, from 11:00"})

    messages = (await api.ok("GET", f"/conversations/{conversation['id']}/messages"))["messages"]
    events = (await sim.http.get(f"{sim.base_url}/_sim/webhooks")).json()["events"]
    assert messages[-1]["senderType"] == "human"
    assert events[-1]["type"] == "message.received" and events[-1]["data"]["conversationId"] == conversation["id"]
