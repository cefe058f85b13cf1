"""List and dashboard pages run a fixed number of queries, whatever the number of rows."""

import pytest
from django.utils import timezone

from linli.bank.services import (
    bulk_credit_create,
    depositor_open,
    order_place,
    service_claim,
)
from linli.people.services import person_create

from .factories import give_points

# Every request starts with the same three: the session, the user, the user's role grants (scope).
BASE = 3
# A resident's request also reads their household and member ids for their self scope.
RESIDENT_BASE = BASE + 1


def add_rows(world, bank, n: int) -> None:
    """More of everything: residents who earn, order and serve each other; a bulk credit."""
    people = []
    for i in range(n):
        person = person_create(actor=world.district_admin, node=world.grid_a1, name=f"居民{i}")
        depositor = depositor_open(actor=world.community_admin_a, person=person)
        give_points(world, depositor, bank.activity, 2)
        order_place(
            actor=world.community_admin_a,
            depositor=depositor,
            item=bank.haircut if i % 2 else bank.rice,
            quantity=1,
            channel="desk",
        )
        people.append(depositor)
    for provider in people:
        service_claim(
            actor=world.community_admin_a,
            provider=provider,
            recipient=bank.a1,
            what="陪聊",
            served_on=timezone.localdate(),
            hours="1",
        )
    bulk_credit_create(
        actor=world.community_admin_a,
        station=bank.station_a,
        item=bank.activity,
        occurred_on=timezone.localdate(),
        reason=f"第{n}批",
        lines=[(d, 1) for d in people],
    )


def count_queries(client, django_assert_num_queries, url: str, expected: int) -> None:
    client.get(url)  # warm up anything cached per process
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


STAFF_PAGES = {
    # session, user, grants; count; page of depositors (nodes and accounts joined); grids for the filter
    "/bank/depositors/": BASE + 3,
    # session, user, grants; count; page of earnings with depositor, item, station joined
    "/bank/earnings/": BASE + 2,
    # session, user, grants; desk stations; count; page of orders with depositor, item, station
    "/bank/orders/": BASE + 3,
    # session, user, grants; count; page of households with grid, building, depositor and account
    "/bank/households/": BASE + 2,
    # session, user, grants; count; page of bulk credits with station, item, creator
    "/bank/bulk/": BASE + 2,
    # session, user, grants; count; page of service records with provider and recipient
    "/bank/timebank/": BASE + 2,
    # session, user, grants; stations; by item; by shop item; top contributors; stock alerts; cross; depositors
    "/bank/overview/": BASE + 7,
    # session, user, grants; desk stations; items with stock
    "/bank/stock/": BASE + 2,
    # session, user, grants; grids; depositors per grid; residents per grid
    "/bank/cards/": BASE + 3,
    # session, user, grants; desk stations; waiting orders per station
    "/bank/desk/": BASE + 2,
}


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_have_a_fixed_number_of_queries(world, bank, client, django_assert_num_queries, url):
    add_rows(world, bank, 2)
    client.force_login(world.community_admin_a)
    count_queries(client, django_assert_num_queries, url, STAFF_PAGES[url])
    add_rows(world, bank, 5)
    count_queries(client, django_assert_num_queries, url, STAFF_PAGES[url])


RESIDENT_PAGES = {
    # + own depositor; own and household depositors; expiry rule; last entries; earnings and orders named by
    #   them (one query per kind of source); open orders
    "/bank/me/": RESIDENT_BASE + 7,
    # + own depositor; own and household depositors; count; page of entries; earnings; orders
    "/bank/me/history/": RESIDENT_BASE + 6,
    # + own depositor; own and household depositors; stations of the street; items with stock
    "/bank/me/shop/": RESIDENT_BASE + 4,
    # + own depositor; count; page of orders with item, station, depositor
    "/bank/me/orders/": RESIDENT_BASE + 3,
    # + own depositor; service records; relays; withdrawals; family members
    "/bank/me/timebank/": RESIDENT_BASE + 5,
    # + own and household depositors; count; page of entries (points and hours); earnings; orders
    "/api/v1/bank/me/history/": RESIDENT_BASE + 5,
}


@pytest.mark.parametrize("url", RESIDENT_PAGES)
def test_resident_pages_have_a_fixed_number_of_queries(world, bank, client, django_assert_num_queries, url):
    add_rows(world, bank, 2)
    give_points(world, bank.a1, bank.activity, 3)
    order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.rice, quantity=1)
    client.force_login(world.resident_a1)
    count_queries(client, django_assert_num_queries, url, RESIDENT_PAGES[url])
    give_points(world, bank.a1, bank.activity, 4)
    order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.rice, quantity=2)
    add_rows(world, bank, 3)
    count_queries(client, django_assert_num_queries, url, RESIDENT_PAGES[url])
