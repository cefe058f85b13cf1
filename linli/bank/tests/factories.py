"""Bank test data on the standard world, shared by the fixtures and the scope cases."""

from dataclasses import dataclass
from decimal import Decimal

from linli.bank.choices import EarningMethod
from linli.bank.models import Depositor, EarningItem, ShopItem, Station
from linli.bank.services import (
    depositor_open,
    earning_item_save,
    earning_record,
    shop_item_save,
    station_create,
    stock_restock,
)


@dataclass
class Bank:
    station_a: Station
    station_a2: Station
    station_b: Station
    garbage: EarningItem
    volunteer: EarningItem
    ideas: EarningItem
    activity: EarningItem
    activity_a2: EarningItem
    rice: ShopItem
    haircut: ShopItem
    flowers_a2: ShopItem
    soap_b: ShopItem
    a1: Depositor
    a2: Depositor
    b1: Depositor
    member_a: Depositor
    household_a1: Depositor


def build_bank(world) -> Bank:
    """Three stations (复兴 and 翠湖 in 华山街道, 金碧 in 护国街道), catalogue, shop with stock, depositors."""
    admin_a, admin_a2, admin_b = world.community_admin_a, world.community_admin_a2, world.community_admin_b
    station_a = station_create(
        actor=admin_a, community=world.community_a, name="复兴社区积分驿站", allows_cross_redemption=True
    )
    station_a2 = station_create(
        actor=admin_a2, community=world.community_a2, name="翠湖社区积分驿站", allows_cross_redemption=True
    )
    station_b = station_create(
        actor=admin_b, community=world.community_b, name="金碧社区积分驿站", allows_cross_redemption=True
    )

    def item(station, actor, **fields):
        return earning_item_save(actor=actor, station=station, **fields)

    garbage = item(
        station_a,
        admin_a,
        name="垃圾分类",
        category="garbage",
        points=Decimal("2"),
        daily_cap=Decimal("2"),
        monthly_cap=Decimal("10"),
    )
    volunteer = item(
        station_a,
        admin_a,
        name="志愿服务",
        category="volunteer",
        points=Decimal("5"),
        evidence="photo",
        counts_as_community_service=True,
    )
    ideas = item(
        station_a, admin_a, name="献智献策", category="ideas", points=Decimal("10"), evidence="witness"
    )
    activity = item(station_a, admin_a, name="社区活动", category="activity", points=Decimal("10"))
    activity_a2 = item(station_a2, admin_a2, name="社区活动", category="activity", points=Decimal("10"))

    def shop(station, actor, stock, **fields):
        shop_item = shop_item_save(actor=actor, station=station, **fields)
        stock_restock(actor=actor, item=shop_item, quantity=stock)
        return shop_item

    rice = shop(station_a, admin_a, 10, name="大米5斤", kind="goods", price=Decimal("20"))
    haircut = shop(station_a, admin_a, 3, name="理发一次", kind="service", price=Decimal("15"), unit="次")
    flowers_a2 = shop(station_a2, admin_a2, 5, name="盆栽绿萝", kind="produce", price=Decimal("8"), unit="盆")
    soap_b = shop(station_b, admin_b, 5, name="洗衣皂", kind="goods", price=Decimal("5"), unit="块")
    return Bank(
        station_a=station_a,
        station_a2=station_a2,
        station_b=station_b,
        garbage=garbage,
        volunteer=volunteer,
        ideas=ideas,
        activity=activity,
        activity_a2=activity_a2,
        rice=rice,
        haircut=haircut,
        flowers_a2=flowers_a2,
        soap_b=soap_b,
        a1=depositor_open(actor=admin_a, person=world.person_a1),
        a2=depositor_open(actor=admin_a, person=world.person_a2),
        b1=depositor_open(actor=admin_b, person=world.person_b1),
        member_a=depositor_open(actor=admin_a, person=world.member_a.person),
        household_a1=depositor_open(actor=admin_a, household=world.household_a1),
    )


def give_points(world, depositor: Depositor, item: EarningItem, times: int) -> None:
    """Credit `times` × the item's points (an uncapped, evidence-free item) through the real service."""
    actor = world.district_admin
    for _ in range(times):
        earning_record(actor=actor, depositor=depositor, item=item, method=EarningMethod.CODE)


def balance(depositor: Depositor) -> Decimal:
    depositor.points_account.refresh_from_db()
    return depositor.points_account.balance
