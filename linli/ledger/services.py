"""The only way points and hours move: open accounts, post, reverse, transfer — under row locks.

`ledger_post` locks the account row (`select_for_update`), refuses a negative balance where the
currency forbids one, appends the entry chained to the previous one, moves the balance with `F()`,
and writes an audit entry, all in one transaction. An idempotency key makes an automatic credit
happen at most once: posting the same key again returns the first entry.

An account's entries are in time order (`at` never decreases along `seq`). An entry is stamped
`clock.now()`, or the account's last entry's time if the wall clock has fallen behind it. A time that
is given (`at=`) or simulated (`clock.simulated`, seeding only) and lies before the last entry is
refused with `EntryOutOfOrder`: the caller is replaying history out of order, a programming error.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from linli.core import clock
from linli.core.audit import audit_record
from linli.core.choices import AuditAction

from .choices import EntryKind
from .hashing import entry_digest
from .models import Account, Currency, Entry


class InsufficientBalance(ValidationError):
    """The posting would take a balance below zero in a currency that forbids it."""


class AlreadyReversed(ValidationError):
    pass


class EntryOutOfOrder(RuntimeError):
    """A posting would come before the account's last entry in time: code replaying history out of order.

    Not a user's mistake (no form can ask for it), so not a ValidationError: it fails loudly.
    """


@dataclass(frozen=True)
class SourceRef:
    """What caused an entry: a model row of another app, named by label and id."""

    type: str
    id: str

    @classmethod
    def of(cls, obj: models.Model) -> SourceRef:
        return cls(obj._meta.label_lower, str(obj.pk))


def currency_get(code: str) -> Currency:
    return Currency.objects.get(code=code)


def account_open(
    *,
    currency: Currency,
    owner: models.Model,
    scope_path: str,
    year: int = 0,
    label: str = "",
    holder_person_id: int | None = None,
) -> Account:
    """The owner's account in this currency (and year), created on first use."""
    if currency.is_annual and not year:
        raise ValueError(f"{currency.code} is annual: a year is required")
    owner_type = ContentType.objects.get_for_model(type(owner))
    account, created = Account.objects.get_or_create(
        currency=currency,
        owner_type=owner_type,
        owner_id=owner.pk,
        year=year if currency.is_annual else 0,
        defaults={
            "scope_path": scope_path,
            "label": label or str(owner)[:100],
            "holder_person_id": holder_person_id,
        },
    )
    if not created and (account.scope_path != scope_path or account.holder_person_id != holder_person_id):
        # The owner moved (a member changed branch, a resident changed grid): the account follows.
        Account.objects.filter(pk=account.pk).update(scope_path=scope_path, holder_person_id=holder_person_id)
        account.scope_path, account.holder_person_id = scope_path, holder_person_id
    return account


def _stamp(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S.%f}"


def _posting_time(account: Account, at: datetime.datetime | None) -> datetime.datetime:
    """When the next entry of `account` happens: never before its last entry (see the module docstring)."""
    last = account.last_entry_at
    if at is None and not clock.is_simulated():
        moment = clock.now()
        return last if last is not None and moment < last else moment
    moment = at if at is not None else clock.now()
    if last is not None and moment < last:
        raise EntryOutOfOrder(
            f"账户#{account.pk}（{account}）的分录须按时间顺序记账：本笔时间{_stamp(moment)}"
            f"早于上一笔（序号{account.entry_count}）的{_stamp(last)}。"
            "请按时间顺序执行（演示数据见 linli.core.demo 的时间线）。"
        )
    return moment


