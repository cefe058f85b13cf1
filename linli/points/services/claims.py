"""Writes on claims: self-reports with evidence, the community's review (also in bulk), records, corrections.

Every approved point is a ledger entry posted under the member's account lock, after the item's cap
is checked on that same lock; a correction reverses the entry it replaces and posts the new amount.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from linli.core import clock
from linli.core.audit import audit_record
from linli.core.choices import AuditAction
from linli.core.shortcuts import require_perm_at
from linli.core.statemachine import StateMachine, TransitionError, transition
from linli.ledger.models import Entry
from linli.ledger.services import ledger_post, ledger_reverse
from linli.people.choices import RecordState
from linli.people.models import Member

from ..choices import ClaimOrigin, ClaimStatus, PointsEntryKind, SchemeStatus
from ..models import BranchYear, Claim, Evidence, Scheme, SchemeItem
from ..rules import (
    CORRECTION_STAGES,
    CREDIT_STAGES,
    REVIEW_STAGES,
    SELF_REPORT_STAGES,
    StageClosed,
    require_stage,
)
from ..util import district_id_of, fmt
from .common import (
    branch_year_get,
    cap_label,
    cap_room,
    is_exempt,
    lock_account,
    lock_branch_year,
    member_account,
    record_creation,
    require_at,
    require_self,
)

CLAIM_MACHINE = StateMachine(
    name="points_claim",
    state_field="status",
    states=ClaimStatus,
    transitions=[
        transition("approve", "初评通过", ClaimStatus.SUBMITTED, ClaimStatus.APPROVED, "points.review"),
        transition(
            "adjust",
            "调整分值后通过",
            ClaimStatus.SUBMITTED,
            ClaimStatus.ADJUSTED,
            "points.review",
            requires_note=True,
        ),
        transition(
            "reject",
            "不予通过",
            ClaimStatus.SUBMITTED,
            ClaimStatus.REJECTED,
            "points.review",
            requires_note=True,
        ),
        transition(
            "withdraw",
            "撤回申报",
            ClaimStatus.SUBMITTED,
            ClaimStatus.WITHDRAWN,
            "points.self",
            self_permission="points.self",
        ),
        transition(
            "correct",
            "更正分值",
            {ClaimStatus.APPROVED, ClaimStatus.ADJUSTED},
            ClaimStatus.ADJUSTED,
            "points.review",
            requires_note=True,
        ),
        transition(
            "revoke",
            "撤销积分",
            {ClaimStatus.APPROVED, ClaimStatus.ADJUSTED},
            ClaimStatus.REVOKED,
            "points.review",
            requires_note=True,
        ),
    ],
)

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_MAX_FILES = 5
# extension → (content type, the bytes such a file starts with)
EVIDENCE_TYPES = {
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "pdf": ("application/pdf", b"%PDF-"),
}
MAX_QUANTITY = 50


# ---------------------------------------------------------------- shared checks


def _magnitude(value: Any, field: str = "points") -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: "分值必须是数字。"}) from None
    if number < 0:
        raise ValidationError({field: "请填写分值的绝对值，加分或扣分由项目决定。"})
    return number


def _item_bounds(item: SchemeItem, quantity: int) -> tuple[Decimal, Decimal]:
    """The smallest and largest magnitude one claim of this item may carry."""
    if item.is_range:
        return item.min_points, item.max_points
    return Decimal("0.01"), item.default_points * quantity


def _requested(item: SchemeItem, quantity: int, points: Any) -> Decimal:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError({"quantity": f"次数须在1到{MAX_QUANTITY}之间。"})
    if not item.is_range:
        return item.default_points * quantity
    if points in (None, ""):
        raise ValidationError({"points": f"请填写分值（{fmt(item.min_points)}–{fmt(item.max_points)}分）。"})
    if quantity != 1:
        raise ValidationError({"quantity": "按分值范围计分的项目每次单独申报。"})
    magnitude = _magnitude(points)
    if not item.min_points <= magnitude <= item.max_points:
        raise ValidationError({"points": f"分值须在{fmt(item.min_points)}到{fmt(item.max_points)}分之间。"})
    return magnitude


def _check_item_in_force(member: Member, item: SchemeItem, year: int) -> None:
    scheme = Scheme.objects.get(pk=item.scheme_id)
    if (
        scheme.status != SchemeStatus.PUBLISHED
        or scheme.year != year
        or scheme.member_class != member.points_class
        or scheme.district_id != district_id_of(member.branch.node.path)
    ):
        raise ValidationError({"item": f"请选择{year}年现行积分细则中适用于该党员的项目。"})


def _check_member(member: Member, branch_year: BranchYear) -> None:
    if member.record_state != RecordState.ACTIVE:
        raise ValidationError("该党员已不在册。")
    if is_exempt(member, branch_year):
        raise ValidationError(f"{member}已免于参加{branch_year.year}年积分活动。")


def _check_date(occurred_on: datetime.date) -> None:
    if not isinstance(occurred_on, datetime.date):
        raise ValidationError({"occurred_on": "请填写发生日期。"})
    if occurred_on > clock.today():
        raise ValidationError({"occurred_on": "发生日期不能晚于今天。"})


def _require_source_state(claim: Claim, name: str) -> None:
    step = CLAIM_MACHINE.get(name)
    if claim.status not in step.sources:
        raise TransitionError(
            f"当前状态为「{CLAIM_MACHINE.state_label(claim.status)}」，不能执行「{step.label}」。"
        )


def _lock_claim(claim: Claim) -> Claim:
    return (
        Claim.objects.select_for_update()
        .select_related("branch_year__branch__node", "item__scheme", "member__person", "member__branch__node")
        .get(pk=claim.pk)
    )


def _post(*, claim: Claim, magnitude: Decimal, kind: str, actor: Any, key: str, memo: str = "") -> Entry:
    return ledger_post(
        account=claim.account,
        amount=magnitude * claim.item.sign,
        kind=kind,
        actor=actor,
        memo=f"{claim.item.name}（{claim.occurred_on:%Y-%m-%d}）{memo}",
        source=claim,
        idempotency_key=key,
    )


def _check_room(claim: Claim, magnitude: Decimal, *, exclude_self: bool = True) -> None:
    room = cap_room(claim.item, claim.account, claim.occurred_on, claim.pk if exclude_self else None)
    if room is not None and magnitude > room:
        raise ValidationError({"points": f"超出{cap_label(claim.item)}：最多还可记{fmt(room)}分。"})


# ---------------------------------------------------------------- evidence


def _evidence_check(files: Iterable[UploadedFile]) -> list[tuple[UploadedFile, str, str]]:
    files = [f for f in files if f]
    if len(files) > EVIDENCE_MAX_FILES:
        raise ValidationError({"evidence": f"佐证材料最多{EVIDENCE_MAX_FILES}个文件。"})
    checked = []
    for upload in files:
        name = upload.name or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in EVIDENCE_TYPES:
            raise ValidationError({"evidence": f"「{name}」格式不支持，请上传JPG、PNG图片或PDF文件。"})
        if upload.size > EVIDENCE_MAX_BYTES:
            raise ValidationError({"evidence": f"「{name}」超过{EVIDENCE_MAX_BYTES // 1024 // 1024}MB。"})
        if upload.size == 0:
            raise ValidationError({"evidence": f"「{name}」是空文件。"})
        content_type, magic = EVIDENCE_TYPES[extension]
        upload.seek(0)
        head = upload.read(len(magic))
        upload.seek(0)
        if head != magic:
            raise ValidationError({"evidence": f"「{name}」的内容与扩展名不符，请上传真实的图片或PDF文件。"})
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        checked.append((upload, content_type, digest.hexdigest()))
    return checked


def _evidence_store(claim: Claim, checked: list[tuple[UploadedFile, str, str]]) -> None:
    for upload, content_type, sha in checked:
        evidence = Evidence(
            claim=claim,
            original_name=(upload.name or "")[-200:],
            content_type=content_type,
            size=upload.size,
            sha256=sha,
        )
        evidence.file.save(upload.name, upload, save=False)
        evidence.save()


# ---------------------------------------------------------------- member: self-report and withdraw


@transaction.atomic
def claim_submit(
    *,
    actor: Any,
    member: Member,
    item: SchemeItem,
    occurred_on: datetime.date,
    description: str,
    points: Any = None,
    quantity: int = 1,
    files: Iterable[UploadedFile] = (),
) -> Claim:
    """党员自评: the member reports one matter with evidence; it waits for the community's review."""
    require_self(actor, "points.self", member)
    _check_date(occurred_on)
    member = Member.objects.select_related("branch__node", "person").get(pk=member.pk)
    branch_year = BranchYear.objects.filter(branch=member.branch, year=occurred_on.year).first()
    if branch_year is None:
        raise StageClosed(f"{member.branch}{occurred_on.year}年积分尚未启动党员自评。")
    branch_year = lock_branch_year(branch_year)
    require_stage(branch_year, SELF_REPORT_STAGES, "提交自评申报")
    _check_member(member, branch_year)
    _check_item_in_force(member, item, occurred_on.year)
    if item.auto_code:
        raise ValidationError({"item": "该项目由系统根据活动记录自动记分，无需申报。"})
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": "请说明事项经过。"})
    magnitude = _requested(item, quantity, points)
    checked = _evidence_check(files)
    if item.evidence_required and not checked:
        raise ValidationError({"evidence": f"「{item.name}」须上传佐证材料。"})
    account = lock_account(member_account(member, occurred_on.year))
    room = cap_room(item, account, occurred_on)
    if room is not None and room <= 0:
        raise ValidationError({"item": f"{cap_label(item)}已满，不能再申报。"})
    claim = Claim.objects.create(
        branch_year=branch_year,
        member=member,
        account=account,
        item=item,
        origin=ClaimOrigin.SELF_REPORT,
        status=ClaimStatus.SUBMITTED,
        occurred_on=occurred_on,
        quantity=quantity,
        description=description,
        requested_points=magnitude * item.sign,
        created_by_name=actor.get_username(),
    )
    _evidence_store(claim, checked)
    record_creation(claim, machine=CLAIM_MACHINE.name, label="提交自评", state=claim.status, actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=claim,
        changes={"requested_points": [None, str(claim.requested_points)], "evidence": [None, len(checked)]},
        note=f"自评申报：{item.name}",
    )
    return claim


