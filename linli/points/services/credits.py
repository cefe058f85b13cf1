"""Automatic credits (PTS-5): activities elsewhere (meetings, volunteering, the bank …) feed member points.

Callers name the matter by `auto_code`; the member's published scheme for the year says how many
points it is worth and its cap. Calling twice for the same source and member credits once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction

from linli.core import clock
from linli.core.audit import audit_record
from linli.core.choices import AuditAction
from linli.ledger.models import Entry
from linli.ledger.services import ledger_post
from linli.people.choices import PointsClass, RecordState
from linli.people.models import Member

from ..choices import AutoCode, ClaimOrigin, ClaimStatus, PointsEntryKind, Stage
from ..models import Claim, SchemeItem
from ..rules import CREDIT_STAGES
from ..util import district_id_of, fmt
from .claims import CLAIM_MACHINE
from .common import (
    branch_year_get,
    cap_label,
    cap_room,
    is_exempt,
    lock_account,
    lock_branch_year,
    member_account,
    published_scheme,
    record_creation,
)


@dataclass(frozen=True)
class AutoCreditResult:
    status: str  # "credited" | "duplicate" | "capped" | "exempt" | "no_item" | "closed"
    entry: Entry | None  # the ledger entry (also for "duplicate": the first one)
    points: Decimal  # points actually credited now (0 unless "credited"; may be less than asked when a cap truncates)
    message: str  # Chinese explanation


ZERO = Decimal("0")


def auto_credit_key(*, auto_code: str, source: models.Model, member: Member) -> str:
    return f"points:auto:{auto_code}:{source._meta.label_lower}:{source.pk}:member:{member.pk}"


def _check_arguments(member, auto_code, source, occurred_on, quantity) -> None:
    """Programming errors only: the caller passed something that cannot be a credit at all."""
    if not isinstance(member, Member) or member.pk is None:
        raise ValidationError("自动记分：未知的党员。")
    if auto_code not in AutoCode.values:
        raise ValidationError(f"自动记分：未知的记分代码「{auto_code}」。")
    if not isinstance(source, models.Model) or source.pk is None:
        raise ValidationError("自动记分：来源必须是已保存的记录。")
    if not isinstance(occurred_on, datetime.date) or isinstance(occurred_on, datetime.datetime):
        raise ValidationError("自动记分：发生日期必须是日期。")
    if not isinstance(quantity, int) or quantity < 1:
        raise ValidationError("自动记分：次数必须是正整数。")


def _duplicate(claim: Claim) -> AutoCreditResult:
    return AutoCreditResult("duplicate", claim.entry, ZERO, f"该活动已为{claim.member}记分，不重复记入。")


@transaction.atomic
def points_auto_credit(
    *,
    member: Member,
    auto_code: str,
    source: models.Model,
    occurred_on: datetime.date,
    actor=None,
    quantity: int = 1,
    memo: str = "",
) -> AutoCreditResult:
    """Credit the member's published scheme item with this `auto_code` for `source`, at most once.

    Never raises for "nothing to credit" (duplicate, exempt, closed year, no such item, cap full);
    raises ValidationError only when the arguments themselves are wrong.
    """
    _check_arguments(member, auto_code, source, occurred_on, quantity)
    key = auto_credit_key(auto_code=auto_code, source=source, member=member)
    existing = Claim.objects.select_related("entry", "member__person").filter(idempotency_key=key).first()
    if existing is not None:
        return _duplicate(existing)
    member = Member.objects.select_related("branch__node", "person").get(pk=member.pk)
    year = occurred_on.year
    if member.record_state != RecordState.ACTIVE:
        return AutoCreditResult("closed", None, ZERO, f"{member}已不在册，不再记分。")
    branch_year = lock_branch_year(branch_year_get(member.branch, year))
    if is_exempt(member, branch_year):
        return AutoCreditResult("exempt", None, ZERO, f"{member}已免于参加{year}年积分活动，不记分。")
    if branch_year.stage not in CREDIT_STAGES:
        return AutoCreditResult(
            "closed",
            None,
            ZERO,
            f"{member.branch}{year}年积分已进入「{Stage(branch_year.stage).label}」，不再记入活动积分。",
        )
    scheme = published_scheme(district_id_of(member.branch.node.path), year, member.points_class)
    item = SchemeItem.objects.filter(scheme=scheme, auto_code=auto_code).first() if scheme else None
    if item is None:
        return AutoCreditResult(
            "no_item",
            None,
            ZERO,
            f"{year}年{PointsClass(member.points_class).label}党员积分细则中没有「{AutoCode(auto_code).label}」项目。",
        )
    account = lock_account(member_account(member, year))
    # Under the account lock a concurrent call for the same source has either committed or not begun.
    existing = Claim.objects.select_related("entry", "member__person").filter(idempotency_key=key).first()
    if existing is not None:
        return _duplicate(existing)
    asked = item.default_points * quantity
    room = cap_room(item, account, occurred_on)
    credited = asked if room is None else min(asked, room)
    if credited <= 0:
        return AutoCreditResult("capped", None, ZERO, f"{member}{cap_label(item)}已满，本次不记分。")
    claim = Claim.objects.create(
        branch_year=branch_year,
        member=member,
        account=account,
        item=item,
        origin=ClaimOrigin.AUTO,
        status=ClaimStatus.APPROVED,
        occurred_on=occurred_on,
        quantity=quantity,
        description=memo or AutoCode(auto_code).label,
        requested_points=asked * item.sign,
        points=credited * item.sign,
        source_type=source._meta.label_lower,
        source_id=str(source.pk),
        idempotency_key=key,
        created_by_name=actor.get_username() if actor is not None else "系统",
        reviewed_at=clock.now(),
    )
    entry = ledger_post(
        account=account,
        amount=credited * item.sign,
        kind=PointsEntryKind.AUTO,
        actor=actor,
        memo=f"{item.name}（{occurred_on:%Y-%m-%d}）{memo}",
        source=source,
        idempotency_key=key,
    )
    claim.entry = entry
    claim.save(update_fields=["entry"])
    truncated = credited < asked
    note = f"按{cap_label(item)}记{fmt(credited)}分（应记{fmt(asked)}分）" if truncated else ""
    record_creation(
        claim, machine=CLAIM_MACHINE.name, label="活动自动记分", state=claim.status, actor=actor, note=note
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=claim,
        changes={"points": [None, str(claim.points)]},
        note=f"自动记分：{item.name}，来源{claim.source_type}#{claim.source_id}",
    )
    verb = "扣" if item.sign < 0 else "记"
    message = f"已为{member}{verb}{fmt(credited)}分（{item.name}）。"
    if truncated:
        message = (
            f"已为{member}{verb}{fmt(credited)}分（{item.name}，{cap_label(item)}，应记{fmt(asked)}分）。"
        )
    return AutoCreditResult("credited", entry, credited * item.sign, message)
