"""Setting up a station: the station itself, its earning catalogue, its shop, stock and expiry rule."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from linli.core import clock
from linli.core.audit import audit_record, diff_fields
from linli.core.choices import AuditAction
from linli.core.shortcuts import require_perm_at
from linli.ledger.choices import EntryKind
from linli.ledger.services import InsufficientBalance, account_open, currency_get, ledger_post
from linli.orgs.choices import NodeKind
from linli.orgs.models import OrgNode

from ..choices import STOCK_CURRENCY
from ..models import EarningItem, ExpiryRule, ShopItem, Station

STATION_FIELDS = ("name", "address", "opening_hours", "allows_cross_redemption", "is_active")
EARNING_ITEM_FIELDS = (
    "name",
    "category",
    "points",
    "unit",
    "daily_cap",
    "monthly_cap",
    "evidence",
    "evidence_hint",
    "counts_as_community_service",
    "is_active",
    "sort_order",
)
SHOP_ITEM_FIELDS = (
    "name",
    "kind",
    "description",
    "price",
    "unit",
    "per_order_limit",
    "low_stock_threshold",
    "is_active",
    "sort_order",
)
EXPIRY_TERMS = ("keep_months", "expires_month", "expires_day", "notice_days")


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: str(v) if isinstance(v := getattr(obj, f), Decimal) else v for f in fields}


def _full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)


@transaction.atomic
def station_create(*, actor: Any, community: OrgNode, name: str, **fields: Any) -> Station:
    require_perm_at(actor, "bank.manage", community.path)
    if community.kind != NodeKind.COMMUNITY:
        raise ValidationError({"community": "积分驿站只能设在社区。"})
    if Station.objects.filter(community=community).exists():
        raise ValidationError({"community": f"{community.name}已经有积分驿站。"})
    station = Station(community=community, name=name, **fields)
    _full_clean(station)
    station.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=station, changes=_snapshot(station, STATION_FIELDS)
    )
    return station


@transaction.atomic
def station_update(*, actor: Any, station: Station, **fields: Any) -> Station:
    require_perm_at(actor, "bank.manage", station.get_scope_path())
    before = _snapshot(station, STATION_FIELDS)
    for key, value in fields.items():
        if key not in STATION_FIELDS:
            raise ValueError(key)
        setattr(station, key, value)
    _full_clean(station)
    station.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=station,
        changes=diff_fields(before, _snapshot(station, STATION_FIELDS)),
    )
    return station


def _validate_caps(item: EarningItem) -> None:
    errors = {}
    if item.daily_cap is not None and item.daily_cap < item.points:
        errors["daily_cap"] = "每日上限不能小于单次积分，否则本项永远无法记分。"
    if item.monthly_cap is not None and item.monthly_cap < item.points:
        errors["monthly_cap"] = "每月上限不能小于单次积分，否则本项永远无法记分。"
    if item.daily_cap is not None and item.monthly_cap is not None and item.monthly_cap < item.daily_cap:
        errors["monthly_cap"] = "每月上限不能小于每日上限。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def earning_item_save(
    *, actor: Any, station: Station, item: EarningItem | None = None, **fields: Any
) -> EarningItem:
    """Create or change a catalogue item; changes apply to earnings recorded from now on."""
    require_perm_at(actor, "bank.manage", station.get_scope_path())
    creating = item is None
    if item is None:
        item = EarningItem(station=station)
    elif item.station_id != station.pk:
        raise ValueError("item of another station")
    before = {} if creating else _snapshot(item, EARNING_ITEM_FIELDS)
    for key, value in fields.items():
        if key not in EARNING_ITEM_FIELDS:
            raise ValueError(key)
        setattr(item, key, value)
    _full_clean(item)
    _validate_caps(item)
    item.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        target=item,
        changes=diff_fields(before, _snapshot(item, EARNING_ITEM_FIELDS)),
    )
    return item


@transaction.atomic
def shop_item_save(*, actor: Any, station: Station, item: ShopItem | None = None, **fields: Any) -> ShopItem:
    """Create or change a shop item; a new item gets its own stock account (empty until restocked)."""
    require_perm_at(actor, "bank.manage", station.get_scope_path())
    creating = item is None
    if item is None:
        item = ShopItem(station=station)
    elif item.station_id != station.pk:
        raise ValueError("item of another station")
    before = {} if creating else _snapshot(item, SHOP_ITEM_FIELDS)
    for key, value in fields.items():
        if key not in SHOP_ITEM_FIELDS:
            raise ValueError(key)
        setattr(item, key, value)
    _full_clean(item, exclude=["stock_account"])
    item.save()
    if creating:
        item.stock_account = account_open(
            currency=currency_get(STOCK_CURRENCY),
            owner=item,
            scope_path=station.community.path,
            label=f"{station.name}·{item.name}",
        )
        item.save(update_fields=["stock_account"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        target=item,
        changes=diff_fields(before, _snapshot(item, SHOP_ITEM_FIELDS)),
    )
    return item


def _stock_quantity(quantity: int) -> int:
    if not isinstance(quantity, int) or quantity <= 0:
        raise ValidationError({"quantity": "数量必须是正整数。"})
    return quantity


@transaction.atomic
def stock_restock(*, actor: Any, item: ShopItem, quantity: int, note: str = "") -> ShopItem:
    """Goods received or vegetables harvested: stock goes up by an entry on the item's stock account."""
    require_perm_at(actor, "bank.desk", item.get_scope_path())
    quantity = _stock_quantity(quantity)
    ledger_post(
        account=item.stock_account,
        amount=quantity,
        kind=EntryKind.RESTOCK,
        actor=actor,
        memo=f"入库{quantity}{item.unit}{'：' + note.strip() if note.strip() else ''}",
        source=item,
    )
    return item


