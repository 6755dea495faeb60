"""The RentAHuman sandbox: a local HTTP server that speaks the real API's shapes (`rentahuman-api.md` §10).

- `app.create_sandbox_app(seed=, now=)`: the FastAPI app; `server.SandboxServer`: it on a loopback port.
- `/api` routes: `routes` (humans, reviews, bookings), `routes_escrow` (`rent_human`, personal
  bounties, rentals, complete/release/cancel/dispute), `routes_bounties` (bounties, `dryRun`,
  applications, accept/reject), `routes_conversations`, `routes_webhooks` (both registration styles).
- `/_sim` controls: `sim` (reset, seed, state, clock, config, scripts, faults, webhook and request
  logs) and `sim_actions` (advance, apply, deliver, fail, human replies).
- Behaviour: `hires` (bookings, escrows), `bounties`, `conversations`, `workers` (clock-driven worker
  behaviour, failures), `plans` (seeded per-hire worker plans), `webhooks` (signed async delivery),
  `idempotency` (replay per key and route).
- Plumbing: `edge` (pure-ASGI timers, rate limits, faults, request log), `faults` (rules), `limits`
  (rate-limit windows), `runtime` (background tasks, closing), `state` (memory and shared
  mechanics), `objects` (shapes and state machines), `models`/`sim_models` (request bodies, error
  envelope), `fixtures` (seeded humans), `deps` (request helpers).

Its behaviour is ours ("ours" in the reference): production code never depends on it.
May import: fastapi, starlette, uvicorn, httpx, pydantic and the standard library (not `domain`: it
plays the other side).
"""
