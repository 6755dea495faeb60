"""The in-memory fake of the storage ports, held to the same contract tests as SQL.

`InMemoryUnitOfWorkFactory()` is what use-case and pipeline tests pass as `deps.uow`.
"""

from storage.memory.store import InMemoryStore
from storage.memory.uow import InMemoryUnitOfWork, InMemoryUnitOfWorkFactory

__all__ = ["InMemoryStore", "InMemoryUnitOfWork", "InMemoryUnitOfWorkFactory"]