@transaction.atomic
def stock_write_off(*, actor: Any, item: ShopItem, quantity: int, reason: str) -> ShopItem:
    """Spoiled vegetables, broken goods: stock goes down with a reason; never below zero."""
    require_perm_at(actor, "bank.desk", item.get_scope_path())
    quantity = _stock_quantity(quantity)
    if not reason.strip():
        raise ValidationError({"reason": "报损必须填写原因。"})
    try:
        ledger_post(
            account=item.stock_account,
            amount=-quantity,
            kind="write_off",
            actor=actor,
            memo=f"报损{quantity}{item.unit}：{reason.strip()}",
            source=item,
        )
    except InsufficientBalance as error:
        raise ValidationError({"quantity": f"库存不足，无法报损。{error.messages[0]}"}) from None
    return item


@transaction.atomic
def expiry_rule_save(*, actor: Any, station: Station, is_active: bool, **terms: Any) -> ExpiryRule:
    """Set the station's expiry rule. Changing a term re-announces it: the notice period starts again."""
    require_perm_at(actor, "bank.manage", station.get_scope_path())
    rule = ExpiryRule.objects.filter(station=station).first()
    creating = rule is None
    if rule is None:
        rule = ExpiryRule(station=station, announced_on=clock.today())
    before = {} if creating else _snapshot(rule, ("is_active", *EXPIRY_TERMS))
    changed_terms = creating or any(getattr(rule, k) != v for k, v in terms.items())
    for key, value in terms.items():
        if key not in EXPIRY_TERMS:
            raise ValueError(key)
        setattr(rule, key, value)
    was_active = rule.is_active if not creating else False
    rule.is_active = is_active
    if changed_terms or (is_active and not was_active):
        rule.announced_on = clock.today()
    _full_clean(rule)
    rule.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        target=rule,
        changes=diff_fields(before, _snapshot(rule, ("is_active", *EXPIRY_TERMS))),
        note=f"公布日期{rule.announced_on.isoformat()}",
    )
    return rule
