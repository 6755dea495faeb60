from datetime import timedelta
from decimal import Decimal

import pytest

from domain.approvals import Approval, ApprovalStatus
from domain.errors import AlreadyDecided, PermissionDenied
from domain.hosts import Actor, Channel, Role
from tests.builders import NOW

APPROVER = Actor(host_id="host_1", member_id="m_appr", role=Role.APPROVER, channel=Channel.SLACK)


def _approval() -> Approval:
    return Approval(
        id="a1", host_id="host_1", property_id="p1", task_id="t1", hire_id="h1", amount=Decimal("140"),
        reason="above the limit", expires_at=NOW + timedelta(hours=24), created_at=NOW,
    )  # fmt: skip


def test_deciding_twice_is_a_no_op_that_keeps_the_first_decision() -> None:
    approval = _approval()
    assert approval.decide(APPROVER, True, NOW) is True
    assert approval.decide(APPROVER, False, NOW) is False
    assert (approval.status, approval.decided_by) == (ApprovalStatus.APPROVED, "m_appr")


def test_viewers_and_other_hosts_cannot_decide() -> None:
    with pytest.raises(PermissionDenied):
        _approval().decide(Actor("host_1", "m_view", Role.VIEWER, Channel.TELEGRAM), True, NOW)
    with pytest.raises(PermissionDenied):
        _approval().decide(Actor("host_2", "m_x", Role.OWNER, Channel.TELEGRAM), True, NOW)


def test_an_expired_approval_cannot_be_approved() -> None:
    approval = _approval()
    with pytest.raises(AlreadyDecided):
        approval.decide(APPROVER, True, NOW + timedelta(days=2))
    assert approval.status is ApprovalStatus.EXPIRED