@transaction.atomic
def claim_withdraw(*, actor: Any, claim: Claim) -> Claim:
    claim = _lock_claim(claim)
    require_self(actor, "points.self", claim.member)
    _require_source_state(claim, "withdraw")
    CLAIM_MACHINE.apply(claim, "withdraw", actor=actor)
    return claim


# ---------------------------------------------------------------- community: review


def _review_prelude(actor: Any, claim: Claim, name: str) -> Claim:
    claim = _lock_claim(claim)
    require_at(actor, "points.review", claim.branch_year)
    claim.branch_year = lock_branch_year(claim.branch_year)
    require_stage(claim.branch_year, REVIEW_STAGES, "审核申报")
    _require_source_state(claim, name)
    if is_exempt(claim.member, claim.branch_year):
        raise ValidationError(f"{claim.member}已免于参加{claim.branch_year.year}年积分活动，请不予通过。")
    lock_account(claim.account)
    return claim


def _finish(
    claim: Claim, name: str, *, actor: Any, note: str, magnitude: Decimal | None, entry: Entry | None
):
    now = clock.now()

    def fill(locked: Claim) -> None:
        locked.points = None if magnitude is None else magnitude * claim.item.sign
        locked.entry = entry
        locked.review_note = note
        locked.reviewed_by_name = actor.get_username()
        locked.reviewed_at = now

    CLAIM_MACHINE.apply(
        claim,
        name,
        actor=actor,
        note=note,
        data={"points": fmt(magnitude * claim.item.sign) if magnitude is not None else None},
        before_save=fill,
        extra_update_fields=["points", "entry", "review_note", "reviewed_by_name", "reviewed_at"],
    )


