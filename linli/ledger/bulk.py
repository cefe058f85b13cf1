"""Bulk ledger writing for scale seeding: accounts and entries inserted in batches, every invariant kept.

`ledger_post` locks a row, appends one entry and audits it: right for a desk, far too slow for the
millions of entries of `seed --scale district`. `BulkLedger` writes the same rows in bulk:

- `open(...)` gives a new, unsaved account with its id assigned up front, so that the caller can
  point other rows at it before anything is written;
- `post(account, amount, at=…, …)` queues an entry and returns its id at once (ids are assigned up
  front too), so claims, earnings and orders can name their entry, and a reversal can name the
  entry it reverses (`reverses_id`);
- `flush()` orders each account's queued entries by time (stable: equal times keep the order they
  were posted in), continues the account's chain from its tail (`seq` 1..n, `prev_hash`/`hash` with
  the service's `entry_digest`, `balance_after` running sum), refuses a negative balance where the
  currency forbids one, inserts the new accounts with their tails, updates the tails of accounts
  that already existed, inserts the entries, and writes one audit entry per table (like the other
  scale writers: `导入 N条积分分录`);
- `reverse(entry_id, at=…, reason=…)` queues the reversal of an entry queued in the same flush;
- `finish()` flushes and moves PostgreSQL's id sequences past the ids given out here.

An account's entries must be posted in no earlier time than its last flushed entry (`EntryOutOfOrder`
otherwise, as in the service). `linli ledger verify` finds nothing to report afterwards.

Explicit ids need the tables to be written by nobody else meanwhile: scale seeding only, inside its
one transaction.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Max

from linli.core.audit import audit_build, audit_bulk
from linli.core.bulk import bulk_insert, quick_instance, reset_sequences
from linli.core.choices import AuditAction

from .choices import EntryKind
from .hashing import entry_digest
from .models import Account, Currency, Entry
from .services import EntryOutOfOrder

CENT = Decimal("0.01")


class IdBlock:
    """Ids handed out ahead of the insert for one model: max(id)+1, +2, … (scale seeding only)."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.next = (model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value


@dataclass
class _Queued:
    number: int  # order of posting, to keep equal times in the order they were posted
    entry: Entry


