"""Redemption (BNK-2): orders spend points and stock together, cancellation gives both back, 通存通兑 rules."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from linli.bank.choices import OrderChannel, OrderState
from linli.bank.models import Order, Station
from linli.bank.services import (
    order_cancel,
    order_collect,
    order_place,
    order_prepare,
    order_refuse,
    station_update,
    stock_write_off,
)
from linli.core.models import TransitionRecord
from linli.core.statemachine import TransitionError
from linli.ledger.models import Entry
from linli.ledger.selectors import ledger_verify

from .factories import balance, give_points


def stock(item) -> Decimal:
    item.stock_account.refresh_from_db()
    return item.stock_account.balance


def test_order_spends_points_and_stock_in_one_go(world, bank):
    give_points(world, bank.a1, bank.activity, 5)
    order = order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.rice, quantity=2)
    assert (order.state, order.total, order.channel, order.number) == (
        OrderState.PLACED,
        Decimal("40.00"),
        OrderChannel.SELF,
        f"DH{order.pk:06d}",
    )
    assert (balance(bank.a1), stock(bank.rice)) == (Decimal("10.00"), Decimal("8.00"))
    points_entry = Entry.objects.get(pk=order.points_entry_id)
    assert (points_entry.amount, points_entry.kind, points_entry.memo, points_entry.source_type) == (
        Decimal("-40.00"),
        "redemption",
        "复兴社区积分驿站·兑换大米5斤×2",
        "bank.order",
    )


def test_order_beyond_the_balance_changes_nothing(world, bank):
    give_points(world, bank.a1, bank.activity, 1)
    with pytest.raises(ValidationError, match="积分不足：需要20分，张三当前余额10分"):
        order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.rice, quantity=1)
    assert (balance(bank.a1), stock(bank.rice), Order.objects.count()) == (
        Decimal("10.00"),
        Decimal("10.00"),
        0,
    )


def test_order_beyond_the_stock_changes_nothing(world, bank):
    give_points(world, bank.a1, bank.activity, 10)
    with pytest.raises(ValidationError, match="「理发一次」库存不足：剩余3次"):
        order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.haircut, quantity=4)
    assert (balance(bank.a1), stock(bank.haircut), Order.objects.count()) == (
        Decimal("100.00"),
        Decimal("3.00"),
        0,
    )


def test_per_order_limit(world, bank):
    give_points(world, bank.a1, bank.activity, 20)
    with pytest.raises(ValidationError, match="每单可兑换1到5件"):
        order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.rice, quantity=6)


def test_prepare_and_collect_at_the_desk(world, bank):
    give_points(world, bank.a1, bank.activity, 2)
    order = order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.rice, quantity=1)
    order_prepare(actor=world.community_admin_a, order=order)
    order_collect(actor=world.community_admin_a, order=order)
    order.refresh_from_db()
    assert (order.state, order.closed_by_name) == (OrderState.COLLECTED, "community_admin_a")
    assert [r.transition for r in TransitionRecord.objects.order_by("id")] == ["prepare", "collect"]
    with pytest.raises(TransitionError, match="当前状态为「已领取」，不能执行「取消订单」"):
        order_cancel(actor=world.resident_a1, order=order)


def test_resident_cancels_own_order_and_gets_points_and_stock_back(world, bank):
    give_points(world, bank.a1, bank.activity, 2)
    order = order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.rice, quantity=1)
    order_cancel(actor=world.resident_a1, order=order)
    order.refresh_from_db()
    assert (order.state, order.close_reason) == (OrderState.CANCELLED, "居民本人取消")
    assert (balance(bank.a1), stock(bank.rice)) == (Decimal("20.00"), Decimal("10.00"))
    back = Entry.objects.get(reverses_id=order.points_entry_id)
    assert (back.amount, back.memo) == (Decimal("20.00"), f"冲正#3：订单{order.number}取消：居民本人取消")
    assert ledger_verify().anomalies == []


def test_desk_refuses_a_ready_order_with_a_reason(world, bank):
    give_points(world, bank.a1, bank.activity, 2)
    order = order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.rice, quantity=1)
    order_prepare(actor=world.community_admin_a, order=order)
    with pytest.raises(ValidationError, match="拒绝订单必须填写原因"):
        order_refuse(actor=world.community_admin_a, order=order, reason="")
    order_refuse(actor=world.community_admin_a, order=order, reason="大米受潮")
    assert (Order.objects.get(pk=order.pk).state, balance(bank.a1), stock(bank.rice)) == (
        OrderState.REFUSED,
        Decimal("20.00"),
        Decimal("10.00"),
    )


def test_someone_else_cannot_cancel_a_residents_order(world, bank):
    give_points(world, bank.a1, bank.activity, 2)
    order = order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.rice, quantity=1)
    for outsider in (world.member_user_a, world.grid_worker_a1, world.community_admin_b):
        with pytest.raises(PermissionDenied):
            order_cancel(actor=outsider, order=order)
    assert (Order.objects.get(pk=order.pk).state, balance(bank.a1)) == (OrderState.PLACED, Decimal("0.00"))


def test_grid_worker_cannot_hand_out_orders(world, bank):
    give_points(world, bank.a1, bank.activity, 2)
    order = order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.rice, quantity=1)
    with pytest.raises(PermissionDenied):
        order_collect(actor=world.grid_worker_a1, order=order)


def test_resident_spends_household_points_but_not_a_neighbours(world, bank):
    give_points(world, bank.household_a1, bank.activity, 2)
    order = order_place(actor=world.resident_a1, depositor=bank.household_a1, item=bank.rice, quantity=1)
    assert (order.depositor, balance(bank.household_a1)) == (bank.household_a1, Decimal("0.00"))
    give_points(world, bank.a2, bank.activity, 2)
    with pytest.raises(PermissionDenied, match="只能用本人或本户的积分兑换"):
        order_place(actor=world.resident_a1, depositor=bank.a2, item=bank.rice, quantity=1)


def test_desk_places_an_order_for_a_depositor_in_scope_only(world, bank):
    give_points(world, bank.a1, bank.activity, 2)
    order = order_place(
        actor=world.community_admin_a,
        depositor=bank.a1,
        item=bank.rice,
        quantity=1,
        channel=OrderChannel.DESK,
    )
    assert (order.channel, order.placed_by_name) == (OrderChannel.DESK, "community_admin_a")
    with pytest.raises(PermissionDenied):
        order_place(
            actor=world.community_admin_b,
            depositor=bank.a1,
            item=bank.rice,
            quantity=1,
            channel=OrderChannel.DESK,
        )


def test_cross_community_redemption_in_the_same_street_when_both_allow(world, bank):
    give_points(world, bank.a1, bank.activity, 1)
    order = order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.flowers_a2, quantity=1)
    entry = Entry.objects.get(pk=order.points_entry_id)
    assert (order.station, entry.memo) == (bank.station_a2, "翠湖社区积分驿站·兑换盆栽绿萝×1")
    # The receiving station sees and hands out the visitor's order.
    order_collect(actor=world.community_admin_a2, order=order)
    assert Order.objects.get(pk=order.pk).state == OrderState.COLLECTED


def test_cross_community_redemption_refused_when_the_other_station_forbids_it(world, bank):
    give_points(world, bank.a1, bank.activity, 1)
    station_update(actor=world.community_admin_a2, station=bank.station_a2, allows_cross_redemption=False)
    bank.flowers_a2.station.refresh_from_db()
    with pytest.raises(ValidationError, match="翠湖社区积分驿站未开通通存通兑，只接待本社区居民兑换"):
        order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.flowers_a2, quantity=1)
    assert balance(bank.a1) == Decimal("10.00")


def test_cross_community_redemption_refused_when_the_home_station_forbids_it(world, bank):
    give_points(world, bank.a1, bank.activity, 1)
    Station.objects.filter(pk=bank.station_a.pk).update(allows_cross_redemption=False)
    with pytest.raises(ValidationError, match="您所在社区的驿站未开通通存通兑"):
        order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.flowers_a2, quantity=1)


def test_cross_street_redemption_is_refused_even_when_both_allow(world, bank):
    give_points(world, bank.a1, bank.activity, 1)
    with pytest.raises(ValidationError, match="金碧社区积分驿站不在您所在街道，不能跨街道兑换"):
        order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.soap_b, quantity=1)
    assert (balance(bank.a1), stock(bank.soap_b)) == (Decimal("10.00"), Decimal("5.00"))


def test_write_off_needs_a_reason_and_stock(world, bank):
    with pytest.raises(ValidationError, match="报损必须填写原因"):
        stock_write_off(actor=world.community_admin_a, item=bank.haircut, quantity=1, reason="")
    with pytest.raises(ValidationError, match="库存不足，无法报损"):
        stock_write_off(actor=world.community_admin_a, item=bank.haircut, quantity=4, reason="理发师请假")
    stock_write_off(actor=world.community_admin_a, item=bank.haircut, quantity=1, reason="理发师请假")
    assert stock(bank.haircut) == Decimal("2.00")
