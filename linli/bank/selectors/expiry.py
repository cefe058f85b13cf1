"""When points expire and how many (first in, first out by earning date)."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from ..models import Depositor, Earning, ExpiryPosting, ExpiryRule


def _on_day(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def expiry_date_in(rule: ExpiryRule, year: int) -> datetime.date:
    return _on_day(year, rule.expires_month, rule.expires_day)


def last_expiry_date(rule: ExpiryRule, on: datetime.date) -> datetime.date:
    """The latest expiry date on or before `on`."""
    this_year = expiry_date_in(rule, on.year)
    return this_year if this_year <= on else expiry_date_in(rule, on.year - 1)


def next_expiry_date(rule: ExpiryRule, on: datetime.date) -> datetime.date:
    """The first expiry date on or after `on`."""
    this_year = expiry_date_in(rule, on.year)
    return this_year if this_year >= on else expiry_date_in(rule, on.year + 1)


def expiry_cutoff(rule: ExpiryRule, expires_on: datetime.date) -> datetime.date:
    """Points earned on or before this day are older than `keep_months` on the expiry date."""
    months = expires_on.year * 12 + expires_on.month - 1 - rule.keep_months
    return _on_day(months // 12, months % 12 + 1, expires_on.day)


def expiry_applies(rule: ExpiryRule, expires_on: datetime.date) -> bool:
    """An expiry date counts only if the rule was announced at least `notice_days` before it."""
    return rule.is_active and rule.announced_on <= expires_on - datetime.timedelta(days=rule.notice_days)


@dataclass(frozen=True)
class ExpiryLine:
    depositor_id: int
    name: str
    balance: Decimal
    old_points: Decimal
    amount: Decimal


def expiry_lines(
    rule: ExpiryRule, expires_on: datetime.date, depositor_ids: list[int] | None = None
) -> list[ExpiryLine]:
    """What each depositor of the rule's community loses on `expires_on` (three queries).

    FIFO: everything that left the account (orders, earlier expiries, net of cancellations) is taken
    from the oldest earnings first. Left-over old points = earned on or before the cutoff −
    (all earned − balance now); the expiry is that, never more than the balance. Depositors
    already expired on this date are skipped.
    """
    cutoff = expiry_cutoff(rule, expires_on)
    depositors = Depositor.objects.filter(community_id=rule.station.community_id).exclude(
        pk__in=ExpiryPosting.objects.filter(expires_on=expires_on).values("depositor_id")
    )
    if depositor_ids is not None:
        depositors = depositors.filter(pk__in=depositor_ids)
    earned = {
        row["depositor_id"]: row
        for row in Earning.objects.filter(depositor__in=depositors, voided_at__isnull=True)
        .values("depositor_id")
        .annotate(total=Sum("points"), old=Sum("points", filter=Q(occurred_on__lte=cutoff)))
        .filter(old__gt=0)
    }
    if not earned:
        return []
    lines = []
    for depositor_id, name, balance in (
        Depositor.objects.filter(pk__in=earned)
        .order_by("pk")
        .values_list("pk", "name", "points_account__balance")
    ):
        total, old = earned[depositor_id]["total"], earned[depositor_id]["old"]
        spent = total - balance
        amount = min(balance, max(Decimal("0"), old - spent))
        if amount > 0:
            lines.append(ExpiryLine(depositor_id, name, balance, old, amount))
    return lines


@dataclass(frozen=True)
class ExpiryNotice:
    expires_on: datetime.date
    cutoff: datetime.date
    amount: Decimal


def expiry_notice_for(
    depositor: Depositor, rule: ExpiryRule | None, today: datetime.date
) -> ExpiryNotice | None:
    """The notice a depositor sees in the `notice_days` before an expiry date that will apply to them."""
    if rule is None or not rule.is_active:
        return None
    expires_on = next_expiry_date(rule, today)
    if (expires_on - today).days > rule.notice_days or not expiry_applies(rule, expires_on):
        return None
    lines = expiry_lines(rule, expires_on, depositor_ids=[depositor.pk])
    if not lines:
        return None
    return ExpiryNotice(expires_on, expiry_cutoff(rule, expires_on), lines[0].amount)