@transaction.atomic
def claim_approve(*, actor: Any, claim: Claim, note: str = "") -> Claim:
    """初评通过: post the requested points; when the item's cap is nearly full, post what is left (adjusted)."""
    claim = _review_prelude(actor, claim, "approve")
    asked = abs(claim.requested_points)
    room = cap_room(claim.item, claim.account, claim.occurred_on, claim.pk)
    credited = asked if room is None else min(asked, room)
    if credited <= 0:
        raise ValidationError(f"{cap_label(claim.item)}已满，不能通过；请以「已达上限」为由不予通过。")
    name = "approve"
    if credited < asked:
        name = "adjust"
        note = (note + "；" if note else "") + f"超出{cap_label(claim.item)}，按剩余额度记{fmt(credited)}分"
    entry = _post(
        claim=claim,
        magnitude=credited,
        kind=PointsEntryKind.SELF_REPORT,
        actor=actor,
        key=f"points:claim:{claim.pk}",
    )
    _finish(claim, name, actor=actor, note=note, magnitude=credited, entry=entry)
    return claim


@transaction.atomic
def claim_adjust(*, actor: Any, claim: Claim, points: Any, reason: str) -> Claim:
    """调整后通过: the community sets the amount (within the item's range and cap) and says why."""
    claim = _review_prelude(actor, claim, "adjust")
    if not (reason or "").strip():
        raise ValidationError({"reason": "调整分值须填写原因。"})
    magnitude = _magnitude(points)
    low, high = _item_bounds(claim.item, claim.quantity)
    if not low <= magnitude <= high:
        raise ValidationError(
            {"points": f"「{claim.item.name}」调整后的分值须在{fmt(low)}到{fmt(high)}分之间。"}
        )
    _check_room(claim, magnitude)
    entry = _post(
        claim=claim,
        magnitude=magnitude,
        kind=PointsEntryKind.SELF_REPORT,
        actor=actor,
        key=f"points:claim:{claim.pk}",
    )
    _finish(claim, "adjust", actor=actor, note=reason.strip(), magnitude=magnitude, entry=entry)
    return claim


