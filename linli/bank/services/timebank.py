"""The time bank (BNK-3): service hours credited on the recipient side's confirmation, withdrawn, passed on."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from linli.core import clock
from linli.core.audit import audit_record
from linli.core.choices import AuditAction
from linli.core.scope import scope_for
from linli.core.shortcuts import require_perm_at
from linli.ledger.choices import EntryKind
from linli.ledger.services import InsufficientBalance, ledger_post, ledger_transfer

from ..choices import ConfirmedAs, DepositorKind, RelayRelation
from ..machines import SERVICE_MACHINE
from ..models import Depositor, ServiceRecord, TimeRelay, TimeWithdrawal

MAX_HOURS_PER_RECORD = Decimal("12")


def _actor_name(actor: Any) -> str:
    return actor.get_username() if actor is not None and getattr(actor, "is_authenticated", False) else "系统"


def _hours(value: Any, field: str = "hours", limit: Decimal | None = MAX_HOURS_PER_RECORD) -> Decimal:
    try:
        hours = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: "时长必须是数字。"}) from None
    if not hours.is_finite() or hours <= 0 or hours != hours.quantize(Decimal("0.1")):
        raise ValidationError({field: "时长必须大于0，最多一位小数。"})
    if limit is not None and hours > limit:
        raise ValidationError({field: f"一次服务最多记{limit.normalize():f}小时。"})
    return hours.quantize(Decimal("0.1"))


def _person_depositor(depositor: Depositor, role: str) -> None:
    if depositor.kind != DepositorKind.PERSON or depositor.hours_account_id is None:
        raise ValidationError(f"{role}必须是居民本人（家庭户和单位没有时间银行账户）。")


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


@transaction.atomic
def service_claim(
    *,
    actor: Any,
    provider: Depositor,
    recipient: Depositor,
    what: str,
    served_on: datetime.date,
    hours: Any,
) -> ServiceRecord:
    """Record a service given; hours are credited only when the recipient side confirms.

    The provider records it themselves, or staff covering the provider or the recipient do.
    """
    scope = scope_for(actor)
    is_provider = scope.self_has("bank.self") and provider.person_id == scope.person_id
    if not is_provider and not (
        scope.has_perm_at("bank.timebank", provider.get_scope_path())
        or scope.has_perm_at("bank.timebank", recipient.get_scope_path())
    ):
        raise PermissionDenied("您无权登记这条服务记录。")
    _person_depositor(provider, "服务人")
    _person_depositor(recipient, "受助人")
    if provider.pk == recipient.pk:
        raise ValidationError({"recipient": "不能为自己登记服务时长。"})
    if not what.strip():
        raise ValidationError({"what": "请填写服务内容。"})
    if served_on > clock.today():
        raise ValidationError({"served_on": "服务日期不能晚于今天。"})
    record = ServiceRecord.objects.create(
        provider=provider,
        recipient=recipient,
        what=what.strip()[:100],
        served_on=served_on,
        hours=_hours(hours),
        claimed_by=actor,
        claimed_by_name=_actor_name(actor),
        claimed_at=clock.now(),
    )
    audit_record(actor=actor, action=AuditAction.CREATE, target=record, changes={"hours": str(record.hours)})
    return record


def _confirmed_as(actor: Any, record: ServiceRecord) -> str:
    scope = scope_for(actor)
    if scope.self_has("bank.self") and scope.person_id:
        if scope.person_id == record.recipient.person_id:
            return ConfirmedAs.RECIPIENT
        if scope.household_id and record.recipient.person.household_id == scope.household_id:
            return ConfirmedAs.FAMILY
    if scope.has_perm_at("bank.timebank", record.get_scope_path()):
        return ConfirmedAs.GRID_WORKER
    raise PermissionDenied("只有受助人本人、同户家庭成员或其所在网格的网格员可以确认。")


def _credit_provider(*, actor: Any, record: ServiceRecord, hours: Decimal) -> None:
    record.credited_hours = hours
    record.entry = ledger_post(
        account=record.provider.hours_account,
        amount=hours,
        kind=EntryKind.CREDIT,
        actor=actor,
        memo=f"时间银行·{record.what}（服务{record.recipient.name}，{record.served_on:%Y-%m-%d}）",
        source=record,
        idempotency_key=f"bank:service:{record.pk}",
    )
    record.save(update_fields=["credited_hours", "entry"])


def _require_uninvolved(actor: Any, record: ServiceRecord, what: str) -> None:
    if actor.pk == record.claimed_by_id or (actor.person_id and actor.person_id == record.provider.person_id):
        raise PermissionDenied(f"登记人或服务人本人不能{what}。")


@transaction.atomic
def service_confirm(*, actor: Any, record: ServiceRecord) -> ServiceRecord:
    """The recipient, a family member or the grid worker confirms; the provider's hours are credited once.

    Whoever recorded the claim and the provider themselves may never confirm it.
    """
    _require_uninvolved(actor, record, "确认这条服务记录")
    confirmed_as = _confirmed_as(actor, record)

    def confirm(locked: ServiceRecord) -> None:
        locked.confirmed_by, locked.confirmed_by_name = actor, _actor_name(actor)
        locked.confirmed_as, locked.confirmed_at = confirmed_as, clock.now()

    SERVICE_MACHINE.apply(
        record,
        "confirm",
        actor=actor,
        note="代为确认" if confirmed_as != ConfirmedAs.RECIPIENT else "",
        data={"confirmed_as": confirmed_as},
        before_save=confirm,
        extra_update_fields=["confirmed_by", "confirmed_by_name", "confirmed_as", "confirmed_at"],
    )
    _credit_provider(actor=actor, record=record, hours=record.hours)
    return record


@transaction.atomic
def service_dispute(*, actor: Any, record: ServiceRecord, reason: str) -> ServiceRecord:
    """The recipient side disputes the claim instead of confirming it; nothing is credited."""
    _require_uninvolved(actor, record, "对这条记录提出异议")
    if not reason.strip():
        raise ValidationError({"reason": "提出异议必须填写理由。"})

    def dispute(locked: ServiceRecord) -> None:
        locked.dispute_reason = reason.strip()[:200]

    SERVICE_MACHINE.apply(
        record,
        "dispute",
        actor=actor,
        note=reason,
        before_save=dispute,
        extra_update_fields=["dispute_reason"],
    )
    return record


@transaction.atomic
def service_resolve(*, actor: Any, record: ServiceRecord, hours: Any, note: str) -> ServiceRecord:
    """A manager settles a dispute in the provider's favour, crediting the hours found (at most those claimed)."""
    _require_uninvolved(actor, record, "处理异议")
    hours = _hours(hours)
    if hours > record.hours:
        raise ValidationError({"hours": f"入账时长不能超过登记的{_num(record.hours)}小时。"})

    def resolve(locked: ServiceRecord) -> None:
        locked.resolution_note = note.strip()[:200]

    SERVICE_MACHINE.apply(
        record,
        "resolve",
        actor=actor,
        note=note,
        before_save=resolve,
        extra_update_fields=["resolution_note"],
    )
    _credit_provider(actor=actor, record=record, hours=hours)
    return record


