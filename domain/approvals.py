"""Approvals: a proposed spend waiting for a human approver.

`open -> approved | declined | expired`; deciding twice is a no-op that reports the first decision.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.errors import AlreadyDecided
from domain.hosts import Actor, Role


class ApprovalStatus(enum.StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    DECLINED = "declined"
    EXPIRED = "expired"


@dataclass(slots=True)
class Approval:
    id: str
    host_id: str
    property_id: str
    task_id: str
    hire_id: str
    amount: Decimal
    reason: str
    expires_at: datetime
    created_at: datetime
    status: ApprovalStatus = ApprovalStatus.OPEN
    decided_by: str | None = None
    decided_at: datetime | None = None

    def decide(self, actor: Actor, approve: bool, at: datetime) -> bool:
        """Record a human decision; returns False when it had been decided already."""
        actor.require_host(self.host_id)
        actor.require(Role.OWNER, Role.APPROVER)
        if self.status is not ApprovalStatus.OPEN:
            return False
        if at >= self.expires_at:
            self.status, self.decided_at = ApprovalStatus.EXPIRED, at
            raise AlreadyDecided("This approval expired before it was decided.")
        self.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.DECLINED
        self.decided_by, self.decided_at = actor.member_id, at
        return True

    def withdraw(self, at: datetime) -> bool:
        """Close an open approval whose task moved on (cancelled, or handled otherwise); shown as expired."""
        if self.status is ApprovalStatus.OPEN:
            self.status, self.decided_at = ApprovalStatus.EXPIRED, at
            return True
        return False

    def expire(self, at: datetime) -> bool:
        if self.status is ApprovalStatus.OPEN and at >= self.expires_at:
            self.status, self.decided_at = ApprovalStatus.EXPIRED, at
            return True
        return False
