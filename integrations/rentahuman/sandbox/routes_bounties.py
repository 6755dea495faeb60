"""`/api/bounties`: browse (public), post (`dryRun`, idempotent), update, and act on applications (§4, §5.4, §5.5).

- `GET /bounties` filters `status`, `category`, `skill`, `minPrice`, `maxPrice`,
  `includePartiallyFilled`, `limit`, `offset`; `mine=true` (needs a key) keeps the caller's own.
- `POST /bounties` → `{success, bounty, deposit_url}` (`deposit_url` null when the wallet paid), or
  `{success, dryRun: true, preview: {fundingTotal, ...}}` storing nothing.
- `PATCH /bounties/{id}` a `status` (open, in_review, cancelled) or fields, by the owner.
- `GET /bounties/{id}/applications` (owner only); `PATCH` or `POST /bounties/{id}/applications/{appId}`
  `{action: accept|reject, response?}`; an accept answers `{success, application, booking, escrowId,
  conversationId}` and is idempotent like a create.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from integrations.rentahuman.sandbox.bounties import (
    accept,
    create_bounty,
    list_bounties,
    preview,
    reject,
    update_bounty,
)
from integrations.rentahuman.sandbox.deps import DEFAULT_LIMIT, json_body, page, require_key, sandbox
from integrations.rentahuman.sandbox.idempotency import idempotent
from integrations.rentahuman.sandbox.models import (
    ApplicationAction,
    CreateBounty,
    SandboxError,
    UpdateBounty,
    not_found,
    parse_body,
)
from integrations.rentahuman.sandbox.objects import Bounty
from integrations.rentahuman.sandbox.state import SandboxState

router = APIRouter(prefix="/api/bounties")


@router.get("")
async def browse(
    request: Request,
    status: str | None = None,
    category: str | None = None,
    skill: str | None = None,
    min_price: Annotated[float | None, Query(alias="minPrice")] = None,
    max_price: Annotated[float | None, Query(alias="maxPrice")] = None,
    include_partially_filled: Annotated[bool, Query(alias="includePartiallyFilled")] = False,
    mine: bool = False,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> dict[str, Any]:
    state = sandbox(request)
    bounties = list(state.bounties.values())
    if mine:
        api_key = require_key(request)
        bounties = [b for b in bounties if b.owner_key == api_key]
    found = list_bounties(
        bounties, status=status, category=category, skill=skill, min_price=min_price, max_price=max_price,
        include_partially_filled=include_partially_filled,
    )  # fmt: skip
    return page("bounties", [b.to_json() for b in found], limit, offset)


@router.post("")
async def post_bounty(request: Request) -> JSONResponse:
    state = sandbox(request)

    def create(body: dict[str, Any], api_key: str) -> tuple[int, dict[str, Any]]:
        wanted = parse_body(CreateBounty, body)
        if wanted.dry_run:
            return 200, {"success": True, "dryRun": True, "preview": preview(wanted, state.wallet_cents)}
        bounty = create_bounty(state, wanted, api_key)
        return 200, {"success": True, "bounty": bounty.to_json(), "deposit_url": bounty.deposit_url}

    return await idempotent(request, "POST /api/bounties", create)


@router.get("/{bounty_id}")
async def get_bounty(request: Request, bounty_id: str) -> dict[str, Any]:
    return {"success": True, "bounty": sandbox(request).bounty(bounty_id).to_json()}


@router.patch("/{bounty_id}")
async def patch_bounty(request: Request, bounty_id: str) -> dict[str, Any]:
    state = sandbox(request)
    bounty = _owned(state, bounty_id, require_key(request))
    update_bounty(state, bounty, parse_body(UpdateBounty, await json_body(request)))
    return {"success": True, "bounty": bounty.to_json(), "message": "Bounty updated"}


@router.get("/{bounty_id}/applications")
async def applications(
    request: Request, bounty_id: str, status: str | None = None, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> dict[str, Any]:
    state = sandbox(request)
    bounty = _owned(state, bounty_id, require_key(request))
    found = [
        a.to_json()
        for a in state.applications.values()
        if a.bounty_id == bounty.id and (status is None or a.status == status)
    ]
    return page("applications", found, limit, offset)


@router.api_route("/{bounty_id}/applications/{application_id}", methods=["PATCH", "POST"])
async def act_on_application(request: Request, bounty_id: str, application_id: str) -> JSONResponse:
    state = sandbox(request)
    bounty = _owned(state, bounty_id, require_key(request))
    application = state.application(application_id)
    if application.bounty_id != bounty.id:
        raise not_found("Application")
    if (await json_body(request)).get("action") != "accept":
        action = parse_body(ApplicationAction, await json_body(request))
        reject(state, application, action.response)
        return JSONResponse({"success": True, "application": application.to_json()})

    def create(body: dict[str, Any], api_key: str) -> tuple[int, dict[str, Any]]:
        action = parse_body(ApplicationAction, body)
        return 200, {"success": True} | accept(state, bounty, application, action.response)

    return await idempotent(request, f"ACCEPT /api/bounties/{bounty_id}/applications/{application_id}", create)


def _owned(state: SandboxState, bounty_id: str, api_key: str) -> Bounty:
    bounty = state.bounty(bounty_id)
    if bounty.owner_key != api_key:
        raise SandboxError(403, "forbidden", "This bounty belongs to another API key")
    return bounty
