"""Time-bank reads: a resident's records and relays, the staff list, what awaits confirmation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from linli.people.models import Person

from ..choices import ServiceState
from ..models import Depositor, ServiceRecord, TimeRelay, TimeWithdrawal

RECORD_RELATED = ("provider", "recipient", "recipient__person")


@dataclass
class ResidentTimeBank:
    depositor: Depositor
    to_confirm: list[ServiceRecord] = field(default_factory=list)
    given: list[ServiceRecord] = field(default_factory=list)
    received: list[ServiceRecord] = field(default_factory=list)
    relays: list[TimeRelay] = field(default_factory=list)
    withdrawals: list[TimeWithdrawal] = field(default_factory=list)
    family: list[Person] = field(default_factory=list)


def resident_timebank(user: Any, depositor: Depositor, *, limit: int = 50) -> ResidentTimeBank:
    """Four queries: records (own and the household's), relays, withdrawals, family depositors."""
    view = ResidentTimeBank(depositor=depositor)
    records = list(
        ServiceRecord.objects.visible_to(user, "bank.self")
        .select_related(*RECORD_RELATED)
        .order_by("-served_on", "-pk")[:limit]
    )
    for record in records:
        if record.provider_id == depositor.pk:
            view.given.append(record)
        else:
            view.received.append(record)
            if record.state == ServiceState.CLAIMED:
                view.to_confirm.append(record)
    view.relays = list(
        TimeRelay.objects.visible_to(user, "bank.self")
        .select_related("donor", "recipient")
        .order_by("-recorded_at")[:limit]
    )
    view.withdrawals = list(
        TimeWithdrawal.objects.visible_to(user, "bank.self").order_by("-occurred_on", "-pk")[:limit]
    )
    household_id = depositor.person.household_id if depositor.person_id else None
    if household_id:
        # Family members through the registry's own door (a resident sees their household).
        view.family = list(
            Person.objects.visible_to(user, "people.view")
            .filter(household_id=household_id)
            .exclude(pk=depositor.person_id)
            .order_by("name_pinyin", "pk")
        )
    return view


def service_records_for(user: Any, *, state: str = "", q: str = "") -> QuerySet[ServiceRecord]:
    records = ServiceRecord.objects.visible_to(user, "bank.timebank").select_related(*RECORD_RELATED)
    if state in ServiceState.values:
        records = records.filter(state=state)
    if q.strip():
        records = records.filter(
            Q(provider__name__icontains=q.strip())
            | Q(recipient__name__icontains=q.strip())
            | Q(what__icontains=q.strip())
        )
    return records.order_by("-served_on", "-pk")
