"""Scope cases for every bank URL: who may, a colleague with less right (403), an outsider (404 like missing)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from linli.bank.choices import EarningMethod
from linli.bank.models import (
    BulkCredit,
    Depositor,
    Earning,
    EarningItem,
    ExpiryRule,
    Order,
    ServiceRecord,
    ShopItem,
    Station,
    TimeRelay,
)
from linli.bank.services import (
    bulk_credit_create,
    earning_record,
    order_place,
    service_claim,
    service_confirm,
    service_dispute,
)
from linli.people.services import person_create
from linli.testing.scope import ScopeCase, scope_case

from .factories import build_bank, give_points

SELF_LESSER = ["grid_worker_a1", "sysadmin", "nobody"]
TODAY = lambda: timezone.localdate().isoformat()  # noqa: E731


def _balance(depositor):
    return Depositor.objects.get(pk=depositor.pk).points_account.balance


def _with_order(world):
    bank = build_bank(world)
    give_points(world, bank.a1, bank.activity, 2)
    order = order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.rice, quantity=1)
    return bank, order


def _claim(world, bank, *, disputed=False):
    record = service_claim(
        actor=world.grid_worker_a2,
        provider=bank.a2,
        recipient=bank.a1,
        what="陪同就医",
        served_on=timezone.localdate(),
        hours="2",
    )
    if disputed:
        service_dispute(actor=world.resident_a1, record=record, reason="时长不对")
    return record


# ---- the resident's phone pages -------------------------------------------------------------------


def _resident_page(url: str):
    def builder(world):
        build_bank(world)
        return ScopeCase(url, may=["resident_a1", "member_user_a"], lesser=SELF_LESSER)

    return builder


for _name, _url in {
    "bank:me": "/bank/me/",
    "bank:me_code": "/bank/me/code/",
    "bank:me_history": "/bank/me/history/",
    "bank:me_shop": "/bank/me/shop/",
    "bank:me_orders": "/bank/me/orders/",
    "bank:me_timebank": "/bank/me/timebank/",
}.items():
    scope_case(_name)(_resident_page(_url))


@scope_case("bank:me_order_place")
def me_order_place(world):
    bank = build_bank(world)
    give_points(world, bank.a1, bank.activity, 2)
    return ScopeCase(
        f"/bank/me/shop/{bank.rice.pk}/order/",
        method="post",
        data={"depositor": bank.a1.pk, "quantity": 1},
        may=["resident_a1"],
        lesser=SELF_LESSER,
        outsiders=["member_user_b"],
        state=lambda w: (Order.objects.count(), _balance(bank.a1)),
    )


@scope_case("bank:me_order_cancel")
def me_order_cancel(world):
    _bank, order = _with_order(world)
    return ScopeCase(
        f"/bank/me/orders/{order.pk}/cancel/",
        method="post",
        may=["resident_a1"],
        lesser=SELF_LESSER,
        outsiders=["member_user_a"],
        state=lambda w: Order.objects.get(pk=order.pk).state,
    )


@scope_case("bank:me_service_claim")
def me_service_claim(world):
    bank = build_bank(world)
    data = {"recipient_code": bank.a2.short_code, "what": "上门理发", "served_on": TODAY(), "hours": "1.5"}
    return [
        ScopeCase("/bank/me/timebank/claim/", may=["resident_a1"], lesser=SELF_LESSER),
        ScopeCase(
            "/bank/me/timebank/claim/",
            method="post",
            data=data,
            may=["resident_a1"],
            lesser=SELF_LESSER,
            # A resident of another community cannot name 单田芳: the form refuses, nothing is stored.
            outsiders=["member_user_b"],
            outsider_status=(200,),
            state=lambda w: ServiceRecord.objects.count(),
        ),
    ]


@scope_case("bank:me_relay")
def me_relay(world):
    bank = build_bank(world)
    wife = person_create(
        actor=world.district_admin, node=world.grid_a1, name="李梅", household=world.household_a1
    )
    service_confirm(actor=world.resident_a1, record=_claim(world, bank))  # 单田芳 earns 2 hours
    service_confirm(
        actor=world.grid_worker_a2,
        record=service_claim(
            actor=world.resident_a1,
            provider=bank.a1,
            recipient=bank.a2,
            what="代购",
            served_on=timezone.localdate(),
            hours="2",
        ),
    )
    return ScopeCase(
        "/bank/me/timebank/relay/",
        method="post",
        data={"recipient": wife.pk, "hours": "1", "reason": "给老伴"},
        may=["resident_a1"],
        lesser=SELF_LESSER,
        # 李建国 has no such family member: the choice is refused and nothing moves.
        outsiders=["member_user_a"],
        outsider_status=(302,),
        state=lambda w: TimeRelay.objects.count(),
    )


# ---- the station desk ------------------------------------------------------------------------------


@scope_case("bank:desk")
def desk(world):
    return ScopeCase(
        "/bank/desk/",
        may=["grid_worker_a1", "community_admin_a"],
        lesser=["resident_a1", "unit_contact_a", "sysadmin"],
    )


@scope_case("bank:desk_lookup")
def desk_lookup(world):
    bank = build_bank(world)
    return ScopeCase(
        "/bank/desk/lookup/",
        method="post",
        data={"code": bank.a1.short_code},
        may=["grid_worker_a1", "community_admin_a", "street_admin"],
        lesser=["resident_a1", "sysadmin"],
        outsiders=["grid_worker_a2", "community_admin_a2", "community_admin_b"],
    )


@scope_case("bank:depositor_list")
def depositor_list(world):
    build_bank(world)
    return ScopeCase(
        "/bank/depositors/",
        may=["community_admin_a", "grid_worker_a1"],
        lesser=["resident_a1", "sysadmin"],
        outsiders=["community_admin_b"],
        outsider_status=(200,),
        hidden="张三",
    )


@scope_case("bank:depositor_detail")
def depositor_detail(world):
    bank = build_bank(world)
    return ScopeCase(
        f"/bank/depositors/{bank.a1.pk}/",
        may=["grid_worker_a1", "community_admin_a", "street_admin"],
        lesser=["resident_a1", "sysadmin"],
        outsiders=["grid_worker_a2", "community_admin_b", "unit_contact_a"],
    )


@scope_case("bank:earning_create")
def earning_create(world):
    bank = build_bank(world)
    return ScopeCase(
        f"/bank/depositors/{bank.a1.pk}/credit/",
        method="post",
        data={"item": bank.activity.pk, "quantity": 1, "occurred_on": TODAY(), "method": "code"},
        may=["grid_worker_a1"],
        lesser=["resident_a1", "unit_contact_a"],
        outsiders=["grid_worker_a2", "community_admin_b"],
        state=lambda w: (Earning.objects.count(), _balance(bank.a1)),
    )


@scope_case("bank:desk_order_place")
def desk_order_place(world):
    bank = build_bank(world)
    give_points(world, bank.a1, bank.activity, 2)
    return ScopeCase(
        f"/bank/depositors/{bank.a1.pk}/order/",
        method="post",
        data={"item": bank.rice.pk, "quantity": 1},
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_a2", "community_admin_b"],
        state=lambda w: (Order.objects.count(), _balance(bank.a1)),
    )


@scope_case("bank:card_revoke")
def card_revoke(world):
    bank = build_bank(world)
    return ScopeCase(
        f"/bank/depositors/{bank.a1.pk}/revoke-card/",
        method="post",
        data={"reason": "储户卡丢失"},
        may=["grid_worker_a1"],
        lesser=["resident_a1", "sysadmin"],
        outsiders=["grid_worker_a2", "community_admin_b"],
        state=lambda w: Depositor.objects.get(pk=bank.a1.pk).short_code,
    )


@scope_case("bank:household_list")
def household_list(world):
    build_bank(world)
    return ScopeCase(
        "/bank/households/",
        may=["grid_worker_a1", "community_admin_a"],
        lesser=["resident_a1", "sysadmin"],
        outsiders=["community_admin_b"],
        outsider_status=(200,),
        hidden="1栋1单元101",
    )


@scope_case("bank:household_open")
def household_open(world):
    return ScopeCase(
        f"/bank/households/{world.household_a1.pk}/open/",
        method="post",
        may=["grid_worker_a1"],
        lesser=["resident_a1", "sysadmin"],
        outsiders=["grid_worker_a2", "community_admin_b"],
        state=lambda w: Depositor.objects.count(),
    )


@scope_case("bank:earning_list")
def earning_list(world):
    bank = build_bank(world)
    give_points(world, bank.a1, bank.activity, 1)
    return ScopeCase(
        "/bank/earnings/",
        may=["community_admin_a", "grid_worker_a1"],
        lesser=["resident_a1", "sysadmin"],
        outsiders=["community_admin_b"],
        outsider_status=(200,),
        hidden="张三",
    )


@scope_case("bank:earning_export")
def earning_export(world):
    bank = build_bank(world)
    give_points(world, bank.a1, bank.activity, 1)
    return ScopeCase(
        "/bank/earnings/export/",
        may=["community_admin_a", "grid_worker_a1"],
        lesser=["resident_a1", "sysadmin"],
        # Another community's export holds only its own records (张三's is not among them).
        outsiders=["community_admin_b"],
        outsider_status=(200,),
    )


@scope_case("bank:earning_evidence")
def earning_evidence(world):
    bank = build_bank(world)
    photo = SimpleUploadedFile("现场.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif")
    earning = earning_record(
        actor=world.grid_worker_a1,
        depositor=bank.a1,
        item=bank.volunteer,
        method=EarningMethod.CODE,
        evidence=photo,
    )
    return ScopeCase(
        f"/bank/earnings/{earning.pk}/evidence/",
        may=["community_admin_a", "grid_worker_a1"],
        lesser=["resident_a1", "sysadmin"],
        outsiders=["grid_worker_a2", "community_admin_b"],
    )


@scope_case("bank:earning_void")
def earning_void(world):
    bank = build_bank(world)
    earning = earning_record(actor=world.grid_worker_a1, depositor=bank.a1, item=bank.activity, method="code")
    return ScopeCase(
        f"/bank/earnings/{earning.pk}/void/",
        method="post",
        data={"reason": "记错了人"},
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_b", "community_admin_a2"],
        state=lambda w: (Earning.objects.get(pk=earning.pk).voided_at, _balance(bank.a1)),
    )


@scope_case("bank:order_list")
def order_list(world):
    _with_order(world)
    return ScopeCase(
        "/bank/orders/",
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_b"],
        outsider_status=(200,),
        hidden="张三",
    )


@scope_case("bank:order_act")
def order_act(world):
    _bank, order = _with_order(world)
    return ScopeCase(
        f"/bank/orders/{order.pk}/collect/",
        method="post",
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_a2", "community_admin_b"],
        state=lambda w: Order.objects.get(pk=order.pk).state,
    )


@scope_case("bank:stock")
def stock(world):
    build_bank(world)
    return ScopeCase(
        "/bank/stock/",
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_b"],
        outsider_status=(200,),
        hidden="大米5斤",
    )


def _stock_case(world, url_suffix: str):
    bank = build_bank(world)
    return ScopeCase(
        f"/bank/stock/{bank.rice.pk}/{url_suffix}/",
        method="post",
        data={"quantity": 2, "note": "邻里中心收获"},
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_a2", "community_admin_b"],
        state=lambda w: ShopItem.objects.get(pk=bank.rice.pk).stock_account.balance,
    )


@scope_case("bank:stock_restock")
def stock_restock(world):
    return _stock_case(world, "restock")


@scope_case("bank:stock_write_off")
def stock_write_off(world):
    return _stock_case(world, "write-off")


# ---- setting up a station ---------------------------------------------------------------------------


@scope_case("bank:station_list")
def station_list(world):
    build_bank(world)
    return ScopeCase(
        "/bank/stations/",
        may=["community_admin_a", "street_admin"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_b"],
        outsider_status=(200,),
        hidden="复兴社区积分驿站",
    )


@scope_case("bank:station_create")
def station_create(world):
    data = {
        "community": world.community_a.pk,
        "name": "复兴社区积分驿站",
        "allows_cross_redemption": "on",
        "is_active": "on",
    }
    return [
        ScopeCase("/bank/stations/new/", may=["community_admin_a"], lesser=["grid_worker_a1", "resident_a1"]),
        ScopeCase(
            "/bank/stations/new/",
            method="post",
            data=data,
            may=["community_admin_a"],
            lesser=["grid_worker_a1", "resident_a1"],
            # Another community's admin cannot choose 复兴社区: the form refuses it, nothing is created.
            outsiders=["community_admin_b"],
            outsider_status=(200,),
            state=lambda w: Station.objects.count(),
        ),
    ]


@scope_case("bank:station_detail")
def station_detail(world):
    bank = build_bank(world)
    return ScopeCase(
        f"/bank/stations/{bank.station_a.pk}/",
        may=["community_admin_a", "street_admin"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_a2", "community_admin_b"],
    )


@scope_case("bank:station_edit")
def station_edit(world):
    bank = build_bank(world)
    return ScopeCase(
        f"/bank/stations/{bank.station_a.pk}/edit/",
        method="post",
        data={"name": "复兴邻里中心积分驿站", "allows_cross_redemption": "on", "is_active": "on"},
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_a2", "community_admin_b"],
        state=lambda w: Station.objects.get(pk=bank.station_a.pk).name,
    )


ITEM_DATA = {
    "name": "旧衣回收",
    "category": "compost",
    "points": "3",
    "unit": "次",
    "evidence": "none",
    "is_active": "on",
    "sort_order": 5,
}


@scope_case("bank:earning_item_create")
def earning_item_create(world):
    bank = build_bank(world)
    return ScopeCase(
        f"/bank/stations/{bank.station_a.pk}/earning-items/new/",
        method="post",
        data=ITEM_DATA,
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_b"],
        state=lambda w: EarningItem.objects.count(),
    )


@scope_case("bank:earning_item_edit")
def earning_item_edit(world):
    bank = build_bank(world)
    data = {**ITEM_DATA, "name": "社区活动", "category": "activity", "points": "12"}
    return ScopeCase(
        f"/bank/earning-items/{bank.activity.pk}/edit/",
        method="post",
        data=data,
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_b"],
        state=lambda w: EarningItem.objects.get(pk=bank.activity.pk).points,
    )


SHOP_DATA = {
    "name": "鲜切花一束",
    "kind": "produce",
    "price": "6",
    "unit": "束",
    "per_order_limit": 2,
    "low_stock_threshold": 2,
    "is_active": "on",
    "sort_order": 1,
}


@scope_case("bank:shop_item_create")
def shop_item_create(world):
    bank = build_bank(world)
    return ScopeCase(
        f"/bank/stations/{bank.station_a.pk}/shop-items/new/",
        method="post",
        data=SHOP_DATA,
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_b"],
        state=lambda w: ShopItem.objects.count(),
    )


@scope_case("bank:shop_item_edit")
def shop_item_edit(world):
    bank = build_bank(world)
    data = {**SHOP_DATA, "name": "大米5斤", "kind": "goods", "price": "25"}
    return ScopeCase(
        f"/bank/shop-items/{bank.rice.pk}/edit/",
        method="post",
        data=data,
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_b"],
        state=lambda w: ShopItem.objects.get(pk=bank.rice.pk).price,
    )


@scope_case("bank:expiry_rule_edit")
def expiry_rule_edit(world):
    bank = build_bank(world)
    data = {"is_active": "on", "keep_months": 24, "expires_month": 12, "expires_day": 31, "notice_days": 30}
    return ScopeCase(
        f"/bank/stations/{bank.station_a.pk}/expiry/",
        method="post",
        data=data,
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_b"],
        state=lambda w: ExpiryRule.objects.count(),
    )


# ---- bulk credits ------------------------------------------------------------------------------------


def _bulk(world):
    bank = build_bank(world)
    bulk = bulk_credit_create(
        actor=world.community_admin_a,
        station=bank.station_a,
        item=bank.activity,
        occurred_on=timezone.localdate(),
        reason="学雷锋志愿活动集体记分",
        lines=[(bank.a1, 1)],
    )
    return bank, bulk


@scope_case("bank:bulk_list")
def bulk_list(world):
    _bulk(world)
    return ScopeCase(
        "/bank/bulk/",
        may=["community_admin_a", "street_admin"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_b"],
        outsider_status=(200,),
        hidden="学雷锋",
    )


@scope_case("bank:bulk_create")
def bulk_create(world):
    bank = build_bank(world)
    data = {
        "station": bank.station_a.pk,
        "item": bank.activity.pk,
        "occurred_on": TODAY(),
        "reason": "社区清洁日",
        "lines": f"{bank.a1.short_code} 1\n{bank.a2.short_code} 2",
    }
    return ScopeCase(
        "/bank/bulk/new/",
        method="post",
        data=data,
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_b"],
        outsider_status=(200,),
        state=lambda w: BulkCredit.objects.count(),
    )


@scope_case("bank:bulk_detail")
def bulk_detail(world):
    _bank, bulk = _bulk(world)
    return ScopeCase(
        f"/bank/bulk/{bulk.pk}/",
        may=["community_admin_a", "street_admin"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_a2", "community_admin_b"],
    )


def _bulk_decision(world, action: str):
    bank, bulk = _bulk(world)
    return ScopeCase(
        f"/bank/bulk/{bulk.pk}/{action}/",
        method="post",
        data={"reason": "核对签到表"},
        may=["street_admin"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_a2", "community_admin_b"],
        state=lambda w: (BulkCredit.objects.get(pk=bulk.pk).state, _balance(bank.a1)),
    )


@scope_case("bank:bulk_approve")
def bulk_approve(world):
    return _bulk_decision(world, "approve")


@scope_case("bank:bulk_reject")
def bulk_reject(world):
    return _bulk_decision(world, "reject")


# ---- time bank -----------------------------------------------------------------------------------------


@scope_case("bank:timebank_list")
def timebank_list(world):
    _claim(world, build_bank(world))
    return ScopeCase(
        "/bank/timebank/",
        may=["grid_worker_a1", "grid_worker_a2", "community_admin_a"],
        lesser=["resident_a1", "sysadmin"],
        outsiders=["community_admin_b"],
        outsider_status=(200,),
        hidden="陪同就医",
    )


@scope_case("bank:timebank_claim")
def timebank_claim(world):
    bank = build_bank(world)
    data = {
        "provider_code": bank.a2.short_code,
        "recipient_code": bank.a1.short_code,
        "what": "助浴",
        "served_on": TODAY(),
        "hours": "1",
    }
    return ScopeCase(
        "/bank/timebank/new/",
        method="post",
        data=data,
        may=["community_admin_a"],
        lesser=["resident_a1", "sysadmin"],
        outsiders=["community_admin_b"],
        outsider_status=(200,),
        state=lambda w: ServiceRecord.objects.count(),
    )


@scope_case("bank:time_withdraw")
def time_withdraw(world):
    bank = build_bank(world)
    service_confirm(actor=world.resident_a1, record=_claim(world, bank))  # 单田芳 (grid 2) earns 2 hours
    data = {"depositor_code": bank.a2.short_code, "service": "上门保洁", "occurred_on": TODAY(), "hours": "1"}
    return ScopeCase(
        "/bank/timebank/withdraw/",
        method="post",
        data=data,
        may=["grid_worker_a2"],
        lesser=["resident_a1", "sysadmin"],
        outsiders=["grid_worker_a1", "community_admin_b"],
        outsider_status=(200,),
        state=lambda w: Depositor.objects.get(pk=bank.a2.pk).hours_account.balance,
    )


@scope_case("bank:time_relay")
def time_relay(world):
    bank = build_bank(world)
    service_confirm(actor=world.resident_a1, record=_claim(world, bank))  # 单田芳 earns 2 hours
    data = {
        "donor_code": bank.a2.short_code,
        "recipient_code": bank.b1.short_code,
        "hours": "1",
        "reason": "爱心接力",
    }
    return ScopeCase(
        "/bank/timebank/relay/",
        method="post",
        data=data,
        may=["district_admin"],
        lesser=["resident_a1", "sysadmin"],
        # 金碧社区's 曾小红 is outside 复兴's scope (and 单田芳 outside 金碧's): refused on the form.
        outsiders=["community_admin_a", "community_admin_b"],
        outsider_status=(200,),
        state=lambda w: TimeRelay.objects.count(),
    )


@scope_case("bank:timebank_detail")
def timebank_detail(world):
    record = _claim(world, build_bank(world))
    return ScopeCase(
        f"/bank/timebank/{record.pk}/",
        may=["resident_a1", "grid_worker_a1", "grid_worker_a2", "community_admin_a"],
        lesser=["sysadmin", "unit_contact_a"],
        outsiders=["member_user_a", "community_admin_b"],
    )


def _recipient_side(world, action: str):
    record = _claim(world, build_bank(world))
    return ScopeCase(
        f"/bank/timebank/{record.pk}/{action}/",
        method="post",
        data={"reason": "没有这次服务"},
        may=["resident_a1"],
        lesser=["sysadmin", "unit_contact_a"],
        outsiders=["member_user_a", "community_admin_b"],
        state=lambda w: ServiceRecord.objects.get(pk=record.pk).state,
    )


@scope_case("bank:service_confirm")
def service_confirm_case(world):
    return _recipient_side(world, "confirm")


@scope_case("bank:service_dispute")
def service_dispute_case(world):
    return _recipient_side(world, "dispute")


def _resolution(world, action: str):
    record = _claim(world, build_bank(world), disputed=True)
    return ScopeCase(
        f"/bank/timebank/{record.pk}/{action}/",
        method="post",
        data={"hours": "1.5", "note": "核实后按1.5小时", "reason": "核实无此服务"},
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_b"],
        state=lambda w: ServiceRecord.objects.get(pk=record.pk).state,
    )


@scope_case("bank:service_resolve")
def service_resolve_case(world):
    return _resolution(world, "resolve")


@scope_case("bank:service_reject")
def service_reject_case(world):
    return _resolution(world, "reject")


# ---- overview and cards ---------------------------------------------------------------------------


@scope_case("bank:overview")
def overview(world):
    build_bank(world)
    return ScopeCase(
        "/bank/overview/",
        may=["community_admin_a", "street_admin"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_b"],
        outsider_status=(200,),
        hidden="复兴社区积分驿站",
    )


@scope_case("bank:overview_export")
def overview_export(world):
    bank = build_bank(world)
    return ScopeCase(
        "/bank/overview/export/",
        data={"station": bank.station_a.pk, "table": "top"},
        may=["community_admin_a", "street_admin"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_a2", "community_admin_b"],
    )


@scope_case("bank:cards")
def cards(world):
    build_bank(world)
    return ScopeCase(
        "/bank/cards/",
        may=["grid_worker_a1", "community_admin_a"],
        lesser=["resident_a1", "sysadmin"],
        outsiders=["community_admin_b"],
        outsider_status=(200,),
        hidden="复兴一网格",
    )


@scope_case("bank:cards_open")
def cards_open(world):
    return ScopeCase(
        f"/bank/cards/{world.grid_a1.pk}/open/",
        method="post",
        may=["grid_worker_a1"],
        lesser=["resident_a1", "sysadmin"],
        outsiders=["grid_worker_a2", "community_admin_b"],
        state=lambda w: Depositor.objects.count(),
    )


@scope_case("bank:cards_print")
def cards_print(world):
    build_bank(world)
    return ScopeCase(
        f"/bank/cards/{world.grid_a1.pk}/print/",
        may=["grid_worker_a1", "community_admin_a"],
        lesser=["resident_a1", "sysadmin"],
        outsiders=["grid_worker_a2", "community_admin_b"],
    )


# ---- API ------------------------------------------------------------------------------------------------


def _api_me(url: str):
    def builder(world):
        bank = build_bank(world)
        give_points(world, bank.a1, bank.activity, 1)
        return ScopeCase(url, may=["resident_a1", "member_user_a"], lesser=["grid_worker_a1", "sysadmin"])

    return builder


scope_case("bank_api:me")(_api_me("/api/v1/bank/me/"))
scope_case("bank_api:me_history")(_api_me("/api/v1/bank/me/history/"))


@scope_case("bank_api:station_orders")
def api_station_orders(world):
    bank, _order = _with_order(world)
    return ScopeCase(
        f"/api/v1/bank/stations/{bank.station_a.pk}/orders/",
        may=["community_admin_a", "street_admin"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_a2", "community_admin_b"],
    )
