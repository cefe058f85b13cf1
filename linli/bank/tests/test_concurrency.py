"""On PostgreSQL: twenty concurrent orders for ten items and a balance that covers ten end with exactly ten."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from linli.bank.choices import OrderState
from linli.bank.models import Order
from linli.bank.services import earning_item_save, order_place, shop_item_save, stock_restock
from linli.ledger.models import Entry
from linli.ledger.selectors import ledger_verify

from .factories import give_points

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ORDERS = 20
STOCK = 10


def test_twenty_concurrent_orders_for_ten_items_and_ten_orders_worth_of_points(world, bank):
    admin = world.community_admin_a
    oil = shop_item_save(
        actor=admin, station=bank.station_a, name="花生油1升", kind="goods", price=Decimal("30")
    )
    stock_restock(actor=admin, item=oil, quantity=STOCK)
    big = earning_item_save(
        actor=admin, station=bank.station_a, name="年度志愿之星", category="volunteer", points=Decimal("300")
    )
    give_points(world, bank.a1, big, 1)  # 300 points: exactly ten orders of 30
    barrier = threading.Barrier(ORDERS)
    placed, refused, failed = [], [], []

    def order(_: int) -> None:
        close_old_connections()
        try:
            barrier.wait()
            placed.append(order_place(actor=world.resident_a1, depositor=bank.a1, item=oil, quantity=1).pk)
        except ValidationError as error:
            refused.append(error.messages[0])
        except Exception as error:  # a deadlock or a lost lock would land here and fail the test
            failed.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=order, args=(n,)) for n in range(ORDERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failed == []
    assert (len(placed), len(refused)) == (STOCK, ORDERS - STOCK)
    assert Order.objects.filter(item=oil, state=OrderState.PLACED).count() == STOCK
    oil.stock_account.refresh_from_db()
    bank.a1.points_account.refresh_from_db()
    assert (oil.stock_account.balance, bank.a1.points_account.balance) == (Decimal("0.00"), Decimal("0.00"))
    for account in (oil.stock_account, bank.a1.points_account):
        afters = Entry.objects.filter(account=account).values_list("balance_after", flat=True)
        assert min(afters) >= 0
    assert ledger_verify().anomalies == []
