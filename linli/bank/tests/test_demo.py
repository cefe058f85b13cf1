"""The demo seeder builds a working station on the standard world, deterministically, with a clean ledger."""

import datetime

from linli.bank.choices import BulkState, OrderState, ServiceState
from linli.bank.codes import ALPHABET
from linli.bank.demo import seed_demo
from linli.bank.models import (
    BulkCredit,
    Depositor,
    Earning,
    Order,
    ServiceRecord,
    ShopItem,
    Station,
)
from linli.core.demo import DemoContext
from linli.ledger.models import Entry
from linli.ledger.selectors import ledger_verify

TODAY = datetime.date(2026, 11, 20)


def seed(world):
    ctx = DemoContext(today=TODAY, log=lambda message: None)
    seed_demo(ctx)
    ctx.run_timeline()
    return ctx


def test_demo_builds_a_working_station_with_months_of_movements_once_and_deterministically(world):
    seed(world)
    station = Station.objects.get(community=world.community_a)
    assert (station.name, station.allows_cross_redemption) == ("复兴社区积分驿站", True)
    assert Station.objects.get(community=world.community_a2).allows_cross_redemption is True
    assert station.earning_items.count() == 6
    assert ShopItem.objects.filter(station=station).count() == 8
    earnings = Earning.objects.filter(station=station)
    first, last = earnings.order_by("occurred_on").first(), earnings.order_by("occurred_on").last()
    assert first.occurred_on <= TODAY - datetime.timedelta(days=100)
    assert last.occurred_on < TODAY
    states = set(Order.objects.values_list("state", flat=True))
    assert {OrderState.COLLECTED, OrderState.PLACED} <= states
    assert BulkCredit.objects.filter(state=BulkState.PENDING).count() == 1
    assert BulkCredit.objects.exclude(state=BulkState.PENDING).count() == 1
    record_states = set(ServiceRecord.objects.values_list("state", flat=True))
    assert {ServiceState.CONFIRMED, ServiceState.RESOLVED, ServiceState.CLAIMED} <= record_states
    assert ServiceRecord.objects.filter(confirmed_as="grid_worker").exists()
    # 李建国 is a Party member: his volunteering went to the member points system too (no scheme here).
    assert set(
        Earning.objects.filter(depositor__person=world.member_a.person, item__name="志愿服务").values_list(
            "member_points_status", flat=True
        )
    ) == {"no_item"}
    assert ledger_verify().anomalies == []
    # The entries carry the simulated dates, and nothing ever went below zero.
    earliest = Entry.objects.filter(source_type="bank.earning").order_by("at").first()
    assert earliest.at.date() < TODAY - datetime.timedelta(days=90)
    assert not Entry.objects.filter(at__date__gte=TODAY).exists()
    assert Depositor.objects.filter(points_account__balance__lt=0).count() == 0
    assert Entry.objects.filter(balance_after__lt=0).count() == 0
    # Card codes come from the seeded generator, and a second run changes nothing.
    codes = list(Depositor.objects.order_by("pk").values_list("short_code", flat=True))
    expected_rng = DemoContext(today=TODAY).rng("bank-codes")
    expected = ["".join(expected_rng.choice(ALPHABET) for _ in range(8)) for _ in codes]
    assert codes == expected
    count = Earning.objects.count()
    seed(world)
    assert Earning.objects.count() == count