def _actor(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "系统"
    return actor.pk, actor.get_username()


def _append(
    *,
    account: Account,
    amount: Decimal,
    kind: str,
    actor: Any,
    memo: str,
    source: SourceRef | None,
    idempotency_key: str | None,
    reverses: Entry | None,
    transfer_id: uuid.UUID | None,
    allow_negative: bool | None,
    at: datetime.datetime | None = None,
) -> Entry:
    """Append one entry to a locked account. Caller holds the lock inside a transaction."""
    locked = Account.objects.select_for_update().select_related("currency").get(pk=account.pk)
    if idempotency_key:
        # A plain unique lookup: `.first()` would add ORDER BY id, which at millions of entries can make
        # PostgreSQL walk the primary key instead of the unique idempotency index.
        try:
            existing = Entry.objects.get(idempotency_key=idempotency_key)
        except Entry.DoesNotExist:
            existing = None
        if existing is not None:
            if existing.account_id != locked.pk or existing.amount != amount:
                raise ValidationError(f"幂等键 {idempotency_key} 已用于另一笔记账。")
            return existing
    new_balance = locked.balance + amount
    may_go_negative = locked.currency.allow_negative if allow_negative is None else allow_negative
    if new_balance < 0 and not may_go_negative:
        raise InsufficientBalance(
            f"余额不足：当前{locked.balance.normalize():f}{locked.currency.unit}，需要{(-amount).normalize():f}{locked.currency.unit}。"
        )
    actor_id, actor_name = _actor(actor)
    moment = _posting_time(locked, at)
    seq = locked.entry_count + 1
    entry = Entry(
        account=locked,
        seq=seq,
        amount=amount,
        balance_after=new_balance,
        kind=kind,
        memo=memo[:200],
        source_type=source.type if source else "",
        source_id=source.id if source else "",
        idempotency_key=idempotency_key or None,
        reverses=reverses,
        transfer_id=transfer_id,
        actor_id=actor_id,
        actor_name=actor_name,
        at=moment,
        prev_hash=locked.last_hash,
    )
    entry.hash = entry_digest(
        account_id=locked.pk,
        seq=seq,
        amount=amount,
        balance_after=new_balance,
        kind=kind,
        memo=entry.memo,
        source_type=entry.source_type,
        source_id=entry.source_id,
        idempotency_key=entry.idempotency_key,
        reverses_id=reverses.pk if reverses else None,
        transfer_id=transfer_id,
        actor_id=actor_id,
        at=entry.at,
        prev_hash=entry.prev_hash,
    )
    entry.save()
    Account.objects.filter(pk=locked.pk).update(
        balance=F("balance") + amount,
        entry_count=F("entry_count") + 1,
        last_hash=entry.hash,
        last_entry_at=moment,
    )
    account.balance, account.entry_count, account.last_hash = new_balance, seq, entry.hash
    account.last_entry_at = moment
    audit_record(
        actor=actor,
        action=AuditAction.POST,
        target_type="ledger.account",
        target_id=locked.pk,
        target_repr=str(locked),
        changes={"balance": [str(locked.balance), str(new_balance)]},
        note=f"{kind} {amount:+} {memo}"[:500],
    )
    return entry


def ledger_post(
    *,
    account: Account,
    amount: Decimal | int | str,
    kind: str,
    actor: Any,
    memo: str = "",
    source: SourceRef | models.Model | None = None,
    idempotency_key: str | None = None,
    allow_negative: bool | None = None,
    at: datetime.datetime | None = None,
) -> Entry:
    """Post one entry. Raises InsufficientBalance and changes nothing if the balance may not go negative.

    `at` backdates the entry (a migration of old records); it may not come before the account's last entry.
    """
    amount = Decimal(amount)
    if amount == 0:
        raise ValidationError("记账金额不能为0。")
    if isinstance(source, models.Model):
        source = SourceRef.of(source)
    with transaction.atomic():
        return _append(
            account=account,
            amount=amount,
            kind=kind,
            actor=actor,
            memo=memo,
            source=source,
            idempotency_key=idempotency_key,
            reverses=None,
            transfer_id=None,
            allow_negative=allow_negative,
            at=at,
        )


def ledger_reverse(*, entry: Entry, actor: Any, reason: str, allow_negative: bool | None = None) -> Entry:
    """Correct an entry by posting its opposite, citing it; an entry is reversed at most once."""
    if not reason.strip():
        raise ValidationError("冲正必须填写原因。")
    with transaction.atomic():
        original = Entry.objects.select_related("account").get(pk=entry.pk)
        if original.kind == EntryKind.REVERSAL:
            raise ValidationError("冲正分录不能再冲正，请另行记账。")
        account = Account.objects.select_for_update().get(pk=original.account_id)
        if Entry.objects.filter(reverses=original).exists():
            raise AlreadyReversed("该分录已冲正过。")
        return _append(
            account=account,
            amount=-original.amount,
            kind=EntryKind.REVERSAL,
            actor=actor,
            memo=f"冲正#{original.seq}：{reason}",
            source=SourceRef("ledger.entry", str(original.pk)),
            idempotency_key=None,
            reverses=original,
            transfer_id=None,
            allow_negative=allow_negative,
        )


def ledger_transfer(
    *,
    source_account: Account,
    target_account: Account,
    amount: Decimal | int | str,
    kind: str,
    actor: Any,
    memo: str = "",
    source: SourceRef | models.Model | None = None,
    idempotency_key: str | None = None,
) -> tuple[Entry, Entry]:
    """Move an amount between two accounts of one currency: two entries that sum to zero."""
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError("转移数量必须大于0。")
    if source_account.currency_id != target_account.currency_id:
        raise ValidationError("只能在同一币种的账户之间转移。")
    if source_account.pk == target_account.pk:
        raise ValidationError("不能转给同一个账户。")
    if isinstance(source, models.Model):
        source = SourceRef.of(source)
    transfer_id = uuid.uuid4()
    with transaction.atomic():
        # Lock both rows in id order so that two opposite transfers cannot deadlock.
        locked = list(
            Account.objects.select_for_update()
            .filter(pk__in=[source_account.pk, target_account.pk])
            .order_by("pk")
        )
        # Both legs carry one time, not before either account's last entry (a simulated clock is checked as is).
        at = None
        if not clock.is_simulated():
            at = max([clock.now(), *(a.last_entry_at for a in locked if a.last_entry_at is not None)])
        if idempotency_key:
            existing = list(
                Entry.objects.filter(idempotency_key__in=[f"{idempotency_key}:out", f"{idempotency_key}:in"])
            )
            if len(existing) == 2:
                out = next(e for e in existing if e.amount < 0)
                return out, next(e for e in existing if e.amount > 0)
        out = _append(
            account=source_account,
            amount=-amount,
            kind=kind,
            actor=actor,
            memo=memo,
            source=source,
            idempotency_key=f"{idempotency_key}:out" if idempotency_key else None,
            reverses=None,
            transfer_id=transfer_id,
            allow_negative=None,
            at=at,
        )
        into = _append(
            account=target_account,
            amount=amount,
            kind=kind,
            actor=actor,
            memo=memo,
            source=source,
            idempotency_key=f"{idempotency_key}:in" if idempotency_key else None,
            reverses=None,
            transfer_id=transfer_id,
            allow_negative=None,
            at=at,
        )
        return out, into
