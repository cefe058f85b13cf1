"""Redemption (BNK-2): placing an order spends points and stock in one locked transaction; cancelling gives both back."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from linli.core import clock
from linli.core.audit import audit_record
from linli.core.choices import AuditAction
from linli.core.scope import scope_for
from linli.core.shortcuts import require_perm_at
from linli.ledger.choices import EntryKind
from linli.ledger.models import Account
from linli.ledger.services import ledger_post, ledger_reverse

from ..choices import OrderChannel
from ..machines import ORDER_MACHINE
from ..models import Depositor, Order, ShopItem
from ..selectors.rules import redemption_refusal


def _actor_name(actor: Any) -> str:
    return actor.get_username() if actor is not None and getattr(actor, "is_authenticated", False) else "系统"


def _num(value) -> str:
    return f"{value.normalize():f}"


def _authorise_placing(actor: Any, depositor: Depositor, item: ShopItem, channel: str) -> None:
    scope = scope_for(actor)
    if channel == OrderChannel.SELF:
        if not (scope.self_has("bank.self") and depositor.belongs_to(scope)):
            raise PermissionDenied("只能用本人或本户的积分兑换。")
        return
    if channel != OrderChannel.DESK:
        raise ValueError(channel)
    require_perm_at(actor, "bank.desk", item.get_scope_path())
    require_perm_at(actor, "bank.view", depositor.get_scope_path())


@transaction.atomic
def order_place(
    *, actor: Any, depositor: Depositor, item: ShopItem, quantity: int, channel: str = OrderChannel.SELF
) -> Order:
    """Spend the depositor's points and the item's stock at once; any shortfall leaves nothing behind.

    Both account rows are locked in id order (the same order every time, so two orders cannot
    deadlock), both balances are checked under the locks, and both debits are posted in this one
    transaction: two concurrent orders can never spend the same points or the last item twice.
    """
    _authorise_placing(actor, depositor, item, channel)
    station = item.station
    if not isinstance(quantity, int) or not 1 <= quantity <= item.per_order_limit:
        raise ValidationError({"quantity": f"每单可兑换1到{item.per_order_limit}{item.unit}。"})
    if not item.is_active:
        raise ValidationError({"item": f"「{item.name}」已下架。"})
    refusal = redemption_refusal(depositor, station)
    if refusal:
        raise ValidationError({"item": refusal})
    total = item.price * quantity
    locked = {
        a.pk: a
        for a in Account.objects.select_for_update()
        .filter(pk__in=[depositor.points_account_id, item.stock_account_id])
        .order_by("pk")
    }
    stock, points = locked[item.stock_account_id], locked[depositor.points_account_id]
    if stock.balance < quantity:
        raise ValidationError(
            {"quantity": f"「{item.name}」库存不足：剩余{_num(stock.balance)}{item.unit}。"}
        )
    if points.balance < total:
        raise ValidationError(
            {"quantity": f"积分不足：需要{_num(total)}分，{depositor.name}当前余额{_num(points.balance)}分。"}
        )
    now = clock.now()
    order = Order.objects.create(
        depositor=depositor,
        station=station,
        item=item,
        quantity=quantity,
        unit_price=item.price,
        total=total,
        channel=channel,
        placed_by=actor,
        placed_by_name=_actor_name(actor),
        placed_at=now,
    )
    memo = f"{station.name}·兑换{item.name}×{quantity}"
    order.points_entry = ledger_post(
        account=points,
        amount=-total,
        kind=EntryKind.REDEMPTION,
        actor=actor,
        memo=memo,
        source=order,
        idempotency_key=f"bank:order:{order.pk}:points",
    )
    order.stock_entry = ledger_post(
        account=stock,
        amount=-quantity,
        kind=EntryKind.REDEMPTION,
        actor=actor,
        memo=f"{memo}（{depositor.name}）",
        source=order,
        idempotency_key=f"bank:order:{order.pk}:stock",
    )
    order.save(update_fields=["points_entry", "stock_entry"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=order,
        changes={"total": str(total), "quantity": quantity, "channel": channel},
        note=memo,
    )
    return order


@transaction.atomic
def order_prepare(*, actor: Any, order: Order) -> Order:
    ORDER_MACHINE.apply(order, "prepare", actor=actor)
    return order


@transaction.atomic
def order_collect(*, actor: Any, order: Order) -> Order:
    """Hand the item over at the desk: the order is done; points and stock were spent at placing."""

    def close(locked: Order) -> None:
        locked.closed_at, locked.closed_by_name = clock.now(), _actor_name(actor)

    ORDER_MACHINE.apply(
        order, "collect", actor=actor, before_save=close, extra_update_fields=["closed_at", "closed_by_name"]
    )
    return order


def _close_and_give_back(*, actor: Any, order: Order, name: str, reason: str) -> Order:
    def close(locked: Order) -> None:
        locked.closed_at, locked.closed_by_name, locked.close_reason = (
            clock.now(),
            _actor_name(actor),
            reason,
        )

    ORDER_MACHINE.apply(
        order,
        name,
        actor=actor,
        note=reason,
        before_save=close,
        extra_update_fields=["closed_at", "closed_by_name", "close_reason"],
    )
    label = "取消" if name == "cancel" else "拒绝"
    # Same lock order as placing (account ids ascending), so a cancel and an order cannot deadlock.
    list(
        Account.objects.select_for_update()
        .filter(pk__in=[order.depositor.points_account_id, order.item.stock_account_id])
        .order_by("pk")
    )
    for entry in (order.points_entry, order.stock_entry):
        ledger_reverse(entry=entry, actor=actor, reason=f"订单{order.number}{label}：{reason}")
    return order


@transaction.atomic
def order_cancel(*, actor: Any, order: Order, reason: str = "") -> Order:
    """The resident (or the desk for them) cancels an open order: points and stock come back."""
    reason = reason.strip() or (
        "居民本人取消" if order.depositor.belongs_to(scope_for(actor)) else "驿站代为取消"
    )
    return _close_and_give_back(actor=actor, order=order, name="cancel", reason=reason[:200])


@transaction.atomic
def order_refuse(*, actor: Any, order: Order, reason: str) -> Order:
    """The desk refuses an open order (e.g. the vegetables spoiled): points and stock come back."""
    if not reason.strip():
        raise ValidationError({"reason": "拒绝订单必须填写原因。"})
    return _close_and_give_back(actor=actor, order=order, name="refuse", reason=reason.strip()[:200])
