"""A depositor's movements with where each point was earned and spent (station, item) — fixed queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from linli.ledger.choices import EntryKind
from linli.ledger.models import Entry

from ..models import Earning, ExpiryRule, Order, ServiceRecord, TimeRelay, TimeWithdrawal

KIND_LABELS = {
    **dict(EntryKind.choices),
    "write_off": "报损",
}


@dataclass(frozen=True)
class Movement:
    """One line of a history: when, how much, what for, at which station."""

    entry_id: int
    at: datetime.datetime
    amount: Decimal
    balance_after: Decimal
    kind: str
    kind_label: str
    station: str
    what: str
    memo: str
    actor_name: str
    account_label: str
    unit: str


def entries_of(account_ids: list[int]) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(account_id__in=account_ids)
        .select_related("account__currency")
        .order_by("-at", "-id")
    )


def _where(source_type: str, source_id: str, found: dict[str, dict[str, object]]) -> tuple[str, str]:
    obj = found.get(source_type, {}).get(source_id)
    if obj is None:
        return "", ""
    if isinstance(obj, Earning):
        return obj.station.name, f"{obj.item.name}×{obj.quantity}"
    if isinstance(obj, Order):
        return obj.station.name, f"兑换{obj.item.name}×{obj.quantity}（{obj.number}）"
    if isinstance(obj, ExpiryRule):
        return obj.station.name, "积分过期"
    if isinstance(obj, ServiceRecord):
        return "时间银行", f"{obj.what}（{obj.provider.name}服务{obj.recipient.name}）"
    if isinstance(obj, TimeWithdrawal):
        return "时间银行", f"支取：{obj.service}"
    if isinstance(obj, TimeRelay):
        return "时间银行", f"爱心接力：{obj.donor.name}→{obj.recipient.name}"
    return "", ""


def _reversal_label(entry: Entry, what: str, source_type: str) -> str:
    if entry.kind != EntryKind.REVERSAL or not what:
        return what
    return f"{what}（{'订单取消，退回' if source_type == 'bank.order' else '冲正'}）"


SOURCES = {
    "bank.earning": Earning.objects.select_related("station", "item"),
    "bank.order": Order.objects.select_related("station", "item"),
    "bank.expiryrule": ExpiryRule.objects.select_related("station"),
    "bank.servicerecord": ServiceRecord.objects.select_related("provider", "recipient"),
    "bank.timewithdrawal": TimeWithdrawal.objects.all(),
    "bank.timerelay": TimeRelay.objects.select_related("donor", "recipient"),
}


def movements(entries: list[Entry]) -> list[Movement]:
    """Describe a page of entries: one query for reversed entries, one per kind of source present.

    A reversal (an order cancelled, an earning voided) cites the entry it reverses; it is shown at
    the station and for the item of that entry.
    """
    reversed_ids = [e.reverses_id for e in entries if e.reverses_id]
    reversed_sources = (
        {e.pk: (e.source_type, e.source_id) for e in Entry.objects.filter(pk__in=reversed_ids)}
        if reversed_ids
        else {}
    )

    def source_of(entry: Entry) -> tuple[str, str]:
        if entry.reverses_id:
            return reversed_sources.get(entry.reverses_id, ("", ""))
        return entry.source_type, entry.source_id

    wanted: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        source_type, source_id = source_of(entry)
        if source_type in SOURCES:
            wanted[source_type].add(source_id)
    found = {
        source_type: {str(obj.pk): obj for obj in SOURCES[source_type].filter(pk__in=ids)}
        for source_type, ids in sorted(wanted.items())
    }
    rows = []
    for entry in entries:
        station, what = _where(*source_of(entry), found)
        rows.append(
            Movement(
                entry_id=entry.pk,
                at=entry.at,
                amount=entry.amount,
                balance_after=entry.balance_after,
                kind=entry.kind,
                kind_label=KIND_LABELS.get(entry.kind, entry.kind),
                station=station,
                what=_reversal_label(entry, what, source_of(entry)[0]),
                memo=entry.memo,
                actor_name=entry.actor_name,
                account_label=entry.account.currency.name,
                unit=entry.account.currency.unit,
            )
        )
    return rows