@transaction.atomic
def service_reject(*, actor: Any, record: ServiceRecord, note: str) -> ServiceRecord:
    """A manager settles a dispute against the claim: no hours are credited."""
    _require_uninvolved(actor, record, "处理异议")

    def reject(locked: ServiceRecord) -> None:
        locked.resolution_note = note.strip()[:200]

    SERVICE_MACHINE.apply(
        record, "reject", actor=actor, note=note, before_save=reject, extra_update_fields=["resolution_note"]
    )
    return record


@transaction.atomic
def time_withdraw(
    *, actor: Any, depositor: Depositor, hours: Any, service: str, occurred_on: datetime.date
) -> TimeWithdrawal:
    """Stored hours are spent on a service for the depositor themselves."""
    require_perm_at(actor, "bank.timebank", depositor.get_scope_path())
    _person_depositor(depositor, "支取人")
    hours = _hours(hours, limit=None)
    if not service.strip():
        raise ValidationError({"service": "请填写兑换的服务。"})
    if occurred_on > clock.today() + datetime.timedelta(days=60):
        raise ValidationError({"occurred_on": "服务日期不能晚于60天之后。"})
    withdrawal = TimeWithdrawal.objects.create(
        depositor=depositor,
        hours=hours,
        service=service.strip()[:100],
        occurred_on=occurred_on,
        recorded_by=actor,
        recorded_by_name=_actor_name(actor),
        recorded_at=clock.now(),
    )
    try:
        withdrawal.entry = ledger_post(
            account=depositor.hours_account,
            amount=-hours,
            kind=EntryKind.DEBIT,
            actor=actor,
            memo=f"时间银行支取·{withdrawal.service}",
            source=withdrawal,
            idempotency_key=f"bank:withdrawal:{withdrawal.pk}",
        )
    except InsufficientBalance as error:
        raise ValidationError({"hours": f"时间银行余额不足。{error.messages[0]}"}) from None
    withdrawal.save(update_fields=["entry"])
    audit_record(actor=actor, action=AuditAction.CREATE, target=withdrawal, changes={"hours": str(hours)})
    return withdrawal


