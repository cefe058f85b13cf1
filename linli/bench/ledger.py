"""Ledger posting through the real service against a bare-insert floor, one transaction per entry.

What is timed, per entry:
- "ledger:post": `ledger_post` as every app calls it: its own transaction, the account row locked
  (`select_for_update`), the previous hash read, the entry chained with the keyed hash, the balance
  moved with `F()`, an audit entry written. Called in autocommit, so its `atomic()` is the
  transaction (wrapping it in another `atomic()` would only add a savepoint to the service's side).
- "ledger:floor": the same row with the same column values inserted bare, `Entry.objects.create(...)`
  inside `transaction.atomic()`: one BEGIN, one INSERT, one COMMIT. Everything the service computes
  (sequence, balance after, time, previous hash, hash by `entry_digest`) is computed before the
  clock starts, so the floor is the database's cost of appending the row and nothing else.

Where the rows go. Entries are append-only, so the run's rows stay in the database; `linli ledger
verify` must remain clean. The floor's rows therefore go on their own accounts whose chains are
valid: each floor row carries the right sequence, previous hash and hash, computed outside the timed
section. The floor does not touch its account row per entry (that would no longer be a bare insert);
the floor accounts' balance, entry count, chain tail and last time are brought in line with their
last entry once after the run, and again at the start of the next one in case a run was killed in
between. This is the one place that writes `Account` around the posting service, and only on the
benchmark's own accounts.

The accounts: ten 时间银行 (`time_hours`) accounts labelled 性能基准, five for each variant: four taken
in turn and one hot account that takes every posting of alternate blocks. Their owners are the first
ten organisation nodes; the bank never opens an hours account for an organisation node (only for a
person), so these cannot collide with a real depositor's account. Their scope path `/bench/` lies
under no node, so no page or report of any user shows them. The accounts are reused by every run (a
chain just grows by N entries per variant per run); amounts alternate +2.5/−2.5 so balances never
go negative and stay near zero.

Fairness on a noisy machine: the two variants run in alternating blocks (floor then post, then post
then floor …), each block on the same account pattern, so a burst of load elsewhere hits both.
After the run `ledger_verify` checks the benchmark's accounts only (never the whole ledger) and the
run fails if any chain or balance is off.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from linli.core import clock
from linli.ledger.choices import EntryKind
from linli.ledger.hashing import entry_digest
from linli.ledger.models import GENESIS_HASH, Account, Entry
from linli.ledger.selectors import ledger_verify
from linli.ledger.services import account_open, currency_get, ledger_post
from linli.orgs.models import OrgNode

from .figures import Figure

CURRENCY = "time_hours"
SCOPE_PATH = "/bench/"
MEMO = "性能基准"
AMOUNT = Decimal("2.50")
ROUND_ROBIN = 4  # accounts taken in turn; plus one hot account per variant
FULL_N, QUICK_N = 2000, 200
FULL_BLOCK, QUICK_BLOCK = 50, 20


@dataclass
class _Tail:
    """What the next entry of an account chains to: kept in memory for the floor's accounts."""

    seq: int
    balance: Decimal
    hash: str
    at: object


def bench_accounts() -> tuple[list[Account], list[Account]]:
    """The floor's and the service's accounts (hot one last in each), opened on first use."""
    currency = currency_get(CURRENCY)
    per_variant = ROUND_ROBIN + 1
    owners = list(OrgNode.objects.order_by("pk")[: 2 * per_variant])
    if len(owners) < 2 * per_variant:
        raise RuntimeError(f"性能基准需要至少{2 * per_variant}个组织节点作为基准账户的所有者，请先生成数据。")
    accounts = []
    for index, owner in enumerate(owners):
        variant = "裸插入" if index < per_variant else "记账服务"
        slot = index % per_variant
        name = "热点" if slot == ROUND_ROBIN else f"轮换{slot + 1}"
        accounts.append(
            account_open(
                currency=currency, owner=owner, scope_path=SCOPE_PATH, label=f"{MEMO}·{variant}·{name}"
            )
        )
    return accounts[:per_variant], accounts[per_variant:]


def _tail_of(account: Account) -> _Tail:
    last = Entry.objects.filter(account=account).order_by("-seq").first()
    if last is None:
        return _Tail(0, Decimal("0"), GENESIS_HASH, None)
    return _Tail(last.seq, last.balance_after, last.hash, last.at)


def _sync_account(account: Account, tail: _Tail) -> None:
    """Bring a floor account's maintained fields in line with its last entry (see the module docstring)."""
    Account.objects.filter(pk=account.pk).update(
        balance=tail.balance, entry_count=tail.seq, last_hash=tail.hash, last_entry_at=tail.at
    )


