"""Reads that decide a write: what counts towards a cap, where a depositor may redeem."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q, Sum

from ..models import Depositor, Earning, EarningItem, Station


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First day of the month and first day of the next month."""
    start = day.replace(day=1)
    following = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, following


def earned_towards_caps(
    *, depositor: Depositor, item: EarningItem, on: datetime.date
) -> tuple[Decimal, Decimal]:
    """Points of this item already credited to the depositor on that day and in that month (one query).

    Voided earnings do not count; the caller holds the depositor's account lock, so two recordings
    at the same moment cannot both squeeze under the cap.
    """
    start, following = month_bounds(on)
    totals = Earning.objects.filter(
        depositor=depositor,
        item=item,
        voided_at__isnull=True,
        occurred_on__gte=start,
        occurred_on__lt=following,
    ).aggregate(month=Sum("points"), day=Sum("points", filter=Q(occurred_on=on)))
    return totals["day"] or Decimal("0"), totals["month"] or Decimal("0")


def home_station(depositor: Depositor) -> Station | None:
    return Station.objects.filter(community_id=depositor.community_id).first()


def redemption_refusal(depositor: Depositor, station: Station, home: Station | None = None) -> str:
    """Why the depositor may not redeem at this station, or "" when they may (通存通兑 rules).

    At the home community's station always; at another community's station only within the same
    street and only when both stations allow cross-community redemption.
    """
    if not station.is_active:
        return f"{station.name}已停用。"
    if station.community_id == depositor.community_id:
        return ""
    if station.community.parent_id != depositor.community.parent_id:
        return f"{station.name}不在您所在街道，不能跨街道兑换。"
    home = home if home is not None else home_station(depositor)
    if home is None or not home.allows_cross_redemption:
        return "您所在社区的驿站未开通通存通兑，只能在本社区驿站兑换。"
    if not station.allows_cross_redemption:
        return f"{station.name}未开通通存通兑，只接待本社区居民兑换。"
    return ""


def stations_open_to(depositor: Depositor) -> list[Station]:
    """Stations where the depositor may redeem: home first, then same-street stations (two queries)."""
    stations = list(
        Station.objects.filter(community__parent_id=depositor.community.parent_id, is_active=True)
        .select_related("community")
        .order_by("community__path")
    )
    home = next((s for s in stations if s.community_id == depositor.community_id), None)
    allowed = [s for s in stations if not redemption_refusal(depositor, s, home=home)]
    return sorted(allowed, key=lambda s: s.community_id != depositor.community_id)
