"""Violations (PTS-3): a recorded violation of law, discipline or rules makes the member 不合格."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from linli.core import clock
from linli.core.audit import audit_record
from linli.core.choices import AuditAction
from linli.core.shortcuts import require_perm_at
from linli.people.models import Member

from ..choices import ViolationKind
from ..models import Violation
from ..rules import VIOLATION_STAGES, require_stage
from .common import branch_year_get, lock_branch_year


@transaction.atomic
def violation_record(
    *, actor: Any, member: Member, kind: str, occurred_on: datetime.date, description: str
) -> Violation:
    member = Member.objects.select_related("branch__node", "person").get(pk=member.pk)
    require_perm_at(actor, "points.review", member.branch.node.path)
    if not isinstance(occurred_on, datetime.date):
        raise ValidationError({"occurred_on": "请填写发生日期。"})
    if occurred_on > clock.today():
        raise ValidationError({"occurred_on": "发生日期不能晚于今天。"})
    if kind not in ViolationKind.values:
        raise ValidationError({"kind": "请选择性质。"})
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": "请说明情况。"})
    branch_year = lock_branch_year(branch_year_get(member.branch, occurred_on.year))
    require_stage(branch_year, VIOLATION_STAGES, "登记违法违纪违规")
    violation = Violation.objects.create(
        branch_year=branch_year,
        member=member,
        kind=kind,
        occurred_on=occurred_on,
        description=description,
        recorded_by_name=actor.get_username(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=violation,
        note=f"{violation.get_kind_display()}：{description}",
    )
    return violation


@transaction.atomic
def violation_revoke(*, actor: Any, violation: Violation, reason: str) -> Violation:
    """A violation recorded in error is revoked with a reason; the record stays, marked revoked."""
    violation = (
        Violation.objects.select_for_update().select_related("branch_year__branch__node").get(pk=violation.pk)
    )
    require_perm_at(actor, "points.review", violation.get_scope_path())
    require_stage(lock_branch_year(violation.branch_year), VIOLATION_STAGES, "撤销违规记录")
    if violation.revoked_at is not None:
        raise ValidationError("该记录已撤销。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "撤销须填写原因。"})
    violation.revoked_at = clock.now()
    violation.revoked_by_name = actor.get_username()
    violation.revoke_reason = reason
    violation.save(update_fields=["revoked_at", "revoked_by_name", "revoke_reason"])
    audit_record(actor=actor, action=AuditAction.UPDATE, target=violation, note=f"撤销：{reason}")
    return violation
