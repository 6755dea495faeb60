"""The one error tree of Turnover. Every edge (CLI, MCP, agent, chat, HTTP) maps it once.

TurnoverError                      base; `str(err)` reads well to a person
├── NotFound                       an id that does not exist (or is outside the actor's scope)
├── PermissionDenied               the actor's role or host does not allow this
├── InvalidInput                   a value that cannot be accepted (bad date, negative budget...)
├── Conflict                       the request clashes with current state
│   ├── IllegalTransition          a state machine refused a move (task, approval, hire)
│   └── AlreadyDecided             an approval was decided before
├── BudgetExceeded                 a spend above a per-task, per-property or per-host cap
├── FeedError                      a calendar feed could not be fetched or parsed
├── MarketplaceError               the marketplace refused or failed
│   └── MarketplaceUnavailable     transport failure, 5xx, timeout: worth retrying later
└── ConfigurationError             settings or database state that prevents starting
    └── SchemaTooNew               the database was migrated by a newer Turnover
"""

from __future__ import annotations


class TurnoverError(Exception):
    """Base of every error Turnover raises on purpose."""


class NotFound(TurnoverError):
    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"No {kind} with id {ident!r}.")
        self.kind = kind
        self.ident = ident


class PermissionDenied(TurnoverError):
    pass


class InvalidInput(TurnoverError):
    pass


class Conflict(TurnoverError):
    pass


class IllegalTransition(Conflict):
    def __init__(self, kind: str, current: str, target: str) -> None:
        super().__init__(f"A {kind} cannot go from {current!r} to {target!r}.")
        self.kind = kind
        self.current = current
        self.target = target


class AlreadyDecided(Conflict):
    pass


class BudgetExceeded(TurnoverError):
    pass


class FeedError(TurnoverError):
    pass


class MarketplaceError(TurnoverError):
    pass


class MarketplaceUnavailable(MarketplaceError):
    pass


class ConfigurationError(TurnoverError):
    pass


class SchemaTooNew(ConfigurationError):
    pass