@transaction.atomic
def claim_reject(*, actor: Any, claim: Claim, reason: str) -> Claim:
    claim = _lock_claim(claim)
    require_at(actor, "points.review", claim.branch_year)
    require_stage(lock_branch_year(claim.branch_year), REVIEW_STAGES, "审核申报")
    _require_source_state(claim, "reject")
    if not (reason or "").strip():
        raise ValidationError({"reason": "不予通过须填写原因。"})
    _finish(claim, "reject", actor=actor, note=reason.strip(), magnitude=None, entry=None)
    return claim


REVIEW_ACTIONS = {"approve": "通过", "reject": "不予通过", "adjust": "调整分值后通过"}


@transaction.atomic
def claims_review_bulk(
    *, actor: Any, claims: Iterable[Claim], action: str, reason: str = "", points: Any = None
) -> int:
    """Review a batch at once: all of it or none of it; the error lists every claim that could not be done."""
    if action not in REVIEW_ACTIONS:
        raise ValidationError("请选择审核操作。")
    claims = sorted(claims, key=lambda c: c.pk)
    if not claims:
        raise ValidationError("请先勾选要审核的申报。")
    problems: list[str] = []
    for claim in claims:
        try:
            with transaction.atomic():
                if action == "approve":
                    claim_approve(actor=actor, claim=claim, note=reason)
                elif action == "reject":
                    claim_reject(actor=actor, claim=claim, reason=reason)
                else:
                    claim_adjust(actor=actor, claim=claim, points=points, reason=reason)
        except (ValidationError, TransitionError, PermissionDenied) as error:
            message = "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
            problems.append(f"{claim.member}「{claim.item}」（{claim.occurred_on:%m-%d}）：{message}")
    if problems:
        raise ValidationError([f"本批{len(claims)}条均未处理，原因如下：", *problems])
    return len(claims)


