"""公示 objections: recorded during the publicity period and resolved; an upheld one may post a correction."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from linli.core import clock
from linli.core.audit import audit_record
from linli.core.choices import AuditAction
from linli.core.shortcuts import require_perm_at
from linli.ledger.services import ledger_post
from linli.people.models import Member

from ..choices import ObjectionStatus, PointsEntryKind
from ..models import NoticeLine, Objection, PublicNotice
from ..rules import OBJECTION_STAGES, require_stage
from ..util import cn_date, fmt
from .common import lock_account, lock_branch_year


def _open_notice(notice: PublicNotice) -> PublicNotice:
    notice = PublicNotice.objects.select_related("branch_year__branch__node").get(pk=notice.pk)
    if notice.is_withdrawn:
        raise ValidationError("该公示已撤回。")
    return notice


@transaction.atomic
def objection_record(
    *,
    actor: Any,
    notice: PublicNotice,
    content: str,
    received_on: datetime.date,
    member: Member | None = None,
    raised_by: str = "",
) -> Objection:
    notice = _open_notice(notice)
    require_perm_at(actor, "points.review", notice.get_scope_path())
    require_stage(lock_branch_year(notice.branch_year), OBJECTION_STAGES, "登记公示异议")
    if not isinstance(received_on, datetime.date):
        raise ValidationError({"received_on": "请填写收到日期。"})
    if received_on > clock.today():
        raise ValidationError({"received_on": "收到日期不能晚于今天。"})
    if not notice.start_date <= received_on <= notice.end_date:
        raise ValidationError(
            {
                "received_on": f"异议须在公示期内（{cn_date(notice.start_date)}至{cn_date(notice.end_date)}）提出。"
            }
        )
    content = (content or "").strip()
    if not content:
        raise ValidationError({"content": "请填写异议内容。"})
    if member is not None and not NoticeLine.objects.filter(notice=notice, member=member).exists():
        raise ValidationError({"member": "该党员不在本次公示名单中。"})
    objection = Objection.objects.create(
        notice=notice,
        member=member,
        raised_by=(raised_by or "").strip()[:50],
        received_on=received_on,
        content=content,
        recorded_by_name=actor.get_username(),
    )
    audit_record(actor=actor, action=AuditAction.CREATE, target=objection, note=content[:200])
    return objection


@transaction.atomic
def objection_resolve(
    *, actor: Any, objection: Objection, upheld: bool, resolution: str, correction_points: Any = None
) -> Objection:
    """Resolve an objection; when upheld with a correction, post it to the member's account, citing the objection."""
    objection = (
        Objection.objects.select_for_update()
        .select_related("notice__branch_year__branch__node")
        .get(pk=objection.pk)
    )
    require_perm_at(actor, "points.review", objection.get_scope_path())
    require_stage(lock_branch_year(objection.notice.branch_year), OBJECTION_STAGES, "处理公示异议")
    if objection.notice.is_withdrawn:
        raise ValidationError("该公示已撤回。")
    if objection.status != ObjectionStatus.OPEN:
        raise ValidationError("该异议已处理。")
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": "请填写处理意见。"})
    correction = None
    if correction_points not in (None, ""):
        try:
            correction = Decimal(str(correction_points)).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ValidationError({"correction_points": "更正分值必须是数字（扣减填负数）。"}) from None
        if correction == 0:
            correction = None
    if correction is not None and not upheld:
        raise ValidationError({"correction_points": "异议不成立时不能更正积分。"})
    if correction is not None and objection.member_id is None:
        raise ValidationError({"correction_points": "更正积分须指明涉及的党员。"})
    entry = None
    if correction is not None:
        line = NoticeLine.objects.select_related("account").get(
            notice=objection.notice, member_id=objection.member_id
        )
        account = lock_account(line.account)
        entry = ledger_post(
            account=account,
            amount=correction,
            kind=PointsEntryKind.OBJECTION,
            actor=actor,
            memo=f"公示异议#{objection.pk}更正：{resolution}"[:200],
            source=objection,
            idempotency_key=f"points:objection:{objection.pk}",
        )
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.resolution = resolution
    objection.correction_points = correction
    objection.correction_entry = entry
    objection.resolved_by_name = actor.get_username()
    objection.resolved_at = clock.now()
    objection.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=objection,
        changes={"status": [ObjectionStatus.OPEN, objection.status], "correction": [None, fmt(correction)]},
        note=resolution[:200],
    )
    return objection
