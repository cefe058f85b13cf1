"""Bench cases for the bank pages and API: the demo 居民 on her own account, shop and time bank; the
社区书记 of 复兴社区 at the station desk and on its lists; the 区管理员 on the district overview."""

from linli.bank.models import BulkCredit, Depositor, Earning, EarningItem, ServiceRecord, ShopItem, Station
from linli.bench.cases import BenchRequest, bench_case, bench_skip
from linli.orgs.choices import NodeKind
from linli.orgs.models import OrgNode

bench_skip(
    "bank:me_order_place",
    "bank:me_order_cancel",
    "bank:me_relay",
    "bank:desk_lookup",
    "bank:earning_create",
    "bank:desk_order_place",
    "bank:card_revoke",
    "bank:household_open",
    "bank:earning_void",
    "bank:order_act",
    "bank:stock_restock",
    "bank:stock_write_off",
    "bank:bulk_approve",
    "bank:bulk_reject",
    "bank:service_confirm",
    "bank:service_dispute",
    "bank:service_resolve",
    "bank:service_reject",
    "bank:cards_open",
    reason="只接受 POST 的操作",
)

RESIDENT = "jumin_demo"
ADMIN = "shequ_fuxing"
DISTRICT = "quwei_admin"


def _page(data, username: str, url: str, label: str) -> BenchRequest:
    return BenchRequest(data.user(username), url, label)


def station(data) -> Station:
    """复兴社区's station (the one with the most orders the 社区书记 can see)."""
    stations = Station.objects.visible_to(data.user(ADMIN), "bank.manage")
    return data.most(stations, "orders", "复兴社区的积分驿站", empty_ok=True)


def depositor(data) -> Depositor:
    depositors = Depositor.objects.visible_to(data.user(ADMIN), "bank.view")
    return data.most(depositors, "earnings", "复兴社区有积分记录的储户")


def grid(data) -> OrgNode:
    community = data.node(ADMIN)
    grids = OrgNode.objects.filter(path__startswith=community.path, kind=NodeKind.GRID).order_by(
        "sort_order", "pk"
    )
    return data.pick(grids, "复兴社区的网格")


# ---------------------------------------------------------------- the resident's own pages


@bench_case("bank:me", kind="dashboard")
def me(data):
    return _page(data, RESIDENT, "/bank/me/", "我的积分驿站（居民）")


@bench_case("bank:me_code", kind="detail")
def me_code(data):
    return _page(data, RESIDENT, "/bank/me/code/", "我的储户码（居民）")


@bench_case("bank:me_history", kind="list")
def me_history(data):
    return _page(data, RESIDENT, "/bank/me/history/", "我的积分明细（居民）")


@bench_case("bank:me_shop", kind="list")
def me_shop(data):
    return _page(data, RESIDENT, "/bank/me/shop/", "积分兑换（居民）")


@bench_case("bank:me_orders", kind="list")
def me_orders(data):
    return _page(data, RESIDENT, "/bank/me/orders/", "我的订单（居民）")


@bench_case("bank:me_timebank", kind="list")
def me_timebank(data):
    return _page(data, RESIDENT, "/bank/me/timebank/", "我的时间银行（居民）")


@bench_case("bank:me_service_claim", kind="form")
def me_service_claim(data):
    return _page(data, RESIDENT, "/bank/me/timebank/claim/", "登记服务时长（居民）")


@bench_case("bank_api:me", kind="api")
def api_me(data):
    return _page(data, RESIDENT, "/api/v1/bank/me/", "接口：我的余额（居民）")


@bench_case("bank_api:me_history", kind="api")
def api_me_history(data):
    return _page(data, RESIDENT, "/api/v1/bank/me/history/", "接口：我的积分明细（居民）")


# ---------------------------------------------------------------- the station desk


@bench_case("bank:desk", kind="dashboard")
def desk(data):
    return _page(data, ADMIN, "/bank/desk/", "驿站柜台（社区书记）")


@bench_case("bank:depositor_list", kind="list")
def depositor_list(data):
    return _page(data, ADMIN, "/bank/depositors/", "储户列表（社区书记）")