def _floor_row(account: Account, tail: _Tail) -> dict:
    """Every column of the next entry, computed as the service would, before the clock starts."""
    amount = AMOUNT if tail.balance <= 0 else -AMOUNT
    kind = EntryKind.CREDIT if amount > 0 else EntryKind.DEBIT
    moment = clock.now()
    if tail.at is not None and moment < tail.at:
        moment = tail.at
    seq, balance_after = tail.seq + 1, tail.balance + amount
    digest = entry_digest(
        account_id=account.pk,
        seq=seq,
        amount=amount,
        balance_after=balance_after,
        kind=kind,
        memo=MEMO,
        source_type="",
        source_id="",
        idempotency_key=None,
        reverses_id=None,
        transfer_id=None,
        actor_id=None,
        at=moment,
        prev_hash=tail.hash,
    )
    return {
        "account_id": account.pk,
        "seq": seq,
        "amount": amount,
        "balance_after": balance_after,
        "kind": kind,
        "memo": MEMO,
        "actor_name": "系统",
        "at": moment,
        "prev_hash": tail.hash,
        "hash": digest,
    }


def _schedule(n: int, block: int) -> list[tuple[int, list[int]]]:
    """Blocks of account slots: pairs of round-robin blocks and hot-account blocks, in turn."""
    blocks = []
    for number, start in enumerate(range(0, n, block)):
        size = min(block, n - start)
        hot = (number // 2) % 2 == 1
        slots = [ROUND_ROBIN] * size if hot else [(start + i) % ROUND_ROBIN for i in range(size)]
        blocks.append((number, slots))
    return blocks


def run(*, quick: bool, log: Callable[[str], None]) -> list[Figure]:
    n = QUICK_N if quick else FULL_N
    block = QUICK_BLOCK if quick else FULL_BLOCK
    if not transaction.get_autocommit():
        log("注意：在外层事务内运行，每笔只是一个保存点，数字不代表独立事务。")
    floor_accounts, post_accounts = bench_accounts()
    tails = {a.pk: _tail_of(a) for a in floor_accounts}
    for account in floor_accounts:
        _sync_account(account, tails[account.pk])
    # The service reads its account row itself; the objects only carry the pk between calls.
    floor_ms: list[float] = []
    post_ms: list[float] = []
    hot_floor: list[float] = []
    hot_post: list[float] = []
    floor_seconds = post_seconds = 0.0

    def floor_block(slots: list[int]) -> None:
        nonlocal floor_seconds
        for slot in slots:
            account = floor_accounts[slot]
            tail = tails[account.pk]
            row = _floor_row(account, tail)
            started = time.perf_counter()
            with transaction.atomic():
                Entry.objects.create(**row)
            elapsed = time.perf_counter() - started
            floor_seconds += elapsed
            floor_ms.append(elapsed * 1000)
            if slot == ROUND_ROBIN:
                hot_floor.append(elapsed * 1000)
            tails[account.pk] = _Tail(row["seq"], row["balance_after"], row["hash"], row["at"])

    def post_block(slots: list[int]) -> None:
        nonlocal post_seconds
        for slot in slots:
            account = post_accounts[slot]
            amount = AMOUNT if account.balance <= 0 else -AMOUNT
            kind = EntryKind.CREDIT if amount > 0 else EntryKind.DEBIT
            started = time.perf_counter()
            ledger_post(account=account, amount=amount, kind=kind, actor=None, memo=MEMO)
            elapsed = time.perf_counter() - started
            post_seconds += elapsed
            post_ms.append(elapsed * 1000)
            if slot == ROUND_ROBIN:
                hot_post.append(elapsed * 1000)

    log(f"记账：每种方式 {n} 笔，每块 {block} 笔，两种方式交替执行……")
    try:
        for number, slots in _schedule(n, block):
            if number % 2 == 0:
                floor_block(slots)
                post_block(slots)
            else:
                post_block(slots)
                floor_block(slots)
    finally:
        for account in floor_accounts:
            _sync_account(account, tails[account.pk])

    ids = [a.pk for a in (*floor_accounts, *post_accounts)]
    report = ledger_verify(accounts=Account.objects.filter(pk__in=ids))
    if not report.is_clean:
        raise RuntimeError("性能基准账户核查未通过：" + "；".join(map(str, report.anomalies[:5])))
    log(f"已核查基准账户 {report.accounts} 个、分录 {report.entries} 笔，无异常。")

    floor_median = statistics.median(floor_ms)
    common = {"entries": n, "accounts": ROUND_ROBIN + 1, "verified_entries": report.entries}
    return [
        Figure.from_samples(
            "ledger:floor",
            "记账底线：裸插入一笔分录（单独事务）",
            "floor",
            floor_ms,
            extra={
                **common,
                "seconds": round(floor_seconds, 3),
                "hot_median_ms": statistics.median(hot_floor) if hot_floor else None,
            },
        ),
        Figure.from_samples(
            "ledger:post",
            "记账服务：加锁、哈希链、审计（单独事务）",
            "ledger",
            post_ms,
            floor_ms=floor_median,
            extra={
                **common,
                "seconds": round(post_seconds, 3),
                "hot_median_ms": statistics.median(hot_post) if hot_post else None,
            },
        ),
    ]


__all__ = ["bench_accounts", "run"]
