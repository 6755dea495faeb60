"""Conversations, private messages and webhooks against the real sandbox server."""

from __future__ import annotations

import asyncio
import logging

import pytest

from domain.ports import PrivateMessage
from integrations.rentahuman.client import RentAHumanClient
from integrations.rentahuman.errors import RentAHumanNotFound, RentAHumanSignatureError
from integrations.rentahuman.webhooks import SIGNATURE_HEADER, sign_webhook, verify_webhook
from tests.integrations.rentahuman.support import Sim, WebhookReceiver, a_booking_request

DOOR_CODE = "Door code 4711, lockbox behind the plant"


def a_private_message(worker_id: str, key: str = "hire-h1-access") -> PrivateMessage:
    return PrivateMessage(worker_id=worker_id, subject="Access for tomorrow", text=DOOR_CODE, idempotency_key=key)


async def test_a_conversation_starts_with_our_first_message(sim: Sim, client: RentAHumanClient) -> None:
    human = await sim.a_cleaner()

    started = await client.start_conversation(human["id"], "Turnover tomorrow", "Hello!", idempotency_key="hire-c1")
    read = await client.get_conversation(started.id)

    assert (read.human_id, read.subject, read.status) == (human["id"], "Turnover tomorrow", "active")
    assert [(m.sender_type, m.content) for m in read.messages][:1] == [("agent", "Hello!")]


async def test_a_message_is_added_to_the_conversation(sim: Sim, client: RentAHumanClient) -> None:
    started = await client.start_conversation(
        (await sim.a_cleaner())["id"], "Turnover", "Hello!", idempotency_key="hire-c1"
    )

    sent = await client.send_message(started.id, "Fresh towels are in the hall closet.")
    read = await client.get_conversation(started.id)

    assert sent.conversation_id == started.id and sent.sender_type == "agent"
    assert read.messages[-1].content == "Fresh towels are in the hall closet."


async def test_a_message_to_an_unknown_conversation_is_not_found(client: RentAHumanClient) -> None:
    with pytest.raises(RentAHumanNotFound):
        await client.send_message("conv_unknown", "hello")


async def test_a_private_message_opens_a_conversation_once_per_key(sim: Sim, client: RentAHumanClient) -> None:
    message = a_private_message((await sim.a_cleaner())["id"])

    first = await client.send_private_message(message)
    second = await client.send_private_message(message)

    assert second == first
    conversations = (await sim.state())["conversations"]
    assert [c["id"] for c in conversations] == [first]


async def test_a_second_private_message_on_the_same_subject_is_a_new_conversation(
    sim: Sim, client: RentAHumanClient
) -> None:
    worker = (await sim.a_cleaner())["id"]
    first = await client.send_private_message(a_private_message(worker))

    second = await client.send_private_message(
        PrivateMessage(worker, "Access for tomorrow", "New code: 9090", "hire-h2-access")
    )

    assert second != first


async def test_private_text_is_never_logged_nor_in_a_repr(
    sim: Sim, client: RentAHumanClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    worker = (await sim.a_cleaner())["id"]
    conversation_id = await client.send_private_message(a_private_message(worker))

    conversation = await client.get_conversation(conversation_id)

    assert DOOR_CODE not in caplog.text
    assert "4711" not in repr(conversation) and "4711" not in repr(conversation.messages)


async def test_the_conversations_list_holds_ours(sim: Sim, client: RentAHumanClient) -> None:
    conversation_id = await client.send_private_message(a_private_message((await sim.a_cleaner())["id"]))

    assert [c.id for c in await client.list_conversations()] == [conversation_id]


# --- webhooks --------------------------------------------------------------------------------------


async def test_a_webhook_endpoint_is_registered_listed_and_deleted(
    client: RentAHumanClient, receiver: WebhookReceiver
) -> None:
    registered = await client.register_webhook(receiver.url, ["booking.status_changed"])

    listed = await client.list_webhooks()
    await client.delete_webhook(registered.endpoint.id)

    assert registered.secret and registered.secret not in repr(registered)
    assert [(e.id, e.url, e.events) for e in listed] == [
        (registered.endpoint.id, receiver.url, ("booking.status_changed",))
    ]
    assert await client.list_webhooks() == []


async def test_deleting_an_unknown_webhook_is_not_found(client: RentAHumanClient) -> None:
    with pytest.raises(RentAHumanNotFound):
        await client.delete_webhook("wh_unknown")


async def deliveries(receiver: WebhookReceiver, count: int) -> None:
    for _ in range(200):  # the sandbox may deliver after answering; 2 s at most
        if len(receiver.deliveries) >= count:
            return
        await asyncio.sleep(0.01)


async def test_the_sandboxs_signed_deliveries_verify_and_parse(
    sim: Sim, client: RentAHumanClient, receiver: WebhookReceiver
) -> None:
    registered = await client.register_webhook(receiver.url, ["booking.created", "booking.status_changed"])
    booking = await client.create_booking(a_booking_request((await sim.a_cleaner())["id"]))
    await client.update_booking_status(booking.booking_id, "cancelled")
    await deliveries(receiver, 2)

    events = [
        verify_webhook(registered.secret, d.body, d.headers.get(SIGNATURE_HEADER.lower())) for d in receiver.deliveries
    ]

    assert {e.type for e in events} >= {"booking.created", "booking.status_changed"}
    assert all(e.id and e.data.get("bookingId") == booking.booking_id for e in events)


async def test_an_altered_or_forged_delivery_is_refused(
    sim: Sim, client: RentAHumanClient, receiver: WebhookReceiver
) -> None:
    registered = await client.register_webhook(receiver.url, ["booking.created"])
    await client.create_booking(a_booking_request((await sim.a_cleaner())["id"]))
    await deliveries(receiver, 1)
    real = receiver.deliveries[0]
    signature = real.headers[SIGNATURE_HEADER.lower()]

    altered = real.body.replace(b"booking.created", b"booking.cancelled")
    for body, header in [
        (altered, signature),
        (real.body, sign_webhook("whsec_someone_else", real.body)),
        (real.body, None),
        (real.body, ""),
    ]:
        with pytest.raises(RentAHumanSignatureError):
            verify_webhook(registered.secret, body, header)


def test_a_signed_body_that_is_no_event_is_refused() -> None:
    for body in (b"not json", b"[1, 2]", b'{"id": "evt_1"}'):
        with pytest.raises(RentAHumanSignatureError):
            verify_webhook("whsec_1", body, sign_webhook("whsec_1", body))


def test_a_signature_may_carry_a_sha256_prefix_and_any_case() -> None:
    body = b'{"id":"evt_1","type":"booking.created","data":{"bookingId":"bk1"}}'
    signature = sign_webhook("whsec_1", body)

    assert verify_webhook("whsec_1", body, f"sha256={signature.upper()}").data == {"bookingId": "bk1"}


def test_no_secret_verifies_nothing() -> None:
    body = b'{"id":"evt_1","type":"booking.created"}'

    with pytest.raises(RentAHumanSignatureError):
        verify_webhook("", body, sign_webhook("", body))