def relay_relation(donor: Depositor, recipient: Depositor) -> str:
    """家庭成员 when both live in one household; 困难群众 when the recipient's household carries a care tag."""
    donor_household = donor.person.household_id
    recipient_household = recipient.person.household_id
    if donor_household and donor_household == recipient_household:
        return RelayRelation.FAMILY
    if recipient_household and recipient.person.household.tags.filter(is_care=True).exists():
        return RelayRelation.IN_NEED
    return ""


@transaction.atomic
def time_relay(*, actor: Any, donor: Depositor, recipient: Depositor, hours: Any, reason: str) -> TimeRelay:
    """爱心接力: pass stored hours to a family member or to a person in need (two entries summing to zero).

    A resident passes their own hours to a member of their household; staff covering both sides
    record a relay to a person in need (a household tagged for care: 低保, 独居老人 …).
    """
    _person_depositor(donor, "转出人")
    _person_depositor(recipient, "接收人")
    if donor.pk == recipient.pk:
        raise ValidationError({"recipient": "不能转赠给自己。"})
    relation = relay_relation(donor, recipient)
    if not relation:
        raise ValidationError({"recipient": "爱心接力只能转赠给同户家庭成员或需关爱的困难群众。"})
    scope = scope_for(actor)
    is_donor = scope.self_has("bank.self") and donor.person_id == scope.person_id
    if is_donor:
        if relation != RelayRelation.FAMILY:
            raise PermissionDenied("转赠给困难群众请到驿站由工作人员办理。")
    elif not (
        scope.has_perm_at("bank.timebank", donor.get_scope_path())
        and scope.has_perm_at("bank.timebank", recipient.get_scope_path())
    ):
        raise PermissionDenied("您无权办理这笔爱心接力。")
    hours = _hours(hours, limit=None)
    if not reason.strip():
        raise ValidationError({"reason": "请填写转赠说明。"})
    relay = TimeRelay.objects.create(
        donor=donor,
        recipient=recipient,
        hours=hours,
        relation=relation,
        reason=reason.strip()[:200],
        recorded_by=actor,
        recorded_by_name=_actor_name(actor),
        recorded_at=clock.now(),
    )
    try:
        relay.out_entry, relay.in_entry = ledger_transfer(
            source_account=donor.hours_account,
            target_account=recipient.hours_account,
            amount=hours,
            kind=EntryKind.TRANSFER,
            actor=actor,
            memo=f"爱心接力：{donor.name}→{recipient.name}（{relay.get_relation_display()}）",
            source=relay,
            idempotency_key=f"bank:relay:{relay.pk}",
        )
    except InsufficientBalance as error:
        raise ValidationError({"hours": f"时间银行余额不足。{error.messages[0]}"}) from None
    relay.save(update_fields=["out_entry", "in_entry"])
    audit_record(actor=actor, action=AuditAction.CREATE, target=relay, changes={"hours": str(hours)})
    return relay
