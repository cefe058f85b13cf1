"""Earning points against evidence (BNK-1): one recording, a voiding reversal, bulk credits with a second approver."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from linli.core import clock
from linli.core.audit import audit_record
from linli.core.choices import AuditAction
from linli.core.shortcuts import require_perm_at
from linli.ledger.choices import EntryKind
from linli.ledger.models import Account
from linli.ledger.services import InsufficientBalance, ledger_post, ledger_reverse
from linli.people.models import Member
from linli.points.choices import AutoCode
from linli.points.services import points_auto_credit

from ..choices import EarningMethod, EvidenceKind
from ..machines import BULK_MACHINE
from ..models import BulkCredit, BulkCreditLine, Depositor, Earning, EarningItem, Station
from ..selectors.rules import earned_towards_caps

MAX_QUANTITY = 99
BACKDATE_DAYS = 31


def _actor_name(actor: Any) -> str:
    return actor.get_username() if actor is not None and getattr(actor, "is_authenticated", False) else "系统"


def _points_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _check_quantity(quantity: Any) -> int:
    if not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError({"quantity": f"数量必须是1到{MAX_QUANTITY}之间的整数。"})
    return quantity


def _check_date(occurred_on: datetime.date, field: str = "occurred_on") -> None:
    today = clock.today()
    if occurred_on > today:
        raise ValidationError({field: "发生日期不能晚于今天。"})
    if occurred_on < today - datetime.timedelta(days=BACKDATE_DAYS):
        raise ValidationError({field: f"只能补录{BACKDATE_DAYS}天以内发生的积分。"})


def _check_item_for(item: EarningItem, depositor: Depositor) -> Station:
    station = item.station
    if not item.is_active:
        raise ValidationError({"item": f"积分项目「{item.name}」已停用。"})
    if not station.is_active:
        raise ValidationError({"item": f"{station.name}已停用。"})
    if station.community_id != depositor.community_id:
        raise ValidationError(
            {"item": f"{depositor.name}不是{station.community.name}的储户，只能按其所在社区的积分目录记分。"}
        )
    return station


def _enforce_caps(*, depositor: Depositor, item: EarningItem, on: datetime.date, points: Decimal) -> None:
    day, month = earned_towards_caps(depositor=depositor, item=item, on=on)
    unit = "分"
    if item.daily_cap is not None and day + points > item.daily_cap:
        raise ValidationError(
            {
                "quantity": f"超出每日上限：「{item.name}」每人每日最多{_points_text(item.daily_cap)}{unit}，"
                f"{on.month}月{on.day}日已记{_points_text(day)}{unit}，本次{_points_text(points)}{unit}。"
            }
        )
    if item.monthly_cap is not None and month + points > item.monthly_cap:
        raise ValidationError(
            {
                "quantity": f"超出每月上限：「{item.name}」每人每月最多{_points_text(item.monthly_cap)}{unit}，"
                f"{on.month}月已记{_points_text(month)}{unit}，本次{_points_text(points)}{unit}。"
            }
        )


def _credit(
    *,
    actor: Any,
    depositor: Depositor,
    item: EarningItem,
    quantity: int,
    occurred_on: datetime.date,
    method: str,
    evidence: UploadedFile | None = None,
    witness: str = "",
    note: str = "",
    bulk_line: BulkCreditLine | None = None,
) -> Earning:
    """Lock the depositor's account, check the caps, write the earning and post it (caller is atomic)."""
    station = _check_item_for(item, depositor)
    # The account lock serialises every credit of this depositor, so the cap check below is exact.
    Account.objects.select_for_update().get(pk=depositor.points_account_id)
    points = item.points * quantity
    _enforce_caps(depositor=depositor, item=item, on=occurred_on, points=points)
    earning = Earning(
        depositor=depositor,
        station=station,
        item=item,
        quantity=quantity,
        points=points,
        occurred_on=occurred_on,
        method=method,
        witness=witness.strip(),
        note=note.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        recorded_by_name=_actor_name(actor),
        recorded_at=clock.now(),
        bulk_line=bulk_line,
    )
    if evidence is not None:
        earning.evidence = evidence
    earning.save()
    earning.entry = ledger_post(
        account=depositor.points_account,
        amount=points,
        kind=EntryKind.CREDIT,
        actor=actor,
        memo=f"{station.name}·{item.name}×{quantity}",
        source=earning,
        idempotency_key=f"bank:earning:{earning.pk}",
    )
    earning.save(update_fields=["entry"])
    if item.counts_as_community_service and depositor.person_id:
        _member_points_credit(earning=earning, actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=earning,
        changes={"points": str(points), "item": item.name, "occurred_on": occurred_on.isoformat()},
        note=f"{earning.get_method_display()}记分",
    )
    return earning


