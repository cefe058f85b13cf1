"""Exemption (PTS-4): 征集本人意愿 → 社区党组织申请/推荐 → 党委审核; approved members sit the year out."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from linli.core.audit import audit_record
from linli.core.choices import AuditAction
from linli.core.scope import scope_for
from linli.core.statemachine import StateMachine, TransitionError, transition
from linli.people.choices import RecordState
from linli.people.models import Member

from ..choices import ExemptionReason, ExemptionStatus
from ..models import Exemption
from ..rules import EXEMPTION_STAGES, require_stage
from .common import branch_year_get, lock_branch_year, record_creation

E = ExemptionStatus
EXEMPTION_MACHINE = StateMachine(
    name="points_exemption",
    state_field="status",
    states=ExemptionStatus,
    transitions=[
        transition("recommend", "社区党组织推荐", E.APPLIED, E.RECOMMENDED, "points.exemption_recommend"),
        transition(
            "decline",
            "社区党组织不予推荐",
            E.APPLIED,
            E.REJECTED,
            "points.exemption_recommend",
            requires_note=True,
        ),
        transition("approve", "党委审核同意", E.RECOMMENDED, E.APPROVED, "points.exemption_approve"),
        transition(
            "reject",
            "党委审核不同意",
            E.RECOMMENDED,
            E.REJECTED,
            "points.exemption_approve",
            requires_note=True,
        ),
        transition(
            "withdraw",
            "撤回申请",
            {E.APPLIED, E.RECOMMENDED},
            E.WITHDRAWN,
            "points.exemption_apply",
            self_permission="points.exemption_apply",
        ),
        transition("revoke", "撤销免积分", E.APPROVED, E.WITHDRAWN, "points.exemption_approve", is_undo=True),
    ],
)


@transaction.atomic
def exemption_apply(
    *, actor: Any, member: Member, year: int, reason_kind: str, reason: str, member_wish: str = ""
) -> Exemption:
    """The member applies, or the community applies for them after asking their wish (seed 001: 征集本人意愿)."""
    member = Member.objects.select_related("branch__node", "person").get(pk=member.pk)
    scope = scope_for(actor)
    own = scope.self_has("points.exemption_apply") and scope.person_id == member.person_id
    on_behalf = scope.has_perm_at("points.exemption_apply", member.branch.node.path)
    if not (own or on_behalf):
        raise PermissionDenied("您无权为该党员申请免于参加积分。")
    if member.record_state != RecordState.ACTIVE:
        raise ValidationError("该党员已不在册。")
    branch_year = lock_branch_year(branch_year_get(member.branch, year))
    require_stage(branch_year, EXEMPTION_STAGES, "申请免于参加积分")
    if reason_kind not in ExemptionReason.values:
        raise ValidationError({"reason_kind": "请选择原因类别。"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请说明具体情况。"})
    member_wish = (member_wish or "").strip()
    if on_behalf and not own and not member_wish:
        raise ValidationError({"member_wish": "代为申请须记录征求本人意愿的情况。"})
    if Exemption.objects.filter(
        branch_year=branch_year, member=member, status__in=[E.APPLIED, E.RECOMMENDED, E.APPROVED]
    ).exists():
        raise ValidationError(f"{member}{year}年已有免于参加积分的申请。")
    exemption = Exemption.objects.create(
        branch_year=branch_year,
        member=member,
        reason_kind=reason_kind,
        reason=reason,
        member_wish=member_wish,
        applied_on_behalf=not own,
        applied_by_name=actor.get_username(),
    )
    record_creation(
        exemption,
        machine=EXEMPTION_MACHINE.name,
        label="社区代为申请" if not own else "本人申请",
        state=exemption.status,
        actor=actor,
    )
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=exemption, note=f"申请免于参加{year}年积分活动"
    )
    return exemption


@transaction.atomic
def exemption_decide(*, actor: Any, exemption: Exemption, name: str, note: str = "") -> Exemption:
    """Recommend, decline, approve, reject, withdraw or revoke — before the branch assembly confirms the year."""
    step = EXEMPTION_MACHINE.get(name)
    exemption = (
        Exemption.objects.select_for_update()
        .select_related("branch_year__branch__node", "member")
        .get(pk=exemption.pk)
    )
    scope = scope_for(actor)
    path = exemption.get_scope_path()
    own = scope.self_has(step.permission) and scope.person_id == exemption.member.person_id
    if not (scope.has_perm_at(step.permission, path) or own):
        raise PermissionDenied(f"您没有执行「{step.label}」的权限。")
    require_stage(lock_branch_year(exemption.branch_year), EXEMPTION_STAGES, step.label)
    if exemption.status not in step.sources:
        raise TransitionError(
            f"当前状态为「{EXEMPTION_MACHINE.state_label(exemption.status)}」，不能执行「{step.label}」。"
        )
    note = (note or "").strip()

    def keep_note(locked: Exemption) -> None:
        if note:
            locked.decision_note = note

    EXEMPTION_MACHINE.apply(
        exemption, name, actor=actor, note=note, before_save=keep_note, extra_update_fields=["decision_note"]
    )
    return exemption
