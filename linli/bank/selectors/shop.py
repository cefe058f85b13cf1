"""Shop reads: what a depositor may order and where, the desk's order queue, stock and its alerts."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet

from ..choices import OPEN_ORDER_STATES
from ..models import Depositor, Order, ShopItem, Station
from .rules import stations_open_to


def shop_listing(depositor: Depositor) -> list[tuple[Station, list[ShopItem]]]:
    """Stations open to the depositor (home first) with their items on sale and stock (two queries)."""
    stations = stations_open_to(depositor)
    items = (
        ShopItem.objects.filter(station__in=stations, is_active=True)
        .select_related("stock_account")
        .order_by("sort_order", "pk")
    )
    by_station: dict[int, list[ShopItem]] = {s.pk: [] for s in stations}
    for item in items:
        by_station[item.station_id].append(item)
    return [(s, by_station[s.pk]) for s in stations]


def order_queue(user: Any, *, station: Station | None = None, states=OPEN_ORDER_STATES) -> QuerySet[Order]:
    """Orders at the stations the user serves, oldest first (so the longest waiting is prepared first)."""
    orders = Order.objects.visible_to(user, "bank.desk").filter(state__in=states)
    if station is not None:
        orders = orders.filter(station=station)
    return orders.select_related("depositor", "item", "station").order_by("placed_at", "pk")


def own_orders(user: Any) -> QuerySet[Order]:
    return (
        Order.objects.visible_to(user, "bank.self")
        .select_related("item", "station", "depositor")
        .order_by("-placed_at", "-pk")
    )


def stock_list(station: Station) -> list[ShopItem]:
    return list(
        ShopItem.objects.filter(station=station)
        .select_related("stock_account")
        .annotate(
            is_low=ExpressionWrapper(
                Q(stock_account__balance__lte=F("low_stock_threshold")), output_field=BooleanField()
            )
        )
        .order_by("-is_active", "sort_order", "pk")
    )


def desk_stations(user: Any) -> list[Station]:
    return list(
        Station.objects.visible_to(user, "bank.desk").filter(is_active=True).select_related("community")
    )