def _member_points_credit(*, earning: Earning, actor: Any) -> None:
    """BNK-4: a Party member's community service also counts in their member points, in this transaction.

    The points system decides how much (the item named `community_service` in the member's scheme)
    and may decline (no such item, cap full, exempt, year closed); its message is kept for the desk.
    An error there rolls the bank credit back too, so the two never disagree.
    """
    member = Member.objects.filter(person_id=earning.depositor.person_id).first()
    if member is None:
        return
    result = points_auto_credit(
        member=member,
        auto_code=AutoCode.COMMUNITY_SERVICE,
        source=earning,
        occurred_on=earning.occurred_on,
        actor=actor,
    )
    earning.member_points_status, earning.member_points_message = result.status, result.message[:200]
    earning.save(update_fields=["member_points_status", "member_points_message"])


@transaction.atomic
def earning_record(
    *,
    actor: Any,
    depositor: Depositor,
    item: EarningItem,
    method: str,
    quantity: int = 1,
    occurred_on: datetime.date | None = None,
    evidence: UploadedFile | None = None,
    witness: str = "",
    note: str = "",
) -> Earning:
    """Credit a depositor for a catalogue item, with the evidence it needs, within its caps.

    Station staff and grid workers record by scanning the depositor's code, typing it, or choosing a
    household; the depositor must be in the recorder's scope.
    """
    require_perm_at(actor, "bank.earn", depositor.get_scope_path())
    if method not in EarningMethod.values or method == EarningMethod.BULK:
        raise ValueError(f"method {method}")
    quantity = _check_quantity(quantity)
    occurred_on = occurred_on or clock.today()
    _check_date(occurred_on)
    if item.evidence == EvidenceKind.PHOTO and not evidence:
        raise ValidationError({"evidence": f"「{item.name}」需要上传照片作为证据。"})
    if item.evidence == EvidenceKind.WITNESS and not witness.strip():
        raise ValidationError({"witness": f"「{item.name}」需要填写证明人。"})
    return _credit(
        actor=actor,
        depositor=depositor,
        item=item,
        quantity=quantity,
        occurred_on=occurred_on,
        method=method,
        evidence=evidence,
        witness=witness,
        note=note,
    )


@transaction.atomic
def earning_void(*, actor: Any, earning: Earning, reason: str) -> Earning:
    """Correct a wrong earning by a reversing entry; refused when the points are already spent."""
    require_perm_at(actor, "bank.void", earning.get_scope_path())
    if not reason.strip():
        raise ValidationError({"reason": "冲正必须填写原因。"})
    locked = Earning.objects.select_for_update().get(pk=earning.pk)
    if locked.voided_at is not None:
        raise ValidationError("该积分记录已冲正。")
    try:
        reversal = ledger_reverse(entry=locked.entry, actor=actor, reason=reason.strip())
    except InsufficientBalance:
        raise ValidationError("储户的积分已被使用，余额不足以冲正这笔记录。") from None
    locked.voided_at = clock.now()
    locked.void_reason = reason.strip()[:200]
    locked.void_entry = reversal
    locked.save(update_fields=["voided_at", "void_reason", "void_entry"])
    audit_record(actor=actor, action=AuditAction.UPDATE, target=locked, note=f"冲正：{reason.strip()}")
    earning.voided_at, earning.void_reason, earning.void_entry = (
        locked.voided_at,
        locked.void_reason,
        reversal,
    )
    return earning


