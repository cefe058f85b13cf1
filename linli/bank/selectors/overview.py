"""A station's overview for the community: earning by item, redemption by item, top contributors, stock alerts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from ..choices import OrderState
from ..models import Depositor, Earning, Order, ShopItem, Station

SPENT_STATES = (OrderState.PLACED, OrderState.READY, OrderState.COLLECTED)
TOP = 10


@dataclass
class Overview:
    station: Station
    since: datetime.date
    until: datetime.date
    earning_by_item: list[dict] = field(default_factory=list)
    redemption_by_item: list[dict] = field(default_factory=list)
    top_contributors: list[dict] = field(default_factory=list)
    stock_alerts: list[ShopItem] = field(default_factory=list)
    depositors: int = 0
    visitors_spent: Decimal = Decimal("0")
    spent_elsewhere: Decimal = Decimal("0")

    @property
    def earned_total(self) -> Decimal:
        return sum((row["points"] for row in self.earning_by_item), Decimal("0"))

    @property
    def earned_count(self) -> int:
        return sum(row["count"] for row in self.earning_by_item)

    @property
    def redeemed_total(self) -> Decimal:
        return sum((row["points"] for row in self.redemption_by_item), Decimal("0"))

    @property
    def redeemed_orders(self) -> int:
        return sum(row["orders"] for row in self.redemption_by_item)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def station_overview(station: Station, since: datetime.date, until: datetime.date) -> Overview:
    """Six queries whatever the number of earnings, orders or depositors."""
    overview = Overview(station=station, since=since, until=until)
    earnings = Earning.objects.filter(
        station=station, voided_at__isnull=True, occurred_on__range=(since, until)
    )
    # 1: earning by item
    overview.earning_by_item = list(
        earnings.values("item_id", "item__name", "item__category")
        .annotate(points=Sum("points"), count=Count("id"), people=Count("depositor_id", distinct=True))
        .order_by("-points", "item__name")
    )
    # A range on the column itself (local midnights), not `placed_at__date`: the date of every order
    # would be computed row by row (in Python, on SQLite) and no index could serve the range.
    start, end = _local_midnight(since), _local_midnight(until + datetime.timedelta(days=1))
    orders = Order.objects.filter(state__in=SPENT_STATES, placed_at__gte=start, placed_at__lt=end)
    # 2: redemption by item
    overview.redemption_by_item = list(
        orders.filter(station=station)
        .values("item_id", "item__name", "item__kind")
        .annotate(points=Sum("total"), quantity=Sum("quantity"), orders=Count("id"))
        .order_by("-points", "item__name")
    )
    # 3: top contributors
    overview.top_contributors = list(
        earnings.values("depositor_id", "depositor__name", "depositor__kind", "depositor__node__name")
        .annotate(points=Sum("points"), count=Count("id"))
        .order_by("-points", "depositor__name")[:TOP]
    )
    # 4: stock alerts
    overview.stock_alerts = list(
        ShopItem.objects.filter(
            station=station, is_active=True, stock_account__balance__lte=F("low_stock_threshold")
        )
        .select_related("stock_account")
        .order_by("stock_account__balance", "name")
    )
    # 5: 通存通兑 both ways: the station's orders by visitors, and its community's depositors' orders
    # elsewhere (each side through its own index: the station's orders, the community's depositors)
    locals_ = Depositor.objects.filter(community_id=station.community_id).values("pk")
    cross = orders.filter(Q(station=station) | Q(depositor_id__in=locals_)).aggregate(
        visitors=Sum("total", filter=Q(station=station) & ~Q(depositor_id__in=locals_)),
        elsewhere=Sum("total", filter=~Q(station=station) & Q(depositor_id__in=locals_)),
    )
    overview.visitors_spent = cross["visitors"] or Decimal("0")
    overview.spent_elsewhere = cross["elsewhere"] or Decimal("0")
    # 6: depositors of the community
    overview.depositors = Depositor.objects.filter(community_id=station.community_id).count()
    return overview
