"""Writes on scoring schemes (PTS-1): drafts are edited, published versions are copied, never changed."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from linli.core import clock
from linli.core.audit import audit_record, diff_fields
from linli.core.choices import AuditAction
from linli.core.shortcuts import require_perm_at
from linli.core.statemachine import StateMachine, transition
from linli.orgs.choices import NodeKind
from linli.orgs.models import OrgNode
from linli.people.choices import PointsClass

from ..choices import AwardLevel, CapPeriod, Category, Direction, SchemeStatus
from ..models import Scheme, SchemeItem

SCHEME_MACHINE = StateMachine(
    name="points_scheme",
    state_field="status",
    states=SchemeStatus,
    transitions=[
        transition("publish", "发布细则", SchemeStatus.DRAFT, SchemeStatus.PUBLISHED, "points.scheme_manage"),
        transition(
            "supersede",
            "被新版本替代",
            SchemeStatus.PUBLISHED,
            SchemeStatus.SUPERSEDED,
            "points.scheme_manage",
        ),
    ],
)

SCHEME_SETTINGS = (
    "title",
    "note",
    "excellent_min",
    "qualified_min",
    "basic_min",
    "excellent_quota_percent",
    "publicity_days",
)
ITEM_FIELDS = (
    "category",
    "name",
    "description",
    "direction",
    "default_points",
    "min_points",
    "max_points",
    "cap_points",
    "cap_period",
    "evidence_required",
    "award_level",
    "auto_code",
    "sort_order",
)


def _manage(actor: Any, scheme_or_district: Scheme | OrgNode) -> None:
    path = (
        scheme_or_district.district.path
        if isinstance(scheme_or_district, Scheme)
        else scheme_or_district.path
    )
    require_perm_at(actor, "points.scheme_manage", path)


def _require_draft(scheme: Scheme) -> None:
    if scheme.status != SchemeStatus.DRAFT:
        raise ValidationError(
            f"「{scheme}」{scheme.get_status_display()}，不能直接修改；请新建版本后修改并发布。"
        )


def _decimal(value: Any, field: str, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: f"{label}必须是数字。"}) from None
    if number < 0:
        raise ValidationError({field: f"{label}不能为负数，加分或扣分由「加减分」决定。"})
    return number.quantize(Decimal("0.01"))


def _validate_settings(data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not (data.get("title") or "").strip():
        errors["title"] = "请填写细则名称。"
    for field in ("excellent_min", "qualified_min", "basic_min"):
        if data.get(field) is None:
            errors[field] = "请填写分数线。"
    if not errors and not (data["excellent_min"] >= data["qualified_min"] >= data["basic_min"]):
        errors["qualified_min"] = "分数线须满足：优秀 ≥ 合格 ≥ 基本合格。"
    quota = data.get("excellent_quota_percent")
    if quota is not None and not 0 < quota <= 100:
        errors["excellent_quota_percent"] = "优秀比例须在1%到100%之间，留空表示不限。"
    if not 1 <= (data.get("publicity_days") or 0) <= 30:
        errors["publicity_days"] = "公示期须为1到30个工作日。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def scheme_create(
    *, actor: Any, district: OrgNode, year: int, member_class: str, title: str, **settings: Any
) -> Scheme:
    """A new draft scheme; a year and class that already has one is continued by a new version instead."""
    _manage(actor, district)
    if district.kind != NodeKind.DISTRICT:
        raise ValidationError("积分细则由区制定。")
    if member_class not in PointsClass.values:
        raise ValidationError({"member_class": "请选择党员类别。"})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度不正确。"})
    if Scheme.objects.filter(district=district, year=year, member_class=member_class).exists():
        raise ValidationError(
            {
                "member_class": f"{year}年{PointsClass(member_class).label}党员积分细则已存在，请在原细则上新建版本。"
            }
        )
    unknown = set(settings) - set(SCHEME_SETTINGS)
    if unknown:
        raise TypeError(f"unknown scheme settings {unknown}")
    scheme = Scheme(district=district, year=year, member_class=member_class, title=(title or "").strip())
    for key, value in settings.items():
        setattr(scheme, key, value)
    _validate_settings({f: getattr(scheme, f) for f in SCHEME_SETTINGS})
    scheme.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=scheme, changes={"title": [None, scheme.title]}
    )
    return scheme


@transaction.atomic
def scheme_update(*, actor: Any, scheme: Scheme, **settings: Any) -> Scheme:
    scheme = Scheme.objects.select_for_update().select_related("district").get(pk=scheme.pk)
    _manage(actor, scheme)
    _require_draft(scheme)
    before = {f: str(getattr(scheme, f)) for f in SCHEME_SETTINGS}
    for key, value in settings.items():
        if key not in SCHEME_SETTINGS:
            raise TypeError(f"unknown scheme setting {key}")
        setattr(scheme, key, value)
    _validate_settings({f: getattr(scheme, f) for f in SCHEME_SETTINGS})
    scheme.save()
    changes = diff_fields(before, {f: str(getattr(scheme, f)) for f in SCHEME_SETTINGS})
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=scheme, changes=changes)
    return scheme


def _clean_item(scheme: Scheme, item: SchemeItem) -> None:
    errors: dict[str, str] = {}
    if item.category not in Category.values:
        errors["category"] = "请选择类别。"
    if not (item.name or "").strip():
        errors["name"] = "请填写项目名称。"
    if item.direction not in Direction.values:
        errors["direction"] = "请选择加分或扣分。"
    fixed = item.default_points is not None
    ranged = item.min_points is not None or item.max_points is not None
    if fixed == ranged:
        errors["default_points"] = "请填写固定分值，或填写分值范围（最低、最高），二者选一。"
    elif fixed and item.default_points <= 0:
        errors["default_points"] = "分值必须大于0。"
    elif ranged:
        if item.min_points is None or item.max_points is None:
            errors["min_points"] = "分值范围须同时填写最低和最高分值。"
        elif not 0 < item.min_points <= item.max_points:
            errors["min_points"] = "分值范围须满足 0 < 最低 ≤ 最高。"
    if (item.cap_points is None) != (not item.cap_period):
        errors["cap_points"] = "上限分值和上限周期须同时填写或同时留空。"
    elif item.cap_points is not None and item.cap_points <= 0:
        errors["cap_points"] = "上限分值必须大于0。"
    elif item.cap_period and item.cap_period not in CapPeriod.values:
        errors["cap_period"] = "请选择上限周期。"
    if item.award_level not in AwardLevel.values:
        errors["award_level"] = "表彰级别不正确。"
    if item.auto_code:
        if not fixed:
            errors["auto_code"] = "自动记分的项目须使用固定分值。"
        clash = SchemeItem.objects.filter(scheme=scheme, auto_code=item.auto_code).exclude(pk=item.pk)
        if clash.exists():
            errors["auto_code"] = "同一细则中每个自动记分代码只能对应一个项目。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def scheme_item_save(
    *, actor: Any, scheme: Scheme, item: SchemeItem | None = None, **fields: Any
) -> SchemeItem:
    """Add an item to a draft scheme, or change one of its items."""
    scheme = Scheme.objects.select_for_update().select_related("district").get(pk=scheme.pk)
    _manage(actor, scheme)
    _require_draft(scheme)
    if item is not None and item.scheme_id != scheme.pk:
        raise ValidationError("该项目不属于此细则。")
    target = item or SchemeItem(scheme=scheme)
    before = {f: str(getattr(target, f)) for f in ITEM_FIELDS} if item else {}
    for key, value in fields.items():
        if key not in ITEM_FIELDS:
            raise TypeError(f"unknown item field {key}")
        if key in ("default_points", "min_points", "max_points", "cap_points"):
            value = _decimal(value, key, target._meta.get_field(key).verbose_name)
        if key in ("cap_period", "award_level", "auto_code", "description") and value is None:
            value = ""
        setattr(target, key, value)
    target.name = (target.name or "").strip()
    _clean_item(scheme, target)
    target.save()
    after = {f: str(getattr(target, f)) for f in ITEM_FIELDS}
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE if item else AuditAction.CREATE,
        target=target,
        changes=diff_fields(before, after),
        note=f"{scheme}：{target.rule_text}",
    )
    return target


@transaction.atomic
def scheme_item_delete(*, actor: Any, item: SchemeItem) -> None:
    scheme = Scheme.objects.select_for_update().select_related("district").get(pk=item.scheme_id)
    _manage(actor, scheme)
    _require_draft(scheme)
    audit_record(
        actor=actor, action=AuditAction.DELETE, target=item, note=f"{scheme}：删除项目「{item.name}」"
    )
    SchemeItem.objects.filter(pk=item.pk).delete()


@transaction.atomic
def scheme_publish(*, actor: Any, scheme: Scheme, note: str = "") -> Scheme:
    """Publish a draft; the version it replaces (same year and class) is marked superseded, not changed."""
    scheme = Scheme.objects.select_for_update().select_related("district").get(pk=scheme.pk)
    _manage(actor, scheme)
    _require_draft(scheme)
    count = scheme.items.count()
    if count == 0:
        raise ValidationError("细则中还没有积分项目，不能发布。")
    current = (
        Scheme.objects.select_for_update()
        .filter(
            district_id=scheme.district_id,
            year=scheme.year,
            member_class=scheme.member_class,
            status=SchemeStatus.PUBLISHED,
        )
        .first()
    )
    if current is not None:
        SCHEME_MACHINE.apply(current, "supersede", actor=actor, note=f"由第{scheme.version}版替代")
    now = clock.now()

    def stamp(locked: Scheme) -> None:
        locked.published_at = now
        locked.published_by_name = actor.get_username()

    SCHEME_MACHINE.apply(
        scheme,
        "publish",
        actor=actor,
        note=note,
        data={"items": count, "replaces": current.pk if current else None},
        before_save=stamp,
        extra_update_fields=["published_at", "published_by_name"],
    )
    return scheme


def _copy(scheme: Scheme, *, year: int, version: int, status: str = SchemeStatus.DRAFT) -> Scheme:
    copy = Scheme.objects.create(
        district_id=scheme.district_id,
        year=year,
        member_class=scheme.member_class,
        version=version,
        status=status,
        title=scheme.title.replace(str(scheme.year), str(year)) if year != scheme.year else scheme.title,
        note=scheme.note,
        copied_from=scheme,
        excellent_min=scheme.excellent_min,
        qualified_min=scheme.qualified_min,
        basic_min=scheme.basic_min,
        excellent_quota_percent=scheme.excellent_quota_percent,
        publicity_days=scheme.publicity_days,
    )
    SchemeItem.objects.bulk_create(
        [
            SchemeItem(scheme=copy, **{f: getattr(item, f) for f in ITEM_FIELDS}, lineage=item.lineage)
            for item in scheme.items.order_by("id")
        ]
    )
    return copy


@transaction.atomic
def scheme_new_version(*, actor: Any, scheme: Scheme) -> Scheme:
    """Start changing a published scheme: a draft copy with the next version number, same item lineages."""
    scheme = Scheme.objects.select_for_update().select_related("district").get(pk=scheme.pk)
    _manage(actor, scheme)
    if scheme.status != SchemeStatus.PUBLISHED:
        raise ValidationError("只能在已发布的细则上新建版本。")
    siblings = Scheme.objects.filter(
        district_id=scheme.district_id, year=scheme.year, member_class=scheme.member_class
    )
    draft = siblings.filter(status=SchemeStatus.DRAFT).first()
    if draft is not None:
        raise ValidationError(f"已有待发布的第{draft.version}版草稿，请先修改并发布它。")
    version = (siblings.aggregate(v=Max("version"))["v"] or 0) + 1
    copy = _copy(scheme, year=scheme.year, version=version)
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=copy, note=f"由第{scheme.version}版复制，待修改后发布"
    )
    return copy


@transaction.atomic
def scheme_copy_forward(*, actor: Any, district: OrgNode, from_year: int, to_year: int) -> list[Scheme]:
    """Copy last year's published schemes into drafts for the new year (classes already begun are skipped)."""
    _manage(actor, district)
    if to_year <= from_year:
        raise ValidationError("只能把往年细则复制到以后的年度。")
    sources = list(Scheme.objects.filter(district=district, year=from_year, status=SchemeStatus.PUBLISHED))
    if not sources:
        raise ValidationError(f"{from_year}年没有已发布的积分细则可以复制。")
    begun = set(Scheme.objects.filter(district=district, year=to_year).values_list("member_class", flat=True))
    created = [_copy(s, year=to_year, version=1) for s in sources if s.member_class not in begun]
    if not created:
        raise ValidationError(f"{to_year}年各类别的积分细则都已建立，无需复制。")
    for scheme in created:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            target=scheme,
            note=f"由{from_year}年细则（第{scheme.copied_from.version}版）复制",
        )
    return created