@transaction.atomic
def bulk_credit_create(
    *,
    actor: Any,
    station: Station,
    item: EarningItem,
    occurred_on: datetime.date,
    reason: str,
    lines: list[tuple[Depositor, int]],
) -> BulkCredit:
    """Propose a credit for many depositors; nothing is posted until another user approves it."""
    require_perm_at(actor, "bank.bulk", station.get_scope_path())
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors.setdefault("reason", []).append("批量记分必须填写事由。")
    if item.station_id != station.pk or not item.is_active:
        errors.setdefault("item", []).append("请选择本驿站启用中的积分项目。")
    if not lines:
        errors.setdefault("lines", []).append("至少需要一位储户。")
    try:
        _check_date(occurred_on)
    except ValidationError as error:
        errors.setdefault("occurred_on", []).extend(error.messages)
    seen: set[int] = set()
    for depositor, quantity in lines:
        if depositor.pk in seen:
            errors.setdefault("lines", []).append(f"{depositor.name}重复出现。")
        seen.add(depositor.pk)
        if depositor.community_id != station.community_id:
            errors.setdefault("lines", []).append(f"{depositor.name}不是{station.community.name}的储户。")
        if not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
            errors.setdefault("lines", []).append(
                f"{depositor.name}的数量必须是1到{MAX_QUANTITY}之间的整数。"
            )
    if errors:
        raise ValidationError(errors)
    bulk = BulkCredit.objects.create(
        station=station,
        item=item,
        occurred_on=occurred_on,
        reason=reason.strip(),
        created_by=actor,
        created_at=clock.now(),
    )
    BulkCreditLine.objects.bulk_create(
        [BulkCreditLine(bulk=bulk, depositor=d, quantity=q, points=item.points * q) for d, q in lines]
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=bulk,
        changes={"lines": len(lines), "points": str(sum((item.points * q for _, q in lines), Decimal("0")))},
        note=reason.strip()[:200],
    )
    return bulk


@transaction.atomic
def bulk_credit_approve(*, actor: Any, bulk: BulkCredit, note: str = "") -> BulkCredit:
    """A second user approves: every line posts now, in one transaction, within the item's caps."""
    if bulk.created_by_id == getattr(actor, "pk", None):
        raise ValidationError("发起人不能审批自己发起的批量记分，请由另一位有审批权限的同事审批。")

    def decide(locked: BulkCredit) -> None:
        locked.decided_by, locked.decided_at, locked.decision_note = actor, clock.now(), note.strip()[:200]

    BULK_MACHINE.apply(
        bulk,
        "approve",
        actor=actor,
        note=note,
        before_save=decide,
        extra_update_fields=["decided_by", "decided_at", "decision_note"],
    )
    item = EarningItem.objects.select_related("station__community").get(pk=bulk.item_id)
    # Lines post in account order, the order every other writer locks accounts in (no deadlocks).
    for line in bulk.lines.select_related("depositor").order_by("depositor__points_account_id"):
        try:
            _credit(
                actor=actor,
                depositor=line.depositor,
                item=item,
                quantity=line.quantity,
                occurred_on=bulk.occurred_on,
                method=EarningMethod.BULK,
                note=f"批量记分#{bulk.pk}：{bulk.reason}"[:200],
                bulk_line=line,
            )
        except ValidationError as error:
            raise ValidationError(
                f"{line.depositor.name}：{'；'.join(error.messages)} 整批未入账。"
            ) from None
    return bulk


@transaction.atomic
def bulk_credit_reject(*, actor: Any, bulk: BulkCredit, reason: str) -> BulkCredit:
    if bulk.created_by_id == getattr(actor, "pk", None):
        raise ValidationError("发起人不能审批自己发起的批量记分。")

    def decide(locked: BulkCredit) -> None:
        locked.decided_by, locked.decided_at, locked.decision_note = (
            actor,
            clock.now(),
            reason.strip()[:200],
        )

    BULK_MACHINE.apply(
        bulk,
        "reject",
        actor=actor,
        note=reason,
        before_save=decide,
        extra_update_fields=["decided_by", "decided_at", "decision_note"],
    )
    return bulk
