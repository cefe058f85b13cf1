"""`seed --scale tiny` opens a station per community with depositors and a year of earnings and orders."""

import io

from django.core.management import call_command
from django.db.models import Count

from linli.accounts.models import User
from linli.bank.choices import OrderState, ServiceState
from linli.bank.models import Depositor, Earning, Order, ServiceRecord, ShopItem, Station
from linli.ledger.models import Entry
from linli.ledger.selectors import ledger_verify
from linli.orgs.models import OrgNode


def test_tiny_scale_seeds_stations_depositors_and_a_clean_ledger(db):
    call_command("seed", scale="tiny", stdout=io.StringIO())
    assert Station.objects.count() == OrgNode.objects.filter(kind="community").count()
    fuxing = Station.objects.get(community__name="复兴社区")
    assert fuxing.earning_items.exists() and fuxing.shop_items.exists()
    assert Earning.objects.filter(station=fuxing, recorded_by__username="shequ_fuxing").exists()
    # Earnings, orders and hours carry the entries the services would post.
    assert not Earning.objects.filter(entry__isnull=True).exists()
    earning = Earning.objects.select_related("entry").first()
    assert (
        earning.entry.idempotency_key == f"bank:earning:{earning.pk}"
        and earning.entry.amount == earning.points
    )
    states = dict(Order.objects.values_list("state").annotate(n=Count("id")).order_by())
    assert states.get(OrderState.COLLECTED, 0) > 0 and states.get(OrderState.CANCELLED, 0) > 0
    cancelled = Order.objects.filter(state=OrderState.CANCELLED).first()
    assert Entry.objects.filter(reverses_id=cancelled.points_entry_id).exists()
    assert Entry.objects.filter(reverses_id=cancelled.stock_entry_id).exists()
    for item in ShopItem.objects.select_related("stock_account"):
        assert item.stock_account.balance >= 0
    confirmed = ServiceRecord.objects.filter(state=ServiceState.CONFIRMED).select_related("entry").first()
    assert confirmed.entry.amount == confirmed.hours

    person = User.objects.get(username="jumin_demo").person
    own = Depositor.objects.get(person=person)
    assert own.points_account.entry_count >= 5
    assert Depositor.objects.filter(household_id=person.household_id).exists()

    report = ledger_verify()
    assert report.is_clean, report.anomalies[:5]