@bench_case("bank:depositor_detail", kind="detail")
def depositor_detail(data):
    return _page(data, ADMIN, f"/bank/depositors/{depositor(data).pk}/", "储户详情（社区书记）")


@bench_case("bank:household_list", kind="list")
def household_list(data):
    return _page(data, ADMIN, "/bank/households/", "户开户（社区书记）")


@bench_case("bank:earning_list", kind="list")
def earning_list(data):
    return _page(data, ADMIN, "/bank/earnings/", "积分记录（社区书记）")


@bench_case("bank:earning_export", kind="export")
def earning_export(data):
    return _page(data, ADMIN, "/bank/earnings/export/", "导出积分记录（社区书记）")


def _photo_earning(data) -> None:
    """The scale seed stores no photos; the first run records one earning with a photo at the desk,
    through the service, as station staff would (later runs reuse it)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from linli.bank.choices import EarningMethod, EvidenceKind
    from linli.bank.services import earning_record
    from linli.core.demo import demo_png

    item = data.pick(
        EarningItem.objects.filter(
            station=station(data), evidence=EvidenceKind.PHOTO, is_active=True
        ).order_by("pk"),
        "复兴社区驿站需要照片的积分项目",
    )
    photo = SimpleUploadedFile("现场照片.png", demo_png(), content_type="image/png")
    earning_record(
        actor=data.user(ADMIN),
        depositor=depositor(data),
        item=item,
        method=EarningMethod.DESK,
        evidence=photo,
    )


@bench_case("bank:earning_evidence", kind="detail")
def earning_evidence(data):
    earnings = Earning.objects.visible_to(data.user(ADMIN), "bank.view").exclude(evidence="").order_by("-pk")
    if not earnings.exists():
        _photo_earning(data)
    earning = data.pick(earnings, "带证据照片的积分记录（复兴社区）")
    return _page(data, ADMIN, f"/bank/earnings/{earning.pk}/evidence/", "积分证据照片（社区书记）")


@bench_case("bank:order_list", kind="list")
def order_list(data):
    return _page(data, ADMIN, "/bank/orders/", "兑换订单（社区书记）")


@bench_case("bank:stock", kind="list")
def stock(data):
    return _page(data, ADMIN, "/bank/stock/", "库存（社区书记）")


@bench_case("bank_api:station_orders", kind="api")
def api_station_orders(data):
    return _page(
        data, ADMIN, f"/api/v1/bank/stations/{station(data).pk}/orders/", "接口：驿站订单（社区书记）"
    )


# ---------------------------------------------------------------- stations and their catalogues


@bench_case("bank:station_list", kind="list")
def station_list(data):
    return _page(data, DISTRICT, "/bank/stations/", "积分驿站（区管理员）")


@bench_case("bank:station_create", kind="form")
def station_create(data):
    return _page(data, DISTRICT, "/bank/stations/new/", "新建积分驿站（区管理员）")


@bench_case("bank:station_detail", kind="detail")
def station_detail(data):
    return _page(data, ADMIN, f"/bank/stations/{station(data).pk}/", "驿站详情（社区书记）")


@bench_case("bank:station_edit", kind="form")
def station_edit(data):
    return _page(data, ADMIN, f"/bank/stations/{station(data).pk}/edit/", "编辑驿站（社区书记）")


@bench_case("bank:earning_item_create", kind="form")
def earning_item_create(data):
    return _page(
        data, ADMIN, f"/bank/stations/{station(data).pk}/earning-items/new/", "新增积分项目（社区书记）"
    )


@bench_case("bank:earning_item_edit", kind="form")
def earning_item_edit(data):
    item = data.most(
        EarningItem.objects.filter(station=station(data)), "earnings", "驿站的积分项目", empty_ok=True
    )
    return _page(data, ADMIN, f"/bank/earning-items/{item.pk}/edit/", "编辑积分项目（社区书记）")


@bench_case("bank:shop_item_create", kind="form")
def shop_item_create(data):
    return _page(
        data, ADMIN, f"/bank/stations/{station(data).pk}/shop-items/new/", "新增兑换商品（社区书记）"
    )


@bench_case("bank:shop_item_edit", kind="form")
def shop_item_edit(data):
    item = data.most(
        ShopItem.objects.filter(station=station(data)), "orders", "驿站的兑换商品", empty_ok=True
    )
    return _page(data, ADMIN, f"/bank/shop-items/{item.pk}/edit/", "编辑兑换商品（社区书记）")


@bench_case("bank:expiry_rule_edit", kind="form")
def expiry_rule_edit(data):
    return _page(data, ADMIN, f"/bank/stations/{station(data).pk}/expiry/", "积分过期规则（社区书记）")


# ---------------------------------------------------------------- bulk credits


@bench_case("bank:bulk_list", kind="list")
def bulk_list(data):
    return _page(data, ADMIN, "/bank/bulk/", "批量记分（社区书记）")


@bench_case("bank:bulk_create", kind="form")
def bulk_create(data):
    return _page(data, ADMIN, "/bank/bulk/new/", "发起批量记分（社区书记）")


def _bulk_proposal(data) -> None:
    """The scale seed has no bulk credits; the first run proposes one (30 residents of 复兴社区) through the
    service, left waiting for a second approver as a real proposal would be."""
    from linli.bank.services import bulk_credit_create
    from linli.core import clock

    here = station(data)
    item = data.pick(
        EarningItem.objects.filter(station=here, is_active=True).order_by("pk"), "复兴社区驿站的积分项目"
    )
    residents = list(
        Depositor.objects.visible_to(data.user(ADMIN), "bank.view")
        .filter(person__isnull=False, card_revoked_at__isnull=True)
        .order_by("pk")[:30]
    )
    bulk_credit_create(
        actor=data.user(ADMIN),
        station=here,
        item=item,
        occurred_on=clock.today(),
        reason="社区环境整治志愿活动集体记分（签到表已存档）",
        lines=[(d, 1) for d in residents],
    )


@bench_case("bank:bulk_detail", kind="detail")
def bulk_detail(data):
    bulks = BulkCredit.objects.visible_to(data.user(ADMIN), "bank.bulk")
    if not bulks.exists():
        _bulk_proposal(data)
    bulk = data.most(bulks, "lines", "复兴社区的批量记分")
    return _page(data, ADMIN, f"/bank/bulk/{bulk.pk}/", "批量记分详情（社区书记）")


# ---------------------------------------------------------------- the time bank


@bench_case("bank:timebank_list", kind="list")
def timebank_list(data):
    return _page(data, ADMIN, "/bank/timebank/", "时间银行记录（社区书记）")


@bench_case("bank:timebank_claim", kind="form")
def timebank_claim(data):
    return _page(data, ADMIN, "/bank/timebank/new/", "登记服务（社区书记）")


@bench_case("bank:time_withdraw", kind="form")
def time_withdraw(data):
    return _page(data, ADMIN, "/bank/timebank/withdraw/", "时间支取（社区书记）")


@bench_case("bank:time_relay", kind="form")
def time_relay(data):
    return _page(data, ADMIN, "/bank/timebank/relay/", "时间转赠（社区书记）")


@bench_case("bank:timebank_detail", kind="detail")
def timebank_detail(data):
    records = ServiceRecord.objects.visible_to(data.user(ADMIN), "bank.timebank").order_by("-pk")
    record = data.pick(records, "复兴社区的时间银行服务记录")
    return _page(data, ADMIN, f"/bank/timebank/{record.pk}/", "服务记录详情（社区书记）")


# ---------------------------------------------------------------- overview and cards


@bench_case("bank:overview", kind="dashboard")
def overview(data):
    return _page(data, DISTRICT, "/bank/overview/", "积分驿站概况（区管理员，全区）")


@bench_case("bank:overview_export", kind="export")
def overview_export(data):
    return _page(data, DISTRICT, "/bank/overview/export/", "导出积分驿站概况（区管理员）")


@bench_case("bank:cards", kind="list")
def cards(data):
    return _page(data, ADMIN, "/bank/cards/", "储户卡（社区书记）")


@bench_case("bank:cards_print", kind="export")
def cards_print(data):
    return _page(data, ADMIN, f"/bank/cards/{grid(data).pk}/print/", "打印网格储户卡（社区书记）")
