"""The errors our RentAHuman client raises: one class per kind of failure (`rentahuman-api.md` §3).

MarketplaceError (domain)
└── RentAHumanError                  anything that went wrong talking to RentAHuman; `.status`, `.code`
    ├── RentAHumanAuthError          401 / 403: missing or invalid key, or an account not eligible
    ├── RentAHumanNotFound           404: unknown id
    ├── RentAHumanConflict           409: illegal transition, slot taken, idempotency key reused
    ├── RentAHumanValidationError    400 / 422: the request was refused as invalid
    ├── RentAHumanSchemaError        a success body we cannot read (a missing key, a wrong type)
    ├── RentAHumanSignatureError     a webhook delivery with a missing or forged signature, or no event in it
    └── RentAHumanUnavailable        5xx, timeout, dropped connection; also MarketplaceUnavailable
        └── RentAHumanRateLimited    429; `.reset_at` says when to try again

`RentAHumanUnavailable` (and so `RentAHumanRateLimited`) is also a `domain.errors.MarketplaceUnavailable`:
the pipeline keeps the hire and retries later with the same idempotency key. Rate limiting sits
under it for the same reason: nothing was refused, it is only too early.
`maybe_processed` tells whether the server may have acted on the request (a timeout or a 5xx after
the body was sent) so that a create must be reconciled before it is sent again.

Messages name the method and path, never the API key, a webhook secret or message text.
"""

from __future__ import annotations

from datetime import datetime

from domain.errors import MarketplaceError, MarketplaceUnavailable


class RentAHumanError(MarketplaceError):
    """Base of every RentAHuman failure. `status` is the HTTP status (None for transport errors)."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class RentAHumanAuthError(RentAHumanError):
    pass


class RentAHumanNotFound(RentAHumanError):
    pass


class RentAHumanConflict(RentAHumanError):
    pass


class RentAHumanValidationError(RentAHumanError):
    pass


class RentAHumanSchemaError(RentAHumanError):
    """A success response whose shape we do not understand; the message names the missing key."""


class RentAHumanSignatureError(RentAHumanError):
    """A webhook delivery we must ignore: unsigned, signed with another secret, altered, or unreadable."""


class RentAHumanUnavailable(RentAHumanError, MarketplaceUnavailable):
    """Worth retrying later. `maybe_processed`: the server may have acted before failing."""

    def __init__(
        self, message: str, *, status: int | None = None, code: str | None = None, maybe_processed: bool = True
    ) -> None:
        super().__init__(message, status=status, code=code)
        self.maybe_processed = maybe_processed


class RentAHumanRateLimited(RentAHumanUnavailable):
    """429. `reset_at` (aware, UTC) comes from `X-RateLimit-Reset`; `retry_after` (seconds) from `Retry-After`."""

    def __init__(
        self,
        message: str,
        *,
        reset_at: datetime | None = None,
        retry_after: float | None = None,
        status: int | None = 429,
        code: str | None = "rate_limited",
    ) -> None:
        super().__init__(message, status=status, code=code, maybe_processed=False)
        self.reset_at = reset_at
        self.retry_after = retry_after
