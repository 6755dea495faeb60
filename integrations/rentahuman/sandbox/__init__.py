"""The RentAHuman sandbox: a local HTTP server that speaks the real API's shapes (`rentahuman-api.md` §10).

- `app.create_sandbox_app(seed=, now=)`: the FastAPI app; `server.SandboxServer`: it on a loopback port.
- `routes`: `/api` (humans, reviews, bookings); `sim`: the `/_sim` controls; `state`: memory and rules;
  `models`: request bodies and the error envelope; `fixtures`: seeded humans; `limits`: rate-limit windows.

Its behaviour is ours ("ours" in the reference): production code never depends on it.
May import: fastapi, uvicorn, pydantic and the standard library (not `domain`: it plays the other side).
"""
