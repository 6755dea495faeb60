"""`verify_webhook`: check a RentAHuman delivery's signature, then read its event.

    event = verify_webhook(secret, await request.body(), request.headers.get(SIGNATURE_HEADER))

The header name is [V]; the rest is [G] (§5.8, Q5): the signature is the hex HMAC-SHA256 of the raw
body under the endpoint's secret, optionally written `sha256=<hex>`. The comparison is constant-time
(`hmac.compare_digest`). Verify the raw bytes as received: a re-serialised body no longer matches.
A delivery that fails verification changes nothing; a verified one only triggers an early poll
(`rentahuman-api.md` §8), since payloads are [G] and silence releases funds.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from integrations.rentahuman.errors import RentAHumanSchemaError, RentAHumanSignatureError
from integrations.rentahuman.parse_messaging import WebhookEvent, parse_webhook_event

SIGNATURE_HEADER = "X-RentAHuman-Signature"


def sign_webhook(secret: str, raw_body: bytes) -> str:
    """The hex HMAC-SHA256 of `raw_body` under `secret`, as RentAHuman is assumed to send it."""
    return hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()


def verify_webhook(secret: str, raw_body: bytes, signature_header: str | None) -> WebhookEvent:
    """The event in `raw_body` if `signature_header` signs it under `secret`; else `RentAHumanSignatureError`.

    Raised for a missing or forged signature, an empty secret, and a signed body that is not an event
    (not JSON, not an object, no `id` or `type`). Messages never include the secret or the body.
    """
    if not secret:
        raise RentAHumanSignatureError("RentAHuman webhook: no signing secret configured")
    given = (signature_header or "").strip()
    if given.lower().startswith("sha256="):
        given = given[len("sha256=") :]
    if not given:
        raise RentAHumanSignatureError(f"RentAHuman webhook: missing {SIGNATURE_HEADER}")
    if not hmac.compare_digest(given.lower().encode(), sign_webhook(secret, raw_body).encode()):
        raise RentAHumanSignatureError("RentAHuman webhook: the signature does not match the body")
    try:
        payload = json.loads(raw_body)
    except ValueError:
        raise RentAHumanSignatureError("RentAHuman webhook: the signed body is not JSON") from None
    if not isinstance(payload, dict):
        raise RentAHumanSignatureError("RentAHuman webhook: the signed body is not a JSON object")
    try:
        return parse_webhook_event(payload)
    except RentAHumanSchemaError as exc:
        raise RentAHumanSignatureError(f"RentAHuman webhook: unreadable event: {exc}") from exc
