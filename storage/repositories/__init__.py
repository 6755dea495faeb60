"""The SQL repositories: one per port of `domain.ports`, all on one `AsyncConnection`, none committing.

They return domain objects (never rows) and keep the rules of `storage.contract`.
"""

from storage.repositories.accounts import (
    SqlFeedRepository,
    SqlHostRepository,
    SqlMemberRepository,
    SqlPropertyRepository,
)
from storage.repositories.conversations import SqlConversationRepository
from storage.repositories.history import SqlAuditRepository, SqlEventRepository, SqlFeedFetchRepository
from storage.repositories.stays import SqlBlockRepository, SqlReservationRepository
from storage.repositories.work import SqlApprovalRepository, SqlHireRepository, SqlTaskRepository

__all__ = [
    "SqlApprovalRepository",
    "SqlAuditRepository",
    "SqlBlockRepository",
    "SqlConversationRepository",
    "SqlEventRepository",
    "SqlFeedFetchRepository",
    "SqlFeedRepository",
    "SqlHireRepository",
    "SqlHostRepository",
    "SqlMemberRepository",
    "SqlPropertyRepository",
    "SqlReservationRepository",
    "SqlTaskRepository",
]
