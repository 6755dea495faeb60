"""The RentAHuman marketplace: our client of the real REST API, and a local sandbox that speaks it.

- `client.RentAHumanClient` implements `domain.ports.Marketplace` over httpx (one shared
  `httpx.AsyncClient`, built by `turnover.bootstrap`); `hiring` (direct hire, escrow, bounties,
  applications) and `messaging` (conversations, webhook endpoints) are mixed into it.
- `transport` sends, paces (`pacing`, the `X-RateLimit-*` gate), retries (`retry`, the backoff
  policy) and reconciles; `errors` is the typed error tree, `envelope` maps HTTP answers onto it;
  `parse`, `parse_hiring` and `parse_messaging` turn bodies into objects (one function per object);
  `webhooks.verify_webhook` checks a delivery's signature.
- `sandbox/` is a real HTTP server (FastAPI + uvicorn on loopback) for tests and `turnover demo`.

May import: `domain`, httpx, pydantic; `sandbox/` may also import fastapi and uvicorn. Production
code never imports `sandbox/`, except `turnover.bootstrap` when no API key is configured.
Reference: `rentahuman-api.md` (§3 conventions, §4 endpoints, §8 client rules, §10 sandbox).
"""
