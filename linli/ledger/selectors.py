"""Reads on the ledger: verification of every chain and balance, entries of an account."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from .hashing import digest_of
from .models import GENESIS_HASH, Account, Entry


@dataclass(frozen=True)
class Anomaly:
    account_id: int
    entry_id: int | None
    seq: int | None
    problem: str

    def __str__(self) -> str:
        where = f"账户#{self.account_id}" + (
            f" 分录#{self.entry_id}(序号{self.seq})" if self.entry_id else ""
        )
        return f"{where}：{self.problem}"


@dataclass
class VerifyReport:
    accounts: int = 0
    entries: int = 0
    anomalies: list[Anomaly] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.anomalies


def _check_account(account: Account, entries: Iterable[Entry], report: VerifyReport) -> None:
    expected_prev = GENESIS_HASH
    running = Decimal("0")
    previous_after = Decimal("0")
    previous_at = None
    expected_seq = 1
    for entry in entries:
        report.entries += 1
        if entry.seq != expected_seq:
            report.anomalies.append(
                Anomaly(
                    account.pk,
                    entry.pk,
                    entry.seq,
                    f"序号不连续：应为{expected_seq}，实为{entry.seq}（分录被删除或插入）",
                )
            )
            expected_seq = entry.seq
        if entry.prev_hash != expected_prev:
            report.anomalies.append(Anomaly(account.pk, entry.pk, entry.seq, "前序哈希不符：链条在此断开"))
        if digest_of(entry) != entry.hash:
            report.anomalies.append(
                Anomaly(account.pk, entry.pk, entry.seq, "内容哈希不符：该分录在账本之外被修改")
            )
        running += entry.amount
        # Checked against the previous entry, not the running sum, so one edited row is reported once.
        if entry.balance_after != previous_after + entry.amount:
            report.anomalies.append(
                Anomaly(
                    account.pk,
                    entry.pk,
                    entry.seq,
                    f"记账后余额{entry.balance_after}与上笔余额加本笔金额不符",
                )
            )
        # Entries are posted in time order; an earlier time after a later one was written around the ledger.
        if previous_at is not None and entry.at < previous_at:
            report.anomalies.append(
                Anomaly(
                    account.pk,
                    entry.pk,
                    entry.seq,
                    f"记账时间{_local(entry.at)}早于上一笔的{_local(previous_at)}（分录未按时间顺序记账）",
                )
            )
        previous_after = entry.balance_after
        previous_at = entry.at
        expected_prev = entry.hash
        expected_seq += 1
    if account.balance != running:
        report.anomalies.append(
            Anomaly(account.pk, None, None, f"账户余额{account.balance}不等于分录合计{running}")
        )
    if account.entry_count != expected_seq - 1:
        report.anomalies.append(
            Anomaly(account.pk, None, None, f"分录数{account.entry_count}与实际{expected_seq - 1}不符")
        )
    if account.last_hash != expected_prev:
        report.anomalies.append(Anomaly(account.pk, None, None, "账户链尾哈希与最后一笔分录不符"))
    if account.last_entry_at != previous_at:
        report.anomalies.append(Anomaly(account.pk, None, None, "账户最后记账时间与最后一笔分录不符"))


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S}"


def ledger_verify(*, accounts: QuerySet[Account] | None = None, chunk_size: int = 5000) -> VerifyReport:
    """Recompute every balance and check every chain; one streaming pass over the entries."""
    accounts = (accounts if accounts is not None else Account.objects.all()).order_by("pk")
    report = VerifyReport()
    account_ids = list(accounts.values_list("pk", flat=True))
    by_id = {a.pk: a for a in Account.objects.filter(pk__in=account_ids)} if len(account_ids) < 5000 else None
    # Walk entries ordered by (account, seq) and split them per account as they stream past.
    for start in range(0, len(account_ids), 2000):
        batch = account_ids[start : start + 2000]
        batch_accounts = (
            by_id if by_id is not None else {a.pk: a for a in Account.objects.filter(pk__in=batch)}
        )
        stream = (
            Entry.objects.filter(account_id__in=batch)
            .order_by("account_id", "seq")
            .iterator(chunk_size=chunk_size)
        )
        current: list[Entry] = []
        current_id: int | None = None
        seen: set[int] = set()
        for entry in stream:
            if entry.account_id != current_id:
                if current_id is not None:
                    _check_account(batch_accounts[current_id], current, report)
                    seen.add(current_id)
                current, current_id = [], entry.account_id
            current.append(entry)
        if current_id is not None:
            _check_account(batch_accounts[current_id], current, report)
            seen.add(current_id)
        for account_id in batch:
            if account_id not in seen:
                _check_account(batch_accounts[account_id], [], report)
        report.accounts += len(batch)
    return report


def account_entries(account: Account) -> QuerySet[Entry]:
    return Entry.objects.filter(account=account).order_by("-seq")
