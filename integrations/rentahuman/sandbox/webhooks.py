"""Webhook registration and signed, asynchronous delivery (`rentahuman-api.md` §4, §5.8, §10).

Two registration styles: `POST /webhooks/endpoints {url, events}` (secret shown once) and
`PATCH /keys/{id} {webhookUrl}` (every event). An event goes only to endpoints registered by the API
key that owns the object. Delivery: `POST url` with the JSON event and
`X-RentAHuman-Signature: hex(HMAC-SHA256(secret, raw body))`, in a background task. A non-2xx answer
or a transport error is retried `webhookRetries` times (default 2) after 50 ms, 100 ms, ...; a
`webhook_fail` fault answers for the receiver without sending. Every attempt is recorded for
`GET /_sim/webhooks`.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from typing import Any

import httpx

from integrations.rentahuman.sandbox.models import not_found
from integrations.rentahuman.sandbox.runtime import Runtime
from integrations.rentahuman.sandbox.state import Event, SandboxState, WebhookEndpoint

SIGNATURE_HEADER = "X-RentAHuman-Signature"
RETRY_DELAY = 0.05


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def register(state: SandboxState, owner_key: str, url: str, events: list[str], *, style: str) -> WebhookEndpoint:
    secret = f"whsec_{state.ids.getrandbits(128):032x}"
    endpoint = WebhookEndpoint(f"we_{state.new_id()}", owner_key, url, list(events), secret, style, state.now)
    state.webhooks[endpoint.id] = endpoint
    return endpoint


def set_key_webhook(state: SandboxState, owner_key: str, key_id: str, url: str | None) -> WebhookEndpoint | None:
    """The `PATCH /keys/{id}` style: one URL per key id, replacing the previous one; None removes it."""
    for endpoint in list(state.webhooks.values()):
        if endpoint.owner_key == owner_key and endpoint.style == f"key:{key_id}":
            del state.webhooks[endpoint.id]
    return None if url is None else register(state, owner_key, url, ["*"], style=f"key:{key_id}")


def remove(state: SandboxState, owner_key: str, endpoint_id: str) -> None:
    endpoint = state.webhooks.get(endpoint_id)
    if endpoint is None or endpoint.owner_key != owner_key:
        raise not_found("Webhook endpoint")
    del state.webhooks[endpoint_id]


class Deliverer:
    """Listens to the state's events and delivers each to the owner's endpoints in the background."""

    def __init__(self, state: SandboxState, runtime: Runtime) -> None:
        self.state, self.runtime = state, runtime
        state.listeners.append(self.on_event)

    def on_event(self, event: Event) -> None:
        for endpoint in self.state.webhooks.values():
            if endpoint.owner_key == event.owner_key and endpoint.wants(event.type):
                try:
                    self.runtime.spawn(self.deliver(endpoint, event))
                except RuntimeError:  # no running loop: nobody can receive it anyway
                    return

    async def deliver(self, endpoint: WebhookEndpoint, event: Event) -> None:
        body = json.dumps(event.to_json(), separators=(",", ":")).encode()
        signature = sign(endpoint.secret, body)
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: signature}
        for attempt in range(1, self.state.config.webhook_retries + 2):
            if attempt > 1:
                await asyncio.sleep(RETRY_DELAY * (attempt - 1))
            record: dict[str, Any] = {
                "eventId": event.id, "type": event.type, "endpointId": endpoint.id, "url": endpoint.url,
                "attempt": attempt, "signature": signature, "receiverStatus": None, "error": None, "fault": None,
                "at": datetime.fromtimestamp(time.time(), UTC).isoformat(timespec="milliseconds"),
            }  # fmt: skip
            fault = self.state.faults.webhook_failure()
            if fault is not None:
                record |= {"receiverStatus": fault.params.status, "fault": fault.id}
            else:
                try:
                    answer = await self.runtime.http().post(endpoint.url, content=body, headers=headers)
                    record["receiverStatus"] = answer.status_code
                except httpx.HTTPError as exc:
                    record["error"] = f"{type(exc).__name__}: {exc}"
            self.state.deliveries.append(record)
            status = record["receiverStatus"]
            if record["fault"] is None and status is not None and 200 <= status < 300:
                return