@dataclass
class BulkLedger:
    """Queue accounts and entries, then write them in bulk with their chains (see the module docstring)."""

    note: str = "规模测试数据"
    batch_size: int = 2000
    entries_written: int = 0
    accounts_written: int = 0
    _entry_ids: IdBlock = field(init=False)
    _account_ids: IdBlock = field(init=False)
    _currencies: dict[int, Currency] = field(init=False, default_factory=dict)
    _new_accounts: dict[int, Account] = field(init=False, default_factory=dict)
    _queued: dict[int, list[_Queued]] = field(init=False, default_factory=lambda: defaultdict(list))
    _accounts: dict[int, Account] = field(init=False, default_factory=dict)
    _number: int = field(init=False, default=0)
    _by_id: dict[int, Entry] = field(init=False, default_factory=dict)
    _reversal_memo: dict[int, str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._entry_ids = IdBlock(Entry)
        self._account_ids = IdBlock(Account)

    # ------------------------------------------------------------------ queueing

    def open(
        self,
        *,
        currency: Currency,
        owner: models.Model | None = None,
        owner_type: ContentType | None = None,
        owner_id: int | None = None,
        scope_path: str,
        year: int = 0,
        label: str = "",
        holder_person_id: int | None = None,
        created_at: datetime.datetime,
    ) -> Account:
        """A new account (written at the next flush) with its id already assigned."""
        if currency.is_annual and not year:
            raise ValueError(f"{currency.code} is annual: a year is required")
        if owner is not None:
            owner_type, owner_id = ContentType.objects.get_for_model(type(owner)), owner.pk
        if owner_type is None or owner_id is None:
            raise ValueError("an owner (or owner_type and owner_id) is required")
        self._currencies.setdefault(currency.pk, currency)
        account = Account(
            id=self._account_ids.take(),
            currency=currency,
            owner_type=owner_type,
            owner_id=owner_id,
            year=year if currency.is_annual else 0,
            label=(label or str(owner or owner_id))[:100],
            scope_path=scope_path,
            holder_person_id=holder_person_id,
            created_at=created_at,
        )
        self._new_accounts[account.pk] = account
        self._accounts[account.pk] = account
        return account

    def post(
        self,
        account: Account,
        amount: Decimal | int | str,
        *,
        kind: str,
        at: datetime.datetime,
        memo: str = "",
        source_type: str = "",
        source_id: str | int = "",
        idempotency_key: str | None = None,
        reverses_id: int | None = None,
        transfer_id: uuid.UUID | None = None,
        actor_id: int | None = None,
        actor_name: str = "系统",
    ) -> int:
        """Queue one entry on `account` at `at`; returns the id it will have."""
        amount = Decimal(amount).quantize(CENT)
        if amount == 0:
            raise ValueError("记账金额不能为0。")
        if account.pk not in self._accounts:
            self._accounts[account.pk] = account
            self._currencies.setdefault(account.currency_id, account.currency)
        entry = quick_instance(
            Entry,
            {
                "id": self._entry_ids.take(),
                "account_id": account.pk,
                "seq": None,
                "amount": amount,
                "balance_after": None,
                "kind": kind,
                "memo": memo[:200],
                "source_type": source_type,
                "source_id": str(source_id),
                "idempotency_key": idempotency_key or None,
                "reverses_id": reverses_id,
                "transfer_id": transfer_id,
                "actor_id": actor_id,
                "actor_name": actor_name,
                "at": at,
                "prev_hash": "",
                "hash": "",
            },
        )
        self._number += 1
        self._queued[account.pk].append(_Queued(self._number, entry))
        self._by_id[entry.pk] = entry
        return entry.pk

    def reverse(
        self,
        entry_id: int,
        *,
        at: datetime.datetime,
        reason: str,
        actor_id: int | None = None,
        actor_name: str = "系统",
    ) -> int:
        """Queue the reversal of a queued entry, as `ledger_reverse` writes it (memo `冲正#序号：原因`)."""
        original = self._by_id.get(entry_id)
        if original is None:
            raise ValueError(f"分录#{entry_id}不在本批待写入的分录中：批量冲正只用于同一批次的分录。")
        account = self._accounts[original.account_id]
        new_id = self.post(
            account,
            -original.amount,
            kind=EntryKind.REVERSAL,
            at=at,
            memo="",
            source_type="ledger.entry",
            source_id=str(original.pk),
            reverses_id=original.pk,
            actor_id=actor_id,
            actor_name=actor_name,
        )
        # The memo names the original's sequence number, known once the chain is laid (see `_chain`).
        self._reversal_memo[new_id] = reason
        return new_id

    @property
    def pending(self) -> int:
        return sum(len(q) for q in self._queued.values())

    # ------------------------------------------------------------------ writing

    def _chain(self, account: Account, queued: list[_Queued]) -> list[Entry]:
        currency = self._currencies[account.currency_id]
        queued.sort(key=lambda q: (q.entry.at, q.number))
        balance, seq, last_hash, last_at = (
            account.balance,
            account.entry_count,
            account.last_hash,
            account.last_entry_at,
        )
        entries = []
        for item in queued:
            entry = item.entry
            if last_at is not None and entry.at < last_at:
                raise EntryOutOfOrder(f"账户#{account.pk}（{account.label}）的分录早于其上一笔（批量记账）。")
            balance += entry.amount
            if balance < 0 and not currency.allow_negative:
                raise ValueError(f"账户#{account.pk}（{account.label}）余额将为负数：{balance}（批量记账）。")
            seq += 1
            if entry.reverses_id is not None and entry.pk in self._reversal_memo:
                original = self._by_id[entry.reverses_id]
                if original.account_id != account.pk or original.seq is None:
                    raise ValueError(f"分录#{entry.pk}须在所冲正的分录#{original.pk}之后、同一账户内记账。")
                entry.memo = f"冲正#{original.seq}：{self._reversal_memo[entry.pk]}"[:200]
            entry.seq, entry.balance_after, entry.prev_hash = seq, balance, last_hash
            entry.hash = entry_digest(
                account_id=account.pk,
                seq=seq,
                amount=entry.amount,
                balance_after=balance,
                kind=entry.kind,
                memo=entry.memo,
                source_type=entry.source_type,
                source_id=entry.source_id,
                idempotency_key=entry.idempotency_key,
                reverses_id=entry.reverses_id,
                transfer_id=entry.transfer_id,
                actor_id=entry.actor_id,
                at=entry.at,
                prev_hash=last_hash,
            )
            last_hash, last_at = entry.hash, entry.at
            entries.append(entry)
        account.balance, account.entry_count, account.last_hash, account.last_entry_at = (
            balance,
            seq,
            last_hash,
            last_at,
        )
        return entries

    def flush(self) -> int:
        """Write what is queued; returns the number of entries written."""
        entries: list[Entry] = []
        touched_old: list[Account] = []
        for account_id, queued in self._queued.items():
            account = self._accounts[account_id]
            entries.extend(self._chain(account, queued))
            if account_id not in self._new_accounts:
                touched_old.append(account)
        self._queued = defaultdict(list)
        self._by_id, self._reversal_memo = {}, {}
        # Accounts are held by the callers between flushes (their tails are kept on the objects).
        self._accounts = {}
        new_accounts = list(self._new_accounts.values())
        audit = []
        if new_accounts:
            bulk_insert(new_accounts, batch_size=self.batch_size, explicit_ids=True)
            self._new_accounts = {}
            self.accounts_written += len(new_accounts)
            audit.append(self._audit(Account, len(new_accounts)))
        if touched_old:
            Account.objects.bulk_update(
                touched_old, ["balance", "entry_count", "last_hash", "last_entry_at"], batch_size=500
            )
        if entries:
            # Reversals name entries of the same flush: insert in id order so each original comes first.
            entries.sort(key=lambda e: e.pk)
            bulk_insert(entries, batch_size=self.batch_size, explicit_ids=True)
            self.entries_written += len(entries)
            audit.append(self._audit(Entry, len(entries)))
        audit_bulk(audit)
        return len(entries)

    def finish(self) -> None:
        self.flush()
        reset_sequences(Account, Entry)

    def _audit(self, model: type[models.Model], n: int):
        return audit_build(
            actor=None,
            action=AuditAction.IMPORT,
            target_type=model._meta.label_lower,
            target_repr=f"{n}条{model._meta.verbose_name}",
            note=self.note,
        )