# ---------------------------------------------------------------- community: record and correct


@transaction.atomic
def claim_record(
    *,
    actor: Any,
    member: Member,
    item: SchemeItem,
    occurred_on: datetime.date,
    description: str,
    points: Any = None,
    quantity: int = 1,
) -> Claim:
    """The community records points directly (扣分, 区级以下表彰 set by the branch …): posted at once."""
    member = Member.objects.select_related("branch__node", "person").get(pk=member.pk)
    require_perm_at(actor, "points.review", member.branch.node.path)
    _check_date(occurred_on)
    branch_year = lock_branch_year(branch_year_get(member.branch, occurred_on.year))
    require_stage(branch_year, CREDIT_STAGES, "记录积分")
    _check_member(member, branch_year)
    _check_item_in_force(member, item, occurred_on.year)
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": "请说明事项。"})
    magnitude = _requested(item, quantity, points)
    account = lock_account(member_account(member, occurred_on.year))
    claim = Claim(
        branch_year=branch_year,
        member=member,
        account=account,
        item=item,
        origin=ClaimOrigin.RECORDED,
        status=ClaimStatus.APPROVED,
        occurred_on=occurred_on,
        quantity=quantity,
        description=description,
        requested_points=magnitude * item.sign,
        points=magnitude * item.sign,
        created_by_name=actor.get_username(),
        reviewed_by_name=actor.get_username(),
        reviewed_at=clock.now(),
    )
    _check_room(claim, magnitude, exclude_self=False)
    claim.save()
    claim.entry = _post(
        claim=claim,
        magnitude=magnitude,
        kind=PointsEntryKind.RECORDED,
        actor=actor,
        key=f"points:claim:{claim.pk}",
    )
    claim.save(update_fields=["entry"])
    record_creation(claim, machine=CLAIM_MACHINE.name, label="党组织记录", state=claim.status, actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=claim,
        changes={"points": [None, str(claim.points)]},
        note=f"记录积分：{item.name}",
    )
    return claim


@transaction.atomic
def claim_correct(*, actor: Any, claim: Claim, points: Any, reason: str) -> Claim:
    """Correct approved points: reverse the entry that carries them and post the corrected amount (0 revokes)."""
    claim = _lock_claim(claim)
    require_at(actor, "points.review", claim.branch_year)
    require_stage(lock_branch_year(claim.branch_year), CORRECTION_STAGES, "更正积分")
    magnitude = _magnitude(points)
    name = "revoke" if magnitude == 0 else "correct"
    _require_source_state(claim, name)
    if not (reason or "").strip():
        raise ValidationError({"reason": "更正积分须填写原因。"})
    reason = reason.strip()
    lock_account(claim.account)
    if magnitude:
        low, high = _item_bounds(claim.item, claim.quantity)
        if not low <= magnitude <= high:
            raise ValidationError(
                {"points": f"「{claim.item.name}」的分值须在{fmt(low)}到{fmt(high)}分之间。"}
            )
        _check_room(claim, magnitude)
        if claim.points is not None and magnitude * claim.item.sign == claim.points:
            raise ValidationError({"points": "更正后的分值与现有分值相同。"})
    reversal = ledger_reverse(entry=claim.entry, actor=actor, reason=reason)
    entry = claim.entry
    if magnitude:
        entry = _post(
            claim=claim,
            magnitude=magnitude,
            kind=PointsEntryKind.CORRECTION,
            actor=actor,
            key=f"points:claim:{claim.pk}:after:{reversal.pk}",
            memo=f"更正：{reason}",
        )
    _finish(claim, name, actor=actor, note=reason, magnitude=magnitude, entry=entry)
    return claim
